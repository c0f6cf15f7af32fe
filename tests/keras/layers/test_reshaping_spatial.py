"""UpSampling1D/2D/3D, ZeroPadding1D/2D/3D, Cropping1D/2D/3D and SpatialDropout1D/2D/3D:
values, configs and errors as tf_keras, the layer harness, traced sizes, and training
inside ``fit``."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import layers
from tensorflux.testing import check_one_graph
from tensorflux.testing.layer_test import run_layer_test
from tests.keras.layers.image_layer_fixtures import cases_of, check_case, check_error, errors_of

RESHAPING = {
    "UpSampling1D",
    "UpSampling2D",
    "UpSampling3D",
    "ZeroPadding1D",
    "ZeroPadding2D",
    "ZeroPadding3D",
    "Cropping1D",
    "Cropping2D",
    "Cropping3D",
}
SPATIAL_DROPOUT = {"SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"}


@pytest.mark.parametrize("name", cases_of(RESHAPING | SPATIAL_DROPOUT))
def test_matches_tf_keras(name):
    check_case(name)


@pytest.mark.parametrize("name", errors_of(RESHAPING | SPATIAL_DROPOUT))
def test_errors_as_tf_keras(name):
    check_error(name)


@pytest.mark.parametrize(
    "cls, kwargs, input_shape, output_shape",
    [
        (layers.UpSampling1D, {"size": 2}, (2, 3, 4), (2, 6, 4)),
        (layers.UpSampling2D, {}, (2, 3, 4, 2), (2, 6, 8, 2)),
        (
            layers.UpSampling2D,
            {"interpolation": "bilinear", "size": (3, 1)},
            (2, 3, 4, 2),
            (2, 9, 4, 2),
        ),
        (
            layers.UpSampling2D,
            {"data_format": "channels_first", "interpolation": "bilinear"},
            (1, 2, 3, 3),
            (1, 2, 6, 6),
        ),
        (layers.UpSampling3D, {"size": (2, 1, 2)}, (1, 2, 2, 2, 1), (1, 4, 2, 4, 1)),
        (layers.ZeroPadding1D, {"padding": (0, 2)}, (2, 3, 1), (2, 5, 1)),
        (
            layers.ZeroPadding2D,
            {"padding": (1, 2), "data_format": "channels_first"},
            (1, 2, 3, 3),
            (1, 2, 5, 7),
        ),
        (layers.ZeroPadding3D, {}, (1, 1, 2, 3, 2), (1, 3, 4, 5, 2)),
        (layers.Cropping1D, {}, (2, 4, 1), (2, 2, 1)),
        (layers.Cropping2D, {"cropping": ((1, 0), (0, 2))}, (1, 3, 4, 2), (1, 2, 2, 2)),
        (layers.Cropping3D, {"data_format": "channels_first"}, (1, 2, 3, 4, 5), (1, 2, 1, 2, 3)),
        (layers.SpatialDropout1D, {"rate": 0.5}, (2, 3, 4), (2, 3, 4)),
        (layers.SpatialDropout2D, {"rate": 0.5}, (2, 3, 3, 4), (2, 3, 3, 4)),
        (
            layers.SpatialDropout3D,
            {"rate": 0.5, "data_format": "channels_first"},
            (1, 2, 2, 2, 2),
            (1, 2, 2, 2, 2),
        ),
    ],
)
def test_layer_harness(cls, kwargs, input_shape, output_shape):
    run_layer_test(cls, kwargs, input_shape, output_shape, expected_num_trainable_weights=0)


def test_nearest_upsampling_keeps_integer_dtypes_bilinear_gives_float32():
    ints = tf.reshape(tf.range(6), (1, 2, 3, 1))
    assert layers.UpSampling2D()(ints).dtype == tf.int32
    doubles = tf.ones((1, 2, 3, 1), tf.float64)
    assert layers.UpSampling2D(dtype="float64")(doubles).dtype == tf.float64
    bilinear = layers.UpSampling2D(interpolation="bilinear", dtype="float64")
    assert bilinear(doubles).dtype == tf.float32


@pytest.mark.parametrize("method", ["bicubic", "lanczos3", "gaussian", "mitchellcubic"])
def test_interpolating_upsampling_serves_an_unknown_image_size(method):
    layer = layers.UpSampling2D((2, 3), interpolation=method)
    x = tf.constant(np.random.default_rng(0).normal(size=(1, 3, 2, 2)).astype(np.float32))
    f = tf.function(layer, input_signature=[tf.TensorSpec([None, None, None, 2])])
    np.testing.assert_allclose(f(x).numpy(), layer(x).numpy(), rtol=1e-6, atol=1e-6)


def test_data_format_defaults_to_the_backend_image_data_format():
    tf.keras.backend.set_image_data_format("channels_first")
    try:
        assert layers.UpSampling2D().data_format == "channels_first"
        assert layers.ZeroPadding3D().data_format == "channels_first"
        assert layers.SpatialDropout2D(0.5).data_format == "channels_first"
    finally:
        tf.keras.backend.set_image_data_format("channels_last")


@pytest.mark.parametrize(
    "layer_fn",
    [
        lambda: layers.UpSampling2D(interpolation="bilinear"),
        lambda: layers.UpSampling2D(size=(1, 3)),
        lambda: layers.ZeroPadding2D(((1, 0), (0, 2))),
        lambda: layers.Cropping2D(((1, 0), (0, 1))),
    ],
)
def test_one_graph_serves_every_image_size(layer_fn):
    layer = layer_fn()

    def fn(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = layer(x)
            loss = tf.reduce_sum(tf.square(y))
        return y, tape.gradient(loss, x)

    rng = np.random.default_rng(0)
    calls = [
        (tf.constant(rng.normal(size=s).astype(np.float32)),)
        for s in ((1, 3, 4, 2), (2, 5, 2, 2), (3, 2, 3, 2))
    ]
    check_one_graph(fn, [tf.TensorSpec([None, None, None, 2], tf.float32)], calls)


@pytest.mark.parametrize(
    "cls, kwargs, shape, kept_axes",
    [
        (layers.SpatialDropout1D, {}, (4, 5, 6), (0, 2)),
        (layers.SpatialDropout2D, {}, (4, 3, 3, 6), (0, 3)),
        (layers.SpatialDropout2D, {"data_format": "channels_first"}, (4, 6, 3, 3), (0, 1)),
        (layers.SpatialDropout3D, {}, (4, 2, 2, 2, 6), (0, 4)),
        (layers.SpatialDropout3D, {"data_format": "channels_first"}, (4, 6, 2, 2, 2), (0, 1)),
    ],
)
def test_spatial_dropout_drops_whole_channels_only_in_training(cls, kwargs, shape, kept_axes):
    layer = cls(0.5, seed=3, **kwargs)
    x = tf.ones(shape)
    np.testing.assert_array_equal(layer(x).numpy(), x.numpy())
    out = layer(x, training=True).numpy()
    assert set(np.unique(out).tolist()) <= {0.0, 2.0}
    moved = np.moveaxis(out, kept_axes, (0, 1)).reshape(
        shape[kept_axes[0]], shape[kept_axes[1]], -1
    )
    # Every channel of every sample is dropped or kept as a whole.
    assert np.all(moved.min(axis=-1) == moved.max(axis=-1))
    assert 0 < np.count_nonzero(moved[..., 0]) < moved[..., 0].size


def test_image_layers_train_in_fit_with_an_unknown_batch_size():
    tf.keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(10, 4, 4, 2)).astype(np.float32)
    y = rng.normal(size=(10, 1)).astype(np.float32)
    model = tf.keras.Sequential(
        [
            tf.keras.Input((4, 4, 2)),
            layers.UpSampling2D(interpolation="bilinear"),
            layers.Cropping2D(1),
            layers.ZeroPadding2D(((0, 1), (1, 0))),
            layers.SpatialDropout2D(0.2),
            layers.UpSampling2D(size=(1, 2), data_format="channels_first"),
            layers.Flatten(),
            layers.Dense(1),
        ]
    )
    model.compile("adam", "mse")
    # 10 samples in batches of 4: the last, partial batch traces with the batch unknown.
    # With dropout on 10 samples the loss is noisy from epoch to epoch (under TF too:
    # 1.36, 0.65, 1.20, ...), so the first and last three epochs are compared.
    history = model.fit(x, y, batch_size=4, epochs=12, verbose=0)
    losses = history.history["loss"]
    assert np.mean(losses[-3:]) < np.mean(losses[:3])
    assert model.predict(x, verbose=0).shape == (10, 1)


def test_functional_model_infers_shapes_symbolically():
    inputs = tf.keras.Input((None, 3))
    steps = layers.Cropping1D((1, 0))(layers.ZeroPadding1D(2)(layers.UpSampling1D(3)(inputs)))
    assert steps.shape.as_list() == [None, None, 3]
    images = tf.keras.Input((5, 6, 2))
    out = layers.UpSampling3D(2)(tf.keras.layers.Reshape((5, 6, 2, 1))(images))
    assert out.shape.as_list() == [None, 10, 12, 4, 1]
    model = tf.keras.Model([inputs, images], [steps, out])
    a, b = model([tf.ones((2, 4, 3)), tf.ones((1, 5, 6, 2))])
    assert a.shape == (2, 15, 3) and b.shape == (1, 10, 12, 4, 1)
