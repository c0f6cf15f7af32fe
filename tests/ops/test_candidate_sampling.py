"""Candidate samplers, compute_accidental_hits, sampled_softmax_loss and nce_loss
against TensorFlow fixtures (``record_candidate_sampling_fixtures.py``): the samplers
draw TF's exact candidates; the losses match in value and gradient."""

from __future__ import annotations

import json

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.testing import check_gradients
from tests.ops.record_candidate_sampling_fixtures import (
    FIXED_UNIGRAM_CASES,
    FIXTURE,
    LOSS_CASES,
    LOSS_INPUTS,
    SAMPLER_CASES,
    TRUE_CLASSES,
    write_vocab,
)

RECORD = json.loads(FIXTURE.read_text())
SAMPLERS = {
    "log_uniform": tf.random.log_uniform_candidate_sampler,
    "uniform": tf.random.uniform_candidate_sampler,
}


@pytest.fixture(autouse=True)
def _fresh_streams():
    tf.random.set_seed(None)  # restarts every op's stream, as a new TF process
    yield
    tf.random.set_seed(None)


@pytest.mark.parametrize("i", range(len(SAMPLER_CASES)))
def test_samplers_draw_tf_candidates(i):
    kind, n, unique, range_max, seed = SAMPLER_CASES[i]
    classes = tf.constant(TRUE_CLASSES, tf.int64)
    for want in RECORD["samplers"][i]:
        out = SAMPLERS[kind](classes, 2, n, unique, range_max, seed=seed)
        assert out.sampled_candidates.dtype == tf.int64
        assert out.sampled_candidates.numpy().tolist() == want[0]
        np.testing.assert_array_equal(out.true_expected_count.numpy(), np.float32(want[1]))
        np.testing.assert_array_equal(out.sampled_expected_count.numpy(), np.float32(want[2]))


@pytest.mark.parametrize("i", range(len(FIXED_UNIGRAM_CASES)))
def test_fixed_unigram_sampler_draws_tf_candidates(i, tmp_path):
    kwargs = dict(FIXED_UNIGRAM_CASES[i])
    if "vocab_file" in kwargs:
        kwargs["vocab_file"] = write_vocab(tmp_path / "vocab.csv")
    classes = tf.constant(TRUE_CLASSES, tf.int64)
    for want in RECORD["fixed_unigram"][i]:
        out = tf.random.fixed_unigram_candidate_sampler(classes, 2, seed=7, **kwargs)
        assert out.sampled_candidates.numpy().tolist() == want[0]
        np.testing.assert_array_equal(out.true_expected_count.numpy(), np.float32(want[1]))
        np.testing.assert_array_equal(out.sampled_expected_count.numpy(), np.float32(want[2]))


def test_fixed_unigram_sampler_errors():
    sampler = tf.random.fixed_unigram_candidate_sampler
    with pytest.raises(InvalidArgumentError, match="Must provide either vocab_file or unigrams"):
        sampler([[0]], 1, 1, True, 3)
    with pytest.raises(InvalidArgumentError, match="must be equal to weights size  2"):
        sampler([[0]], 1, 1, True, 3, unigrams=[1.0, 2.0])


def test_sampler_streams_in_functions_and_under_the_global_seed():
    classes = tf.constant(TRUE_CLASSES, tf.int64)

    @tf.function
    def traced():
        return tf.random.log_uniform_candidate_sampler(classes, 2, 4, True, 20, seed=8)

    assert [traced()[0].numpy().tolist() for _ in range(2)] == RECORD["traced"]
    tf.random.set_seed(5)
    got = [
        tf.random.log_uniform_candidate_sampler(classes, 2, 3, True, 50)[0].numpy().tolist()
        for _ in range(2)
    ]
    assert got == RECORD["global_seed"]


def test_sampler_errors():
    sampler = tf.random.log_uniform_candidate_sampler
    with pytest.raises(InvalidArgumentError, match=r"out of range \[0, 7\), received 7"):
        sampler([[7]], 1, 2, True, 7, seed=1)
    with pytest.raises(InvalidArgumentError, match="expected to be a int64 tensor but is a int32"):
        sampler(tf.constant([[1]]), 1, 2, True, 7)
    with pytest.raises(InvalidArgumentError, match="range is too small"):
        tf.random.uniform_candidate_sampler([[1]], 1, 8, True, 7)
    with pytest.raises(InvalidArgumentError, match="num_true columns"):
        sampler([[1, 2]], 1, 2, True, 7)
    with pytest.raises(InvalidArgumentError, match="range_max must be positive"):
        sampler([[0]], 1, 2, False, 0)


def test_compute_accidental_hits():
    for (true, sampled), want in zip(
        (([[1], [3]], [3, 0, 1]), ([[2, 2], [4, 1]], [2, 2, 4, 9])), RECORD["hits"]
    ):
        got = tf.nn.compute_accidental_hits(true, sampled, num_true=len(true[0]))
        assert [t.numpy().tolist() for t in got[:2]] == want[:2]
        np.testing.assert_array_equal(got[2].numpy(), np.float32(want[2]))
        assert [t.dtype for t in got] == [tf.int32, tf.int64, tf.float32]


def _loss(kind, weights, biases, labels, inputs, num_true, num_sampled, remove, seed):
    # As recorded: a first draw of the seeded sampler (the nce samples), so a seeded
    # sampled_softmax_loss draws the stream's second sample.
    sampled = tf.random.log_uniform_candidate_sampler(
        labels, num_true, num_sampled, True, 12, seed=seed
    )
    if kind == "sampled_softmax":
        loss = tf.nn.sampled_softmax_loss(
            weights, biases, labels, inputs, num_sampled, 12, num_true=num_true,
            remove_accidental_hits=remove, seed=seed,
        )  # fmt: skip
    else:
        loss = tf.nn.nce_loss(
            weights, biases, labels, inputs, num_sampled, 12, num_true=num_true,
            sampled_values=sampled, remove_accidental_hits=remove,
        )  # fmt: skip
    return sampled[0], loss


@pytest.mark.parametrize("i", range(len(LOSS_CASES)))
def test_losses_and_gradients_match_tf(i):
    kind, labels_key, num_true, num_sampled, remove, seed = LOSS_CASES[i]
    want = RECORD["losses"][i]
    variables = [
        tf.Variable(LOSS_INPUTS[k], dtype=tf.float32) for k in ("weights", "biases", "inputs")
    ]
    labels = tf.constant(LOSS_INPUTS[labels_key], tf.int64)
    with tf.GradientTape() as tape:
        sampled, out = _loss(kind, variables[0], variables[1], labels, variables[2], num_true,
                    num_sampled, remove, seed)  # fmt: skip
        total = tf.reduce_sum(out)
    assert sampled.numpy().tolist() == want["sampled"]
    np.testing.assert_allclose(out.numpy(), want["loss"], rtol=2e-5, atol=2e-6)
    for grad, expected in zip(tape.gradient(total, variables), want["grads"]):
        np.testing.assert_allclose(tf.convert_to_tensor(grad).numpy(), expected, atol=2e-5)


@pytest.mark.parametrize("kind", ["sampled_softmax", "nce"])
def test_loss_gradients_by_finite_differences(kind):
    labels = tf.constant(LOSS_INPUTS["labels2"], tf.int64)
    # Fixed samples (with a hit on label 0 and 7) so the loss is a smooth function.
    sampled = (
        tf.constant([0, 4, 7, 9], tf.int64),
        tf.constant([[0.3, 0.2], [0.6, 0.6], [0.25, 0.1]]),
        tf.constant([0.6, 0.3, 0.25, 0.2]),
    )
    fn = tf.nn.sampled_softmax_loss if kind == "sampled_softmax" else tf.nn.nce_loss

    def loss(weights, biases, inputs):
        return fn(weights, biases, labels, inputs, 4, 12, num_true=2, sampled_values=sampled,
                  remove_accidental_hits=True)  # fmt: skip

    check_gradients(
        loss, [np.array(LOSS_INPUTS[k]) for k in ("weights", "biases", "inputs")], order=2
    )


def test_loss_in_a_function_matches_eager():
    args = [tf.constant(LOSS_INPUTS[k], tf.float32) for k in ("weights", "biases", "inputs")]
    labels = tf.constant(LOSS_INPUTS["labels1"], tf.int64)

    @tf.function
    def traced(w, b, x):
        return tf.nn.sampled_softmax_loss(w, b, labels, x, 5, 12, seed=3)

    got = traced(*args)
    tf.random.set_seed(None)
    want = tf.nn.sampled_softmax_loss(args[0], args[1], labels, args[2], 5, 12, seed=3)
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6)
