"""``tf.keras.applications.inception_v3``: InceptionV3 (Szegedy et al., 2015)."""

from tensorflux.keras import backend, layers
from tensorflux.keras.applications import imagenet_utils

__all__ = ["InceptionV3", "decode_predictions", "preprocess_input"]

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/inception_v3/"
_FILES = {
    True: (
        "inception_v3_weights_tf_dim_ordering_tf_kernels.h5",
        "9a0d58056eeedaa3f26cb7ebd46da564",
    ),
    False: (
        "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5",
        "bcbd6486424b2319ff4ef7d526e38f63",
    ),
}


def _channel_axis():
    return 1 if backend.image_data_format() == "channels_first" else 3


def conv2d_bn(x, filters, num_row, num_col, padding="same", strides=(1, 1), name=None):
    """Convolution without bias, batch norm without scale, ReLU; ``name`` names
    them ``<name>_conv``, ``<name>_bn`` and ``<name>``."""
    x = layers.Conv2D(
        filters,
        (num_row, num_col),
        strides=strides,
        padding=padding,
        use_bias=False,
        name=None if name is None else name + "_conv",
    )(x)
    x = layers.BatchNormalization(
        axis=_channel_axis(), scale=False, name=None if name is None else name + "_bn"
    )(x)
    return layers.Activation("relu", name=name)(x)


def _chain(x, specs):
    """Convolutions in sequence; each spec is (filters, rows, cols)."""
    for filters, rows, cols in specs:
        x = conv2d_bn(x, filters, rows, cols)
    return x


def _avg_branch(x, filters):
    pooled = layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same")(x)
    return conv2d_bn(pooled, filters, 1, 1)


def _block_35(x, pool_filters, name):
    """The 35x35 module: 1x1, 5x5, double 3x3 and pooled branches."""
    branch1x1 = conv2d_bn(x, 64, 1, 1)
    branch5x5 = _chain(x, ((48, 1, 1), (64, 5, 5)))
    branch3x3dbl = _chain(x, ((64, 1, 1), (96, 3, 3), (96, 3, 3)))
    branch_pool = _avg_branch(x, pool_filters)
    return layers.concatenate(
        [branch1x1, branch5x5, branch3x3dbl, branch_pool], axis=_channel_axis(), name=name
    )


def _block_17(x, width, name):
    """The 17x17 module: factorized 7x7 convolutions of ``width`` inner filters."""
    branch1x1 = conv2d_bn(x, 192, 1, 1)
    branch7x7 = _chain(x, ((width, 1, 1), (width, 1, 7), (192, 7, 1)))
    branch7x7dbl = _chain(
        x, ((width, 1, 1), (width, 7, 1), (width, 1, 7), (width, 7, 1), (192, 1, 7))
    )
    branch_pool = _avg_branch(x, 192)
    return layers.concatenate(
        [branch1x1, branch7x7, branch7x7dbl, branch_pool], axis=_channel_axis(), name=name
    )


def _block_8(x, i):
    """The 8x8 module with expanded 1x3 / 3x1 filter banks."""
    axis = _channel_axis()
    branch1x1 = conv2d_bn(x, 320, 1, 1)
    branch3x3 = conv2d_bn(x, 384, 1, 1)
    branch3x3 = layers.concatenate(
        [conv2d_bn(branch3x3, 384, 1, 3), conv2d_bn(branch3x3, 384, 3, 1)],
        axis=axis,
        name=f"mixed9_{i}",
    )
    branch3x3dbl = _chain(x, ((448, 1, 1), (384, 3, 3)))
    branch3x3dbl = layers.concatenate(
        [conv2d_bn(branch3x3dbl, 384, 1, 3), conv2d_bn(branch3x3dbl, 384, 3, 1)], axis=axis
    )
    branch_pool = _avg_branch(x, 192)
    return layers.concatenate(
        [branch1x1, branch3x3, branch3x3dbl, branch_pool], axis=axis, name=f"mixed{9 + i}"
    )


def InceptionV3(  # noqa: N802 - Keras' public name
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
):
    """The InceptionV3 model, optionally with Keras' ImageNet weights. Inputs: RGB in
    [0, 255] through ``inception_v3.preprocess_input`` (scaled to [-1, 1]).

    Args:
        include_top: include the global pooling + Dense classifier.
        weights: None, "imagenet" or the path of a weights file.
        input_tensor: a Keras tensor to use as the image input.
        input_shape: ``(height, width, channels)``, at least 75x75; the default
            ``(299, 299, 3)`` is required with ``include_top`` and ImageNet weights.
        pooling: without the top, None, "avg" or "max".
        classes: classes of the classifier.
        classifier_activation: the top layer's activation.

    Returns:
        A functional ``tf.keras.Model`` named "inception_v3".

    Raises:
        ValueError: invalid arguments (Keras' messages).

    >>> model = InceptionV3(weights=None)  # doctest: +SKIP
    >>> model.output_shape  # doctest: +SKIP
    (None, 1000)
    """
    imagenet_utils.check_weights_argument(
        weights, include_top, classes, "; Received: weights={}", "; Received classes={}"
    )
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=299,
        min_size=75,
        data_format=backend.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    img_input = imagenet_utils.model_input(input_tensor, input_shape)
    axis = _channel_axis()
    x = conv2d_bn(img_input, 32, 3, 3, strides=(2, 2), padding="valid")
    x = conv2d_bn(x, 32, 3, 3, padding="valid")
    x = conv2d_bn(x, 64, 3, 3)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = conv2d_bn(x, 80, 1, 1, padding="valid")
    x = conv2d_bn(x, 192, 3, 3, padding="valid")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = _block_35(x, 32, "mixed0")
    x = _block_35(x, 64, "mixed1")
    x = _block_35(x, 64, "mixed2")
    branch3x3 = conv2d_bn(x, 384, 3, 3, strides=(2, 2), padding="valid")
    branch3x3dbl = _chain(x, ((64, 1, 1), (96, 3, 3)))
    branch3x3dbl = conv2d_bn(branch3x3dbl, 96, 3, 3, strides=(2, 2), padding="valid")
    branch_pool = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = layers.concatenate([branch3x3, branch3x3dbl, branch_pool], axis=axis, name="mixed3")
    x = _block_17(x, 128, "mixed4")
    x = _block_17(x, 160, "mixed5")
    x = _block_17(x, 160, "mixed6")
    x = _block_17(x, 192, "mixed7")
    branch3x3 = conv2d_bn(x, 192, 1, 1)
    branch3x3 = conv2d_bn(branch3x3, 320, 3, 3, strides=(2, 2), padding="valid")
    branch7x7x3 = _chain(x, ((192, 1, 1), (192, 1, 7), (192, 7, 1)))
    branch7x7x3 = conv2d_bn(branch7x7x3, 192, 3, 3, strides=(2, 2), padding="valid")
    branch_pool = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = layers.concatenate([branch3x3, branch7x7x3, branch_pool], axis=axis, name="mixed8")
    x = _block_8(x, 0)
    x = _block_8(x, 1)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)
    model = imagenet_utils.finish_model(img_input, input_tensor, x, "inception_v3")
    fname, file_hash = _FILES[bool(include_top)]
    imagenet_utils.load_model_weights(model, weights, fname, _BASE + fname, file_hash)
    return model


def preprocess_input(x, data_format=None):
    """``imagenet_utils.preprocess_input`` in "tf" mode (scaled to [-1, 1])."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
