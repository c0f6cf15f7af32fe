"""``tf.keras.applications.densenet``: DenseNet121/169/201 (Huang et al., 2017)."""

from tensorflux.keras import backend, layers
from tensorflux.keras.applications import imagenet_utils

__all__ = ["DenseNet121", "DenseNet169", "DenseNet201", "decode_predictions", "preprocess_input"]

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/densenet/"
# blocks per dense stage -> (model name, md5 with top, md5 without top)
_MODELS = {
    (6, 12, 24, 16): (
        "densenet121",
        "9d60b8095a5708f2dcce2bca79d332c7",
        "30ee3e1110167f948a6b9946edeeb738",
    ),
    (6, 12, 32, 32): (
        "densenet169",
        "d699b8f76981ab1b30698df4c175e90b",
        "b8c4d4c20dd625c148057b9ff1c1176b",
    ),
    (6, 12, 48, 32): (
        "densenet201",
        "1ceb130c1ea1b78c3bf6114dbdfd8807",
        "c13680b51ded0fb44dff2d8f86ac8bb1",
    ),
}
_EPSILON = 1.001e-5


def _axis():
    return 3 if backend.image_data_format() == "channels_last" else 1


def _bn(x, name):
    return layers.BatchNormalization(axis=_axis(), epsilon=_EPSILON, name=name)(x)


def conv_block(x, growth_rate, name):
    """BN-ReLU-1x1 (4 * growth) and BN-ReLU-3x3 (growth) convolutions whose output
    is concatenated to the input."""
    x1 = _bn(x, name + "_0_bn")
    x1 = layers.Activation("relu", name=name + "_0_relu")(x1)
    x1 = layers.Conv2D(4 * growth_rate, 1, use_bias=False, name=name + "_1_conv")(x1)
    x1 = _bn(x1, name + "_1_bn")
    x1 = layers.Activation("relu", name=name + "_1_relu")(x1)
    x1 = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False, name=name + "_2_conv")(x1)
    return layers.Concatenate(axis=_axis(), name=name + "_concat")([x, x1])


def dense_block(x, blocks, name):
    for i in range(blocks):
        x = conv_block(x, 32, name=f"{name}_block{i + 1}")
    return x


def transition_block(x, reduction, name):
    """BN-ReLU, a 1x1 convolution to ``reduction`` of the channels, 2x2 average
    pooling."""
    x = _bn(x, name + "_bn")
    x = layers.Activation("relu", name=name + "_relu")(x)
    filters = int(x.shape[_axis()] * reduction)
    x = layers.Conv2D(filters, 1, use_bias=False, name=name + "_conv")(x)
    return layers.AveragePooling2D(2, strides=2, name=name + "_pool")(x)


def _densenet(
    blocks,
    include_top,
    weights,
    input_tensor,
    input_shape,
    pooling,
    classes,
    classifier_activation,
):
    imagenet_utils.check_weights_argument(weights, include_top, classes, ".", "")
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=224,
        min_size=32,
        data_format=backend.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    img_input = imagenet_utils.model_input(input_tensor, input_shape)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)))(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1/conv")(x)
    x = _bn(x, "conv1/bn")
    x = layers.Activation("relu", name="conv1/relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    for stage, count in enumerate(blocks):
        x = dense_block(x, count, name=f"conv{stage + 2}")
        if stage < 3:
            x = transition_block(x, 0.5, name=f"pool{stage + 2}")
    x = _bn(x, "bn")
    x = layers.Activation("relu", name="relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)
    name, top_hash, notop_hash = _MODELS[tuple(blocks)]
    model = imagenet_utils.finish_model(img_input, input_tensor, x, name)
    suffix = "" if include_top else "_notop"
    fname = f"{name}_weights_tf_dim_ordering_tf_kernels{suffix}.h5"
    file_hash = top_hash if include_top else notop_hash
    imagenet_utils.load_model_weights(model, weights, fname, _BASE + fname, file_hash)
    return model


def DenseNet121(  # noqa: N802 - Keras' public name
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
):
    """The DenseNet121 model (6, 12, 24, 16 dense blocks), optionally with Keras'
    ImageNet weights. Inputs: RGB in [0, 255] through ``densenet.preprocess_input``
    (scaled to [0, 1], then normalized per channel).

    Args:
        include_top: include the global pooling + Dense classifier.
        weights: None, "imagenet" or the path of a weights file.
        input_tensor: a Keras tensor to use as the image input.
        input_shape: ``(height, width, channels)``, at least 32x32.
        pooling: without the top, None, "avg" or "max".
        classes: classes of the classifier.
        classifier_activation: the top layer's activation.

    Returns:
        A functional ``tf.keras.Model`` named "densenet121".

    Raises:
        ValueError: invalid arguments (Keras' messages).

    >>> DenseNet121(weights=None, include_top=False, input_shape=(32, 32, 3)).output_shape
    (None, 1, 1, 1024)
    """
    return _densenet(
        (6, 12, 24, 16),
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
    )


def DenseNet169(  # noqa: N802 - Keras' public name
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
):
    """The DenseNet169 model (6, 12, 32, 32 blocks); arguments as ``DenseNet121``.

    >>> model = DenseNet169(weights=None)  # doctest: +SKIP
    >>> model.name  # doctest: +SKIP
    'densenet169'
    """
    return _densenet(
        (6, 12, 32, 32),
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
    )


def DenseNet201(  # noqa: N802 - Keras' public name
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
):
    """The DenseNet201 model (6, 12, 48, 32 blocks); arguments as ``DenseNet121``.

    >>> model = DenseNet201(weights=None)  # doctest: +SKIP
    >>> model.name  # doctest: +SKIP
    'densenet201'
    """
    return _densenet(
        (6, 12, 48, 32),
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
    )


def preprocess_input(x, data_format=None):
    """``imagenet_utils.preprocess_input`` in "torch" mode (scaled to [0, 1], then
    normalized by ImageNet's channel means and standard deviations)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="torch")


decode_predictions = imagenet_utils.decode_predictions
