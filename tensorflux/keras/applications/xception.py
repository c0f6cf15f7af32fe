"""``tf.keras.applications.xception``: Xception (Chollet, 2017)."""

from tensorflux.keras import backend, layers
from tensorflux.keras.applications import imagenet_utils

__all__ = ["Xception", "decode_predictions", "preprocess_input"]

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/xception/"
_FILES = {
    True: ("xception_weights_tf_dim_ordering_tf_kernels.h5", "0a58e3b7378bc2990ea3b43d5981f1f6"),
    False: (
        "xception_weights_tf_dim_ordering_tf_kernels_notop.h5",
        "b0042744bf5b25fce3cb969f33bebb97",
    ),
}


def _axis():
    return 1 if backend.image_data_format() == "channels_first" else -1


def _sepconv_bn(x, filters, name):
    x = layers.SeparableConv2D(filters, (3, 3), padding="same", use_bias=False, name=name)(x)
    return layers.BatchNormalization(axis=_axis(), name=name + "_bn")(x)


def _entry_block(x, filters, block, relu_first, out_filters=None):
    """Two separable convolutions and a strided max pooling, added to a strided
    1x1 projection of the block's input."""
    out_filters = out_filters or filters
    residual = layers.Conv2D(out_filters, (1, 1), strides=(2, 2), padding="same", use_bias=False)(x)
    residual = layers.BatchNormalization(axis=_axis())(residual)
    if relu_first:
        x = layers.Activation("relu", name=f"block{block}_sepconv1_act")(x)
    x = _sepconv_bn(x, filters, f"block{block}_sepconv1")
    x = layers.Activation("relu", name=f"block{block}_sepconv2_act")(x)
    x = _sepconv_bn(x, out_filters, f"block{block}_sepconv2")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="same", name=f"block{block}_pool")(x)
    return layers.add([x, residual])


def Xception(  # noqa: N802 - Keras' public name
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
):
    """The Xception model (depthwise separable convolutions with residual
    connections), optionally with Keras' ImageNet weights. Inputs: RGB in [0, 255]
    through ``xception.preprocess_input`` (scaled to [-1, 1]).

    Args:
        include_top: include the global pooling + Dense classifier.
        weights: None, "imagenet" or the path of a weights file.
        input_tensor: a Keras tensor to use as the image input.
        input_shape: ``(height, width, channels)``, at least 71x71; the default
            ``(299, 299, 3)`` is required with ``include_top`` and ImageNet weights.
        pooling: without the top, None, "avg" or "max".
        classes: classes of the classifier.
        classifier_activation: the top layer's activation.

    Returns:
        A functional ``tf.keras.Model`` named "xception".

    Raises:
        ValueError: invalid arguments (Keras' messages).

    >>> model = Xception(weights=None)  # doctest: +SKIP
    >>> model.output_shape  # doctest: +SKIP
    (None, 1000)
    """
    imagenet_utils.check_weights_argument(weights, include_top, classes, ".", "")
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=299,
        min_size=71,
        data_format=backend.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    img_input = imagenet_utils.model_input(input_tensor, input_shape)
    x = layers.Conv2D(32, (3, 3), strides=(2, 2), use_bias=False, name="block1_conv1")(img_input)
    x = layers.BatchNormalization(axis=_axis(), name="block1_conv1_bn")(x)
    x = layers.Activation("relu", name="block1_conv1_act")(x)
    x = layers.Conv2D(64, (3, 3), use_bias=False, name="block1_conv2")(x)
    x = layers.BatchNormalization(axis=_axis(), name="block1_conv2_bn")(x)
    x = layers.Activation("relu", name="block1_conv2_act")(x)
    x = _entry_block(x, 128, 2, relu_first=False)
    x = _entry_block(x, 256, 3, relu_first=True)
    x = _entry_block(x, 728, 4, relu_first=True)
    for block in range(5, 13):
        residual = x
        for k in (1, 2, 3):
            x = layers.Activation("relu", name=f"block{block}_sepconv{k}_act")(x)
            x = _sepconv_bn(x, 728, f"block{block}_sepconv{k}")
        x = layers.add([x, residual])
    x = _entry_block(x, 728, 13, relu_first=True, out_filters=1024)
    x = _sepconv_bn(x, 1536, "block14_sepconv1")
    x = layers.Activation("relu", name="block14_sepconv1_act")(x)
    x = _sepconv_bn(x, 2048, "block14_sepconv2")
    x = layers.Activation("relu", name="block14_sepconv2_act")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)
    model = imagenet_utils.finish_model(img_input, input_tensor, x, "xception")
    fname, file_hash = _FILES[bool(include_top)]
    imagenet_utils.load_model_weights(model, weights, fname, _BASE + fname, file_hash)
    return model


def preprocess_input(x, data_format=None):
    """``imagenet_utils.preprocess_input`` in "tf" mode (scaled to [-1, 1])."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
