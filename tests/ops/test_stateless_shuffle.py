"""tf.random.experimental.stateless_shuffle and tf.raw_ops.StatelessShuffle: errors and
gradients as TensorFlow 2.21 gives them (the permutations themselves are compared
with TF's in ``test_random_streams.py``)."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.engine import gradient_registry, registry
from tensorflux.framework.errors import InvalidArgumentError

shuffle = tf.random.experimental.stateless_shuffle

_KEY = tf.constant([5], tf.uint64)
_COUNTER = tf.constant([1, 2], tf.uint64)


def _raw(**changes):
    kw = {"value": tf.range(6), "key": _KEY, "counter": _COUNTER, "alg": 1, **changes}
    return tf.raw_ops.StatelessShuffle(**kw)


def test_same_seed_same_permutation_and_every_row_kept():
    x = tf.reshape(tf.range(40.0), [20, 2])
    a, b = shuffle(x, [4, 2]).numpy(), shuffle(x, [4, 2]).numpy()
    np.testing.assert_array_equal(a, b)
    assert sorted(map(tuple, a)) == sorted(map(tuple, x.numpy()))
    assert not np.array_equal(a, shuffle(x, [4, 3]).numpy())


def test_raw_op_takes_key_counter_and_alg():
    # TF's numbers for this key and counter; auto_select (3) is Philox on the CPU.
    assert _raw().numpy().tolist() == [1, 3, 2, 4, 5, 0]
    assert _raw(alg=3).numpy().tolist() == [1, 3, 2, 4, 5, 0]
    # Counter words past the first two are not read.
    three = tf.constant([1, 2, 3], tf.uint64)
    assert _raw(counter=three).numpy().tolist() == [1, 3, 2, 4, 5, 0]


ERRORS = [
    (
        lambda: shuffle(tf.range(4), [1, 2], alg="threefry"),
        InvalidArgumentError,
        r"counter must be a vector with length at least 2; got shape: \[1\]\. \(Note that "
        r"batched counters are not supported yet\.\) \[Op:StatelessShuffle\]",
    ),
    (
        lambda: shuffle(tf.range(4), [1, 2], alg=2),
        InvalidArgumentError,
        r"counter must be a vector with length at least 2",
    ),
    (
        lambda: shuffle(tf.range(4), 5, alg="threefry"),
        InvalidArgumentError,
        r"Attempting to slice scalar input\. \[Op:StridedSlice\]",
    ),
    (
        lambda: shuffle(tf.range(4), [1, 2, 3]),
        InvalidArgumentError,
        r"seed must have shape \[2\], not \[3\] \[Op:StatelessRandomGetKeyCounter\]",
    ),
    (
        lambda: shuffle(tf.range(4), 5),
        InvalidArgumentError,
        r"seed must have shape \[2\], not \[\]",
    ),
    (
        lambda: shuffle(tf.range(4), [1.0, 2.0]),
        InvalidArgumentError,
        r"Value for attr 'Tseed' of float32 is not in the list of allowed values: int32, int64",
    ),
    (
        lambda: shuffle(tf.range(4), 5, alg="philox"),
        InvalidArgumentError,
        r"counter must be a vector with length at least 1; got shape: \[\]\. .*"
        r"\[Op:StatelessRandomUniformFullIntV2\]",
    ),
    (
        lambda: shuffle(tf.range(4), [1, 2], alg="foo"),
        ValueError,
        r"Argument `alg` got unsupported value foo\. Supported values are philox",
    ),
    (
        lambda: shuffle(tf.range(4), [1, 2], alg=7),
        ValueError,
        r"Argument `alg` got unsupported value 7\. Supported values are 1",
    ),
    (
        lambda: shuffle(tf.range(4), [1, 2], alg=1.5),
        TypeError,
        r"Can't convert argument `alg` \(of value 1\.5",
    ),
    (lambda: _raw(alg=2), InvalidArgumentError, r"^Unsupported algorithm id: 2 \[Op:"),
    (lambda: _raw(alg=0), InvalidArgumentError, r"^Unsupported algorithm id: 0 \[Op:"),
    # TF compares the counter's length with the algorithm's number.
    (
        lambda: _raw(alg=5),
        InvalidArgumentError,
        r"counter must be a vector with length at least 5; got shape: \[2\]",
    ),
    (
        lambda: _raw(key=tf.constant([1, 2], tf.uint64)),
        InvalidArgumentError,
        r"key must have shape \[1\], not \[2\]\. \(Note that batched keys are not supported",
    ),
    (
        lambda: _raw(alg=tf.constant([1])),
        InvalidArgumentError,
        r"input 3 \(0-based\) must have shape \[\], not \[1\]",
    ),
]


@pytest.mark.parametrize("fn,exc,msg", ERRORS)
def test_errors_as_in_tensorflow(fn, exc, msg):
    with pytest.raises(exc, match=msg):
        fn()


def test_philox_takes_any_seed_cast_to_uint64_as_tf_does():
    # alg="philox" scrambles the seed cast to uint64 (TF's Python path): a float pair
    # or a longer vector is accepted, and a valid seed gives auto_select's numbers.
    x = tf.range(6)
    want = shuffle(x, [1, 2]).numpy()
    np.testing.assert_array_equal(shuffle(x, [1, 2], alg="philox").numpy(), want)
    assert shuffle(x, [1.5, 2.0], alg="philox").numpy().tolist() == [4, 5, 0, 3, 1, 2]
    assert shuffle(x, [1, 2, 3], alg="philox").numpy().tolist() == [4, 5, 0, 3, 1, 2]


def test_traced_with_unknown_rows():
    @tf.function
    def f(v, seed):
        return shuffle(v, seed)

    spec = tf.TensorSpec([None, 3])
    out = f.get_concrete_function(spec, tf.TensorSpec([2], tf.int32)).structured_outputs
    assert out.shape.as_list() == [None, 3] and out.dtype == tf.float32
    x = tf.reshape(tf.range(12.0), [4, 3])
    np.testing.assert_array_equal(f(x, tf.constant([1, 2])), shuffle(x, [1, 2]))


def test_no_gradient_registered_raises_lookup_error():
    # TF registers no gradient for StatelessShuffle (unlike RandomShuffle, declared
    # not differentiable): differentiating through it is a LookupError, eager or traced.
    x = tf.constant([5.0, 7.0, 9.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = shuffle(x, [1, 2]) * 0.0 + x
    with pytest.raises(LookupError, match="^gradient registry has no entry for: StatelessShuffle$"):
        tape.gradient(y, x)

    @tf.function
    def traced(v):
        with tf.GradientTape() as t:
            t.watch(v)
            out = shuffle(v, [1, 2])
        return t.gradient(out, v)

    with pytest.raises(LookupError, match="no entry for: StatelessShuffle"):
        traced(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.random.shuffle(x, seed=1)
    assert tape.gradient(y, x) is None


def test_a_gradient_may_be_registered_for_it(monkeypatch):
    op = registry.get("StatelessShuffle")
    monkeypatch.setattr(op, "grad", op.grad)
    monkeypatch.setattr(op, "differentiable", op.differentiable)
    monkeypatch.setattr(gradient_registry, "_registered", {})

    @tf.RegisterGradient("StatelessShuffle")
    def _ones(op, grad):
        return [tf.ones_like(op.inputs[0]), None, None, None]

    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = shuffle(x, [1, 2])
    assert tape.gradient(y, x).numpy().tolist() == [1.0, 1.0]
    with pytest.raises(KeyError, match="Registering two gradient with name 'StatelessShuffle'"):
        tf.RegisterGradient("StatelessShuffle")(_ones)


def test_no_gradient_may_declare_it(monkeypatch):
    op = registry.get("StatelessShuffle")
    monkeypatch.setattr(op, "grad", op.grad)
    monkeypatch.setattr(op, "differentiable", op.differentiable)
    monkeypatch.setattr(gradient_registry, "_registered", {})
    tf.no_gradient("StatelessShuffle")
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = shuffle(x, [1, 2])
    assert tape.gradient(y, x) is None
