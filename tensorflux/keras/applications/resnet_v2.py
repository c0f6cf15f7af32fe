"""``tf.keras.applications.resnet_v2``: ResNet50V2/101V2/152V2 (He et al., 2016:
pre-activation residual blocks)."""

from tensorflux.keras import layers
from tensorflux.keras.applications import imagenet_utils
from tensorflux.keras.applications.resnet import _bn, build_resnet

__all__ = ["ResNet50V2", "ResNet101V2", "ResNet152V2", "decode_predictions", "preprocess_input"]


def block2(x, filters, kernel_size=3, stride=1, conv_shortcut=False, name=None):
    """A pre-activation bottleneck block: batch norm + ReLU first, then 1x1, kxk
    (strided here, after explicit padding) and 1x1 convolutions added to the
    shortcut (a 1x1 convolution, a 1x1/stride max pooling, or the input)."""
    preact = _bn(x, name + "_preact_bn")
    preact = layers.Activation("relu", name=name + "_preact_relu")(preact)
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=name + "_0_conv")(preact)
    else:
        shortcut = layers.MaxPooling2D(1, strides=stride)(x) if stride > 1 else x
    x = layers.Conv2D(filters, 1, strides=1, use_bias=False, name=name + "_1_conv")(preact)
    x = _bn(x, name + "_1_bn")
    x = layers.Activation("relu", name=name + "_1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=name + "_2_pad")(x)
    x = layers.Conv2D(filters, kernel_size, strides=stride, use_bias=False, name=name + "_2_conv")(
        x
    )
    x = _bn(x, name + "_2_bn")
    x = layers.Activation("relu", name=name + "_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=name + "_3_conv")(x)
    return layers.Add(name=name + "_out")([shortcut, x])


def stack2(x, filters, blocks, stride1=2, name=None):
    """``blocks`` V2 blocks: the first projects, the last strides."""
    x = block2(x, filters, conv_shortcut=True, name=name + "_block1")
    for i in range(2, blocks):
        x = block2(x, filters, name=f"{name}_block{i}")
    return block2(x, filters, stride=stride1, name=f"{name}_block{blocks}")


def _resnet_v2(name, blocks, args):
    def stack_fn(x):
        x = stack2(x, 64, blocks[0], name="conv2")
        x = stack2(x, 128, blocks[1], name="conv3")
        x = stack2(x, 256, blocks[2], name="conv4")
        return stack2(x, 512, blocks[3], stride1=1, name="conv5")

    return build_resnet(stack_fn, True, True, name, *args)


def ResNet50V2(  # noqa: N802 - Keras' public name
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
):
    """The ResNet50V2 model (3, 4, 6, 3 pre-activation blocks), optionally with
    Keras' ImageNet weights. Inputs: RGB in [0, 255] through
    ``resnet_v2.preprocess_input`` (scaled to [-1, 1]). Arguments as
    ``tf.keras.applications.ResNet50``.

    Returns:
        A functional ``tf.keras.Model`` named "resnet50v2".

    >>> model = ResNet50V2(weights=None)  # doctest: +SKIP
    >>> model.output_shape  # doctest: +SKIP
    (None, 1000)
    """
    args = (include_top, weights, input_tensor, input_shape, pooling, classes)
    return _resnet_v2("resnet50v2", (3, 4, 6, 3), args + (classifier_activation,))


def ResNet101V2(  # noqa: N802 - Keras' public name
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
):
    """The ResNet101V2 model (3, 4, 23, 3 blocks); arguments as ``ResNet50V2``.

    >>> model = ResNet101V2(weights=None)  # doctest: +SKIP
    >>> model.name  # doctest: +SKIP
    'resnet101v2'
    """
    args = (include_top, weights, input_tensor, input_shape, pooling, classes)
    return _resnet_v2("resnet101v2", (3, 4, 23, 3), args + (classifier_activation,))


def ResNet152V2(  # noqa: N802 - Keras' public name
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
):
    """The ResNet152V2 model (3, 8, 36, 3 blocks); arguments as ``ResNet50V2``.

    >>> model = ResNet152V2(weights=None)  # doctest: +SKIP
    >>> model.name  # doctest: +SKIP
    'resnet152v2'
    """
    args = (include_top, weights, input_tensor, input_shape, pooling, classes)
    return _resnet_v2("resnet152v2", (3, 8, 36, 3), args + (classifier_activation,))


def preprocess_input(x, data_format=None):
    """``imagenet_utils.preprocess_input`` in "tf" mode (scaled to [-1, 1])."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
