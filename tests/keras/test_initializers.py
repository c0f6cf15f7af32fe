"""keras.initializers: distributions (statistical bounds), fans, seeding, names,
configs and errors. Values cannot match TF's random streams, so none are compared."""

import math

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import initializers

SHAPE = (200, 300)  # 60,000 draws: sample moments within a few percent


@pytest.mark.parametrize(
    "init, mean, std",
    [
        (initializers.RandomNormal(mean=1.0, stddev=0.5), 1.0, 0.5),
        (initializers.RandomUniform(-1.0, 3.0), 1.0, 4 / math.sqrt(12)),
        (initializers.TruncatedNormal(mean=0.5, stddev=2.0), 0.5, 2.0 * 0.87962566),
        (initializers.GlorotUniform(), 0.0, math.sqrt(2 / 500)),
        (initializers.GlorotNormal(), 0.0, math.sqrt(2 / 500)),
        (initializers.HeUniform(), 0.0, math.sqrt(2 / 200)),
        (initializers.HeNormal(), 0.0, math.sqrt(2 / 200)),
        (initializers.LecunUniform(), 0.0, math.sqrt(1 / 200)),
        (initializers.LecunNormal(), 0.0, math.sqrt(1 / 200)),
        (initializers.VarianceScaling(3.0, "fan_out", "untruncated_normal"), 0.0, 0.1),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, initializers.Initializer) else "",
)
def test_moments(init, mean, std):
    x = init(SHAPE).numpy()
    assert x.shape == SHAPE and x.dtype == np.float32
    assert abs(x.mean() - mean) < 0.03 * std + 1e-3
    assert abs(x.std() - std) < 0.03 * std


@pytest.mark.parametrize(
    "init, low, high",
    [
        (initializers.TruncatedNormal(mean=1.0, stddev=0.5), 0.0, 2.0),
        (initializers.RandomUniform(-0.2, 0.1), -0.2, 0.1),
        (initializers.GlorotUniform(), -math.sqrt(6 / 500), math.sqrt(6 / 500)),
        (
            initializers.HeNormal(),
            -2 * math.sqrt(2 / 200) / 0.87962566,
            2 * math.sqrt(2 / 200) / 0.87962566,
        ),
        (
            initializers.VarianceScaling(2.0, "fan_avg", "uniform"),
            -math.sqrt(6 * 2 / 500),
            math.sqrt(6 * 2 / 500),
        ),
    ],
    ids=["truncated", "uniform", "glorot_uniform", "he_normal", "scaling_uniform"],
)
def test_bounds(init, low, high):
    x = init(SHAPE).numpy()
    assert x.min() >= low - 1e-6 and x.max() <= high + 1e-6
    # The draws do reach near both ends.
    assert x.min() < low + 0.05 * (high - low) and x.max() > high - 0.05 * (high - low)


@pytest.mark.parametrize(
    "shape, fans",
    [
        ((), (1, 1)),
        ((7,), (7, 7)),
        ((3, 5), (3, 5)),
        ((3, 3, 4, 8), (36, 72)),
        ((2, 3, 3, 4, 8), (72, 144)),
    ],
)
def test_compute_fans(shape, fans):
    from tensorflux.keras.initializers.random_initializers import compute_fans

    assert compute_fans(shape) == fans


def test_conv_kernel_uses_receptive_field():
    x = initializers.HeUniform()((5, 5, 16, 32)).numpy()
    limit = math.sqrt(6 / (5 * 5 * 16))
    assert np.abs(x).max() <= limit and np.abs(x).max() > 0.95 * limit


def test_seeded_initializers_repeat_and_unseeded_follow_keras_random_seed():
    # tf_keras' initializers are stateless: an instance returns the same values on
    # every call; unseeded instances take their seeds from the generator
    # tf.keras.utils.set_random_seed seeds (tf.random.set_seed alone does not fix them).
    for cls in (
        initializers.RandomNormal,
        initializers.GlorotUniform,
        initializers.TruncatedNormal,
        initializers.Orthogonal,
    ):
        a, b = cls(seed=7)((4, 4)), cls(seed=7)((4, 4))
        np.testing.assert_array_equal(a.numpy(), b.numpy())
        np.testing.assert_array_equal(a.numpy(), cls(seed=7)((4, 4)).numpy())
        assert not np.array_equal(a.numpy(), cls(seed=8)((4, 4)).numpy())
        tf.keras.utils.set_random_seed(5)
        first = cls()
        c = first((4, 4))
        d = cls()((4, 4))
        np.testing.assert_array_equal(c.numpy(), first((4, 4)).numpy())
        tf.keras.utils.set_random_seed(5)
        np.testing.assert_array_equal(c.numpy(), cls()((4, 4)).numpy())
        assert not np.array_equal(c.numpy(), d.numpy())


def test_constant_initializers():
    np.testing.assert_array_equal(initializers.Zeros()((2, 3)).numpy(), np.zeros((2, 3)))
    assert initializers.Zeros()((2,), dtype="int32").dtype == tf.int32
    np.testing.assert_array_equal(initializers.Ones()([2]).numpy(), [1.0, 1.0])
    assert initializers.Ones()((2,), dtype=tf.float64).dtype == tf.float64
    np.testing.assert_array_equal(initializers.Constant(3)((2, 2)).numpy(), np.full((2, 2), 3.0))
    np.testing.assert_array_equal(initializers.Constant([1, 2])((2,)).numpy(), [1.0, 2.0])
    np.testing.assert_array_equal(initializers.Identity(2.0)((2, 3)).numpy(), 2 * np.eye(2, 3))
    assert initializers.RandomNormal()(tf.TensorShape([2, 2]), dtype="float64").dtype == tf.float64


@pytest.mark.parametrize("shape", [(4, 4), (3, 6), (6, 3), (2, 3, 4)])
def test_orthogonal(shape):
    q = initializers.Orthogonal(gain=2.0, seed=1)(shape).numpy().reshape(-1, shape[-1])
    rows, cols = q.shape
    gram = q.T @ q if rows >= cols else q @ q.T
    np.testing.assert_allclose(gram, 4.0 * np.eye(min(rows, cols)), atol=1e-5)


def test_get_names_and_configs():
    names = {
        "glorot_uniform": initializers.GlorotUniform,
        "zeros": initializers.Zeros,
        "ones": initializers.Ones,
        "he_normal": initializers.HeNormal,
        "he_uniform": initializers.HeUniform,
        "lecun_normal": initializers.LecunNormal,
        "random_normal": initializers.RandomNormal,
        "orthogonal": initializers.Orthogonal,
        "truncated_normal": initializers.TruncatedNormal,
        "identity": initializers.Identity,
        "variance_scaling": initializers.VarianceScaling,
        "GlorotNormal": initializers.GlorotNormal,
        "constant": initializers.Constant,
        "uniform": initializers.RandomUniform,
        "normal": initializers.RandomNormal,
        "one": initializers.Ones,
        "zero": initializers.Zeros,
    }
    for name, cls in names.items():
        assert type(initializers.get(name)) is cls
    assert initializers.glorot_uniform is initializers.GlorotUniform
    assert initializers.get(None) is None
    init = initializers.HeNormal(seed=3)
    assert initializers.get(init) is init
    fn = lambda shape, dtype=None: tf.zeros(shape)  # noqa: E731
    assert initializers.get(fn) is fn

    assert initializers.RandomNormal(seed=1).get_config() == {
        "mean": 0.0,
        "stddev": 0.05,
        "seed": 1,
    }
    assert initializers.VarianceScaling(distribution="normal").get_config() == {
        "scale": 1.0,
        "mode": "fan_in",
        "distribution": "truncated_normal",
        "seed": None,
    }
    assert initializers.GlorotUniform().get_config() == {"seed": None}
    assert initializers.Orthogonal().get_config() == {"gain": 1.0, "seed": None}
    assert initializers.Identity().get_config() == {"gain": 1.0}
    assert initializers.Constant(2).get_config() == {"value": 2}
    assert initializers.RandomUniform().get_config() == {
        "minval": -0.05,
        "maxval": 0.05,
        "seed": None,
    }
    assert initializers.Zeros().get_config() == {}
    config = initializers.serialize(initializers.HeNormal(seed=4))
    assert config == {
        "module": "keras.initializers",
        "class_name": "HeNormal",
        "config": {"seed": 4},
        "registered_name": None,
    }
    restored = initializers.deserialize(config)
    assert type(restored) is initializers.HeNormal and restored.seed == 4
    restored = initializers.VarianceScaling.from_config(
        initializers.VarianceScaling(2.0, "fan_out", "uniform", 9).get_config()
    )
    assert (restored.scale, restored.mode, restored.distribution, restored.seed) == (
        2.0,
        "fan_out",
        "uniform",
        9,
    )


@pytest.mark.parametrize(
    "make, fragment",
    [
        (
            lambda: initializers.Identity()((3,)),
            "Identity matrix initializer can only be used for 2D matrices. Received: shape=(3,)",
        ),
        (
            lambda: initializers.Orthogonal()((3,)),
            "must be at least two-dimensional. Received: shape=(3,) of rank 1",
        ),
        (lambda: initializers.VarianceScaling(scale=-1), "`scale` must be positive float"),
        (lambda: initializers.VarianceScaling(mode="x"), "Invalid `mode` argument: x"),
        (lambda: initializers.VarianceScaling(distribution="x"), "Invalid `distribution` argument"),
        (
            lambda: initializers.RandomNormal()((2,), dtype="int32"),
            "Expected floating point type, got tf.int32",
        ),
        (lambda: initializers.get("foo"), "Unknown initializer: 'foo'"),
        (lambda: initializers.get(3), "Could not interpret initializer identifier: 3"),
    ],
    ids=["identity", "orthogonal", "scale", "mode", "distribution", "dtype", "unknown", "type"],
)
def test_errors(make, fragment):
    with pytest.raises(ValueError) as info:
        make()
    assert fragment in str(info.value)


def test_initializer_inside_tf_function_first_trace():
    holder = []

    @tf.function
    def make():
        if not holder:
            holder.append(tf.Variable(initializers.GlorotUniform()((3, 2))))
        return holder[0] * 1.0

    out = make()
    assert out.shape == (3, 2)
    np.testing.assert_array_equal(make().numpy(), out.numpy())
