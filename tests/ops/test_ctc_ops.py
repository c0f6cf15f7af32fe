"""tf.nn.ctc_loss (sparse and dense labels, its gradient), the greedy and beam search
decoders, collapse_repeated and ctc_unique_labels against TensorFlow fixtures
(``record_ctc_fixtures.py``), eagerly and inside tf.function."""

from __future__ import annotations

import json

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.framework.errors import FailedPreconditionError, InvalidArgumentError
from tensorflux.testing import check_gradients, check_one_graph
from tests.ops.record_ctc_fixtures import FIXTURE

RECORD = json.loads(FIXTURE.read_text())
DENSE_LENGTHS = [3, 2, 1]


def _sparse(rows):
    indices = [[b, i] for b, row in enumerate(rows) for i in range(len(row))]
    values = [v for row in rows for v in row]
    return tf.SparseTensor(indices, tf.constant(values, tf.int32), [len(rows), max(map(len, rows))])


def _loss_fn(case):
    kw = {"logits_time_major": case["time_major"], "blank_index": case["blank_index"]}
    if case["kind"] == "sparse":
        return lambda x: tf.nn.ctc_loss(_sparse(case["labels"]), x, None, case["logit_length"],
                                        **kw)  # fmt: skip
    labels = tf.constant(case["labels"], tf.int32)
    if case["kind"] == "dense_unique":
        kw["unique"] = tf.nn.ctc_unique_labels(labels)
    return lambda x: tf.nn.ctc_loss(labels, x, DENSE_LENGTHS, case["logit_length"], **kw)


@pytest.mark.parametrize("i", range(len(RECORD["loss"])))
@pytest.mark.parametrize("traced", [False, True])
def test_ctc_loss_and_gradient_match_tf(i, traced):
    case = RECORD["loss"][i]
    fn = _loss_fn(case)

    def loss_and_grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            loss = fn(x)
        return loss, tape.gradient(loss, x)

    if traced:
        loss_and_grad = tf.function(loss_and_grad)
    loss, grad = loss_and_grad(tf.constant(case["logits"], tf.float32))
    assert loss.dtype == tf.float32 and loss.shape == [3]
    np.testing.assert_allclose(loss.numpy(), case["loss"], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(grad.numpy(), case["grad"], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("i", [0, 3, 4])
def test_ctc_loss_gradient_matches_finite_differences(i):
    case = RECORD["loss"][i]
    check_gradients(_loss_fn(case), [np.asarray(case["logits"])], rtol=1e-4, atol=1e-6)


def test_ctc_loss_second_derivative_is_refused_as_in_tf():
    x = tf.constant(RECORD["loss"][0]["logits"], tf.float32)
    fn = _loss_fn(RECORD["loss"][0])
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            loss = tf.reduce_sum(fn(x))
        g = inner.gradient(loss, x)
    with pytest.raises(LookupError, match="second  derivative of ctc_loss"):
        outer.gradient(g, x)


def test_dense_ctc_loss_of_labels_longer_than_frames_is_large_not_inf():
    x = np.random.default_rng(99).standard_normal([3, 1, 4]) * 2
    loss = tf.nn.ctc_loss(
        tf.constant([[1, 2, 1, 2]]), tf.constant(x.round(3), tf.float32), [4], [3]
    )
    np.testing.assert_allclose(loss.numpy(), RECORD["dense_too_long"], rtol=1e-5)


def test_ctc_loss_errors_match_tf():
    x = tf.constant(np.zeros([3, 1, 4]), tf.float32)
    too_long = r"Not enough time for target transition sequence \(required: 4, available: 3\)"
    with pytest.raises(InvalidArgumentError, match=too_long):
        tf.nn.ctc_loss(_sparse([[1, 2, 1, 2]]), x, None, [3], blank_index=0)
    with pytest.raises(ValueError, match=RECORD["sparse_no_blank"]["message"].replace("`", ".")):
        tf.nn.ctc_loss(_sparse([[1]]), x, None, [3])
    with pytest.raises(ValueError, match="unsupported type"):
        tf.nn.ctc_loss(tf.constant([[1]]), x, None, [3])


def test_ctc_loss_half_precision_is_computed_in_float32():
    case = RECORD["loss"][3]
    x = tf.constant(case["logits"], tf.float16)
    loss = _loss_fn(case)(x)
    assert loss.dtype == tf.float16
    np.testing.assert_allclose(loss.numpy(), case["loss"], rtol=2e-3)


def _assert_decoded(decoded, log_probs, case):
    assert len(decoded) == len(case["decoded"])
    for sp, (indices, values, shape) in zip(decoded, case["decoded"]):
        assert sp.indices.numpy().reshape(-1, 2).tolist() == indices
        assert sp.values.numpy().tolist() == values and sp.values.dtype == tf.int64
        assert sp.dense_shape.numpy().tolist() == shape
    np.testing.assert_allclose(log_probs.numpy(), case["log_probs"], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("i", range(len(RECORD["greedy"])))
@pytest.mark.parametrize("traced", [False, True])
def test_greedy_decoder_matches_tf(i, traced):
    c = RECORD["greedy"][i]
    fn = lambda x: tf.nn.ctc_greedy_decoder(x, c["lengths"], c["merge_repeated"], c["blank_index"])  # noqa: E731
    fn = tf.function(fn) if traced else fn
    decoded, log_probs = fn(tf.constant(c["inputs"], tf.float32))
    _assert_decoded(decoded, log_probs, c)


@pytest.mark.parametrize("i", range(len(RECORD["beam"])))
@pytest.mark.parametrize("traced", [False, True])
def test_beam_search_decoder_matches_tf(i, traced):
    c = RECORD["beam"][i]
    fn = lambda x: tf.nn.ctc_beam_search_decoder(x, c["lengths"], c["beam_width"], c["top_paths"])  # noqa: E731
    fn = tf.function(fn) if traced else fn
    decoded, log_probs = fn(tf.constant(c["inputs"], c["dtype"]))
    assert log_probs.dtype.name == c["dtype"] and log_probs.shape == [2, c["top_paths"]]
    _assert_decoded(decoded, log_probs, c)


_BAD, _PRE = InvalidArgumentError, FailedPreconditionError


@pytest.mark.parametrize(
    "key, call, error",
    [
        ("beam_top_paths", lambda x: tf.nn.ctc_beam_search_decoder(x, [2], 2, 3), _BAD),
        ("greedy_bad_length", lambda x: tf.nn.ctc_greedy_decoder(x, [3]), _PRE),
        ("greedy_bad_batch", lambda x: tf.nn.ctc_greedy_decoder(x, [1, 1]), _PRE),
        ("greedy_bad_rank", lambda x: tf.nn.ctc_greedy_decoder(x[0], [1]), _BAD),
    ],
)
def test_decoder_errors_match_tf(key, call, error):
    want = RECORD[key]["message"].split("}} ")[-1].split(" [Op:")[0]
    assert want and RECORD[key]["type"] == error.__name__
    with pytest.raises(error, match=want.replace("(", r"\(").replace(")", r"\)")):
        call(tf.constant(np.zeros([2, 1, 3]), tf.float32))


def test_collapse_repeated_and_unique_labels_match_tf():
    c = RECORD["collapse"]
    out, n = tf.nn.collapse_repeated(c["labels"], c["lengths"])
    assert out.numpy().tolist() == c["out"] and n.numpy().tolist() == c["new_length"]
    u = RECORD["unique"]
    for fn in (tf.nn.ctc_unique_labels, tf.function(tf.nn.ctc_unique_labels)):
        y, idx = fn(tf.constant(u["labels"], tf.int32))
        assert [y.dtype.name, idx.dtype.name] == u["dtypes"]
        assert y.numpy().tolist() == u["y"] and idx.numpy().tolist() == u["idx"]


def test_unknown_time_and_batch_trace_once():
    rng = np.random.default_rng(0)
    labels = tf.constant([[1, 2], [3, 0]])

    def loss(x, n):
        return tf.nn.ctc_loss(labels, x, [2, 1], n)

    check_one_graph(
        loss,
        [tf.TensorSpec([None, 2, 5], tf.float32), tf.TensorSpec([2], tf.int32)],
        [(rng.standard_normal([t, 2, 5]).astype(np.float32), np.array([t, t - 1], np.int32))
         for t in (3, 6)],
    )  # fmt: skip

    def greedy(x):
        (decoded,), log_probs = tf.nn.ctc_greedy_decoder(x, [3, 2])
        return decoded.values, log_probs

    check_one_graph(greedy, [tf.TensorSpec([3, None, 4], tf.float32)],
                    [(rng.standard_normal([3, 2, 4]).astype(np.float32),)])  # fmt: skip
