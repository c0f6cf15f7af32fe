"""tf.keras.applications weight files: ImageNet weights read from Keras' cache
folder (a generated file in Keras' layout; nothing is downloaded), the offline
error, weights from a path, input tensors, and decode_predictions."""

import hashlib
import json
import os
import urllib.error
import urllib.request

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.framework.tensor import constant
from tensorflux.keras.applications import imagenet_utils
from tensorflux.keras.initializers import random_initializers

A = tf.keras.applications


@pytest.fixture
def keras_home(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))

    def offline(*args, **kwargs):
        raise urllib.error.URLError("network is unreachable")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    os.makedirs(tmp_path / "models")
    return tmp_path


@pytest.fixture
def zero_init(monkeypatch):
    """Initializers return zeros (the tests set or load every weight themselves)."""

    def zeros(initializer, kind, shape, dtype, a, b):
        return constant(np.zeros(shape, dtype.as_numpy_dtype))

    monkeypatch.setattr(random_initializers, "draw", zeros)


def _md5(path):
    with open(path, "rb") as f:
        return hashlib.md5(f.read()).hexdigest()


def _randomize(model, seed):
    rng = np.random.default_rng(seed)
    for w in model.weights:
        w.assign(rng.normal(0.0, 0.1, w.shape.as_list()).astype("float32"))


def test_imagenet_weights_load_from_the_keras_cache(keras_home, zero_init):
    tf.keras.backend.clear_session()
    source = A.MobileNetV2(weights=None, alpha=0.35, include_top=False, input_shape=(96, 96, 3))
    _randomize(source, 0)
    fname = "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_96_no_top.h5"
    source.save_weights(str(keras_home / "models" / fname))
    model = A.MobileNetV2(
        weights="imagenet", alpha=0.35, include_top=False, input_shape=(96, 96, 3)
    )
    for got, want in zip(model.get_weights(), source.get_weights()):
        np.testing.assert_array_equal(got, want)
    x = np.random.default_rng(1).uniform(-1, 1, (1, 96, 96, 3)).astype("float32")
    np.testing.assert_allclose(model(x).numpy(), source(x).numpy(), rtol=1e-5, atol=1e-6)


def test_hashed_weight_files_are_verified(keras_home, monkeypatch, zero_init):
    """VGG16's file is checked against its md5 (here the generated file's)."""
    tf.keras.backend.clear_session()
    source = A.VGG16(weights=None, include_top=False, input_shape=(32, 32, 3))
    _randomize(source, 2)
    fname = "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"
    path = keras_home / "models" / fname
    source.save_weights(str(path))
    monkeypatch.setitem(A.vgg16._FILES, False, (fname, _md5(path)))
    model = A.VGG16(weights="imagenet", include_top=False, input_shape=(32, 32, 3))
    kernel = model.get_layer("block3_conv3").kernel.numpy()
    np.testing.assert_array_equal(kernel, source.get_layer("block3_conv3").kernel.numpy())


def test_offline_without_the_file_names_it_and_where_to_put_it(keras_home, capsys):
    tf.keras.backend.clear_session()
    fname = "mobilenet_2_5_128_tf_no_top.h5"
    with pytest.raises(OSError) as info:
        A.MobileNet(weights="imagenet", alpha=0.25, include_top=False, input_shape=(128, 128, 3))
    message = str(info.value)
    assert fname in message
    assert str(keras_home / "models" / fname) in message
    assert "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet/" in message
    assert not os.path.exists(keras_home / "models" / fname)


def test_weights_from_a_path_and_mismatched_files(tmp_path, zero_init):
    tf.keras.backend.clear_session()
    source = A.MobileNet(weights=None, alpha=0.25, include_top=False, input_shape=(32, 32, 3))
    _randomize(source, 3)
    path = str(tmp_path / "mine.h5")
    source.save_weights(path)
    model = A.MobileNet(weights=path, alpha=0.25, include_top=False, input_shape=(32, 32, 3))
    for got, want in zip(model.get_weights(), source.get_weights()):
        np.testing.assert_array_equal(got, want)
    with pytest.raises(ValueError, match="Shape mismatch in layer #0"):
        A.MobileNet(weights=path, alpha=0.5, include_top=False, input_shape=(32, 32, 3))


def test_input_tensor_keeps_upstream_layers():
    tf.keras.backend.clear_session()
    inputs = tf.keras.Input((32, 32, 3))
    scaled = tf.keras.layers.Rescaling(1.0 / 255)(inputs)
    model = A.MobileNetV3Small(
        weights=None, input_tensor=scaled, include_top=False, minimalistic=True, pooling="max"
    )
    assert model.inputs[0] is inputs
    assert [layer.name for layer in model.layers[:3]] == ["input_1", "rescaling", "rescaling_1"]
    assert model.output_shape == (None, 576)
    assert model(np.zeros((2, 32, 32, 3), "float32")).shape == (2, 576)


def test_a_model_is_a_layer_of_a_transfer_model():
    tf.keras.backend.clear_session()
    base = A.VGG16(weights=None, include_top=False, input_shape=(32, 32, 3))
    base.trainable = False
    inputs = tf.keras.Input((32, 32, 3))
    x = base(A.vgg16.preprocess_input(inputs), training=False)
    outputs = tf.keras.layers.Dense(2)(tf.keras.layers.Flatten()(x))
    model = tf.keras.Model(inputs, outputs)
    assert len(model.trainable_weights) == 2
    assert model.get_layer("vgg16").get_layer("block3_conv3").output_shape == (None, 8, 8, 256)


def test_imagenet_weights_refuse_other_classifier_activations(monkeypatch):
    monkeypatch.setattr(imagenet_utils.data_utils, "get_file", None)
    with pytest.raises(ValueError, match="Only `None` and `softmax` activations are allowed"):
        A.MobileNetV2(
            weights="imagenet", alpha=0.35, input_shape=(96, 96, 3), classifier_activation="relu"
        )


def test_decode_predictions_reads_the_cached_class_index(keras_home, monkeypatch):
    index = {str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}
    path = keras_home / "models" / "imagenet_class_index.json"
    path.write_text(json.dumps(index))
    monkeypatch.setattr(imagenet_utils, "_CLASS_INDEX_HASH", _md5(path))
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX", None)
    preds = np.zeros((2, 1000), "float32")
    preds[0, [3, 7, 11]] = [0.5, 0.3, 0.2]
    preds[1, 999] = 1.0
    top = A.resnet50.decode_predictions(preds, top=2)
    assert [row[:2] for row in top[0]] == [("n00000003", "class_3"), ("n00000007", "class_7")]
    assert top[0][0][2] == pytest.approx(0.5)
    assert top[1][0][:2] == ("n00000999", "class_999")
    with pytest.raises(ValueError, match=r"Found array with shape: \(2, 10\)"):
        A.vgg16.decode_predictions(np.zeros((2, 10)))


def test_decode_predictions_offline_names_the_class_index(keras_home, monkeypatch):
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX", None)
    with pytest.raises(OSError, match="imagenet_class_index.json"):
        A.imagenet_utils.decode_predictions(np.ones((1, 1000)))


def test_namespaces_match_tf_keras():
    assert A.resnet50.ResNet50 is A.ResNet50 is A.resnet.ResNet50
    assert A.mobilenet_v3.preprocess_input("x") == "x"
    for module in ("vgg16", "vgg19", "resnet", "resnet_v2", "mobilenet", "mobilenet_v2"):
        assert callable(getattr(A, module).preprocess_input)
        assert getattr(A, module).decode_predictions is imagenet_utils.decode_predictions
    with pytest.raises(AttributeError):
        A.NASNetHuge  # noqa: B018 - no such model
