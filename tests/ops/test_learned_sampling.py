"""tf.random.learned_unigram_candidate_sampler (TF's candidates, learning from each call's
true classes) and tf.random.all_candidate_sampler against TensorFlow fixtures
(``record_sampler_extras_fixtures.py``)."""

from __future__ import annotations

import json

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.framework.errors import InvalidArgumentError
from tests.ops.record_sampler_extras_fixtures import FIXTURE, LEARNED_CASES, TRUE_CLASSES

RECORD = json.loads(FIXTURE.read_text())


@pytest.fixture(autouse=True)
def _fresh_streams():
    tf.random.set_seed(None)  # restarts every op's stream and learned counts, as a new TF process
    yield
    tf.random.set_seed(None)


def _assert_same(out, want):
    assert out.sampled_candidates.dtype == tf.int64
    assert out.sampled_candidates.numpy().tolist() == want[0]
    np.testing.assert_array_equal(out.true_expected_count.numpy(), np.float32(want[1]))
    np.testing.assert_array_equal(out.sampled_expected_count.numpy(), np.float32(want[2]))


@pytest.mark.parametrize("i", range(len(LEARNED_CASES)))
def test_learned_unigram_sampler_draws_and_learns_like_tf(i):
    num_sampled, unique, range_max, seed = LEARNED_CASES[i]
    for classes, want in zip(TRUE_CLASSES, RECORD["learned"][i]):
        out = tf.random.learned_unigram_candidate_sampler(
            tf.constant(classes, tf.int64), 2, num_sampled, unique, range_max, seed=seed
        )
        _assert_same(out, want)


def test_learned_sampler_in_tf_function_learns_across_calls():
    num_sampled, unique, range_max, seed = LEARNED_CASES[0]

    @tf.function
    def sample(classes):
        return tf.nn.learned_unigram_candidate_sampler(classes, 2, num_sampled, unique,
                                                       range_max, seed=seed)  # fmt: skip

    for classes, want in zip(TRUE_CLASSES, RECORD["learned"][0]):
        _assert_same(sample(tf.constant(classes, tf.int64)), want)


def test_set_seed_restarts_what_was_learned():
    num_sampled, unique, range_max, seed = LEARNED_CASES[1]
    t = tf.constant(TRUE_CLASSES[0], tf.int64)
    first = tf.random.learned_unigram_candidate_sampler(t, 2, num_sampled, unique, range_max,
                                                        seed=seed)  # fmt: skip
    tf.random.set_seed(None)
    again = tf.random.learned_unigram_candidate_sampler(t, 2, num_sampled, unique, range_max,
                                                        seed=seed)  # fmt: skip
    assert first.sampled_candidates.numpy().tolist() == again.sampled_candidates.numpy().tolist()


@pytest.mark.parametrize("key, args", [("learned_too_small", (11, True, 10)),
                                       ("learned_bad_class", (2, True, 7))])  # fmt: skip
def test_learned_sampler_errors_match_tf(key, args):
    message = RECORD[key]["message"].split("}} ")[-1].split(" [Op:")[0]
    t = tf.constant(TRUE_CLASSES[0], tf.int64)
    with pytest.raises(InvalidArgumentError) as info:
        tf.random.learned_unigram_candidate_sampler(t, 2, *args, seed=1)
    assert message in str(info.value)


@pytest.mark.parametrize("i, unique", [(0, True), (1, False)])
def test_all_candidate_sampler_matches_tf(i, unique):
    out = tf.random.all_candidate_sampler(tf.constant(TRUE_CLASSES[0], tf.int64), 2, 10, unique)
    _assert_same(out, RECORD["all"][i])
    assert tf.nn.all_candidate_sampler is tf.random.all_candidate_sampler
    assert tf.nn.fixed_unigram_candidate_sampler is tf.random.fixed_unigram_candidate_sampler
