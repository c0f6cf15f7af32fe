"""``tf.keras.applications.resnet``: ResNet50/101/152 (He et al., 2015), and the
builder shared with ResNet V2."""

from tensorflux.keras import backend, layers
from tensorflux.keras.applications import imagenet_utils

__all__ = ["ResNet50", "ResNet101", "ResNet152", "decode_predictions", "preprocess_input"]

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/resnet/"
# (with top, without top) md5 digests of Keras' weight files.
_HASHES = {
    "resnet50": ("2cb95161c43110f7111970584f804107", "4d473c1dd8becc155b73f8504c6f6626"),
    "resnet101": ("f1aeb4b969a6efcfb50fad2f0c20cfc5", "88cf7a10940856eca736dc7b7e228a21"),
    "resnet152": ("100835be76be38e30d865e96f2aaae62", "ee4c566cf9a93f14d82f913c2dc6dd0c"),
    "resnet50v2": ("3ef43a0b657b3be2300d5770ece849e0", "fac2f116257151a9d068a22e544a4917"),
    "resnet101v2": ("6343647c601c52e1368623803854d971", "c0ed64b8031c3730f411d2eb4eea35b5"),
    "resnet152v2": ("a49b44d1979771252814e80f8ec446f9", "ed17cf2e0169df9d443503ef94b23b33"),
}
_EPSILON = 1.001e-5


def _no_kwargs(kwargs):
    if kwargs:
        raise ValueError(f"Unknown argument(s): {kwargs}")


def _bn_axis():
    return 3 if backend.image_data_format() == "channels_last" else 1


def _bn(x, name):
    return layers.BatchNormalization(axis=_bn_axis(), epsilon=_EPSILON, name=name)(x)


def build_resnet(
    stack_fn,
    preact,
    use_bias,
    model_name,
    include_top,
    weights,
    input_tensor,
    input_shape,
    pooling,
    classes,
    classifier_activation,
):
    """A ResNet: a 7x7/2 stem and 3x3/2 max pooling, ``stack_fn``'s residual stages,
    then (V2, ``preact``) a final batch norm + ReLU and the optional classifier."""
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
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=use_bias, name="conv1_conv")(x)
    if not preact:
        x = _bn(x, "conv1_bn")
        x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    x = stack_fn(x)
    if preact:
        x = _bn(x, "post_bn")
        x = layers.Activation("relu", name="post_relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)
    model = imagenet_utils.finish_model(img_input, input_tensor, x, model_name)
    if weights == "imagenet":
        suffix = "" if include_top else "_notop"
        fname = f"{model_name}_weights_tf_dim_ordering_tf_kernels{suffix}.h5"
        file_hash = _HASHES[model_name][0 if include_top else 1]
        imagenet_utils.load_model_weights(model, weights, fname, _BASE + fname, file_hash)
    else:
        imagenet_utils.load_model_weights(model, weights)
    return model


def block1(x, filters, kernel_size=3, stride=1, conv_shortcut=True, name=None):
    """A bottleneck block (1x1, kxk, 1x1 with 4x filters) added to its shortcut,
    then ReLU."""
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=name + "_0_conv")(x)
        shortcut = _bn(shortcut, name + "_0_bn")
    else:
        shortcut = x
    x = layers.Conv2D(filters, 1, strides=stride, name=name + "_1_conv")(x)
    x = _bn(x, name + "_1_bn")
    x = layers.Activation("relu", name=name + "_1_relu")(x)
    x = layers.Conv2D(filters, kernel_size, padding="SAME", name=name + "_2_conv")(x)
    x = _bn(x, name + "_2_bn")
    x = layers.Activation("relu", name=name + "_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=name + "_3_conv")(x)
    x = _bn(x, name + "_3_bn")
    x = layers.Add(name=name + "_add")([shortcut, x])
    return layers.Activation("relu", name=name + "_out")(x)


def stack1(x, filters, blocks, stride1=2, name=None):
    """``blocks`` V1 bottleneck blocks; the first one projects and strides."""
    x = block1(x, filters, stride=stride1, name=name + "_block1")
    for i in range(2, blocks + 1):
        x = block1(x, filters, conv_shortcut=False, name=f"{name}_block{i}")
    return x


def _v1_stacks(blocks):
    def stack_fn(x):
        x = stack1(x, 64, blocks[0], stride1=1, name="conv2")
        x = stack1(x, 128, blocks[1], name="conv3")
        x = stack1(x, 256, blocks[2], name="conv4")
        return stack1(x, 512, blocks[3], name="conv5")

    return stack_fn


def _resnet_v1(name, blocks, args):
    return build_resnet(_v1_stacks(blocks), False, True, name, *args)


def ResNet50(  # noqa: N802 - Keras' public name
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    **kwargs,
):
    """The ResNet50 model (3, 4, 6, 3 bottleneck blocks), optionally with Keras'
    ImageNet weights. Inputs: RGB in [0, 255] through ``resnet.preprocess_input``.

    Args:
        include_top: include the global average pooling + Dense classifier.
        weights: None (random), "imagenet" (Keras' weight file, fetched into
            ``~/.keras/models/``) or the path of a weights file.
        input_tensor: a Keras tensor to use as the image input.
        input_shape: ``(height, width, channels)``, at least 32x32.
        pooling: without the top, None (4D output), "avg" or "max".
        classes: classes of the classifier (1000 with ImageNet weights).
        classifier_activation: the top layer's activation.

    Returns:
        A functional ``tf.keras.Model`` named "resnet50".

    Raises:
        ValueError: invalid arguments (Keras' messages).

    >>> model = ResNet50(weights=None)  # doctest: +SKIP
    >>> model.output_shape  # doctest: +SKIP
    (None, 1000)
    """
    _no_kwargs(kwargs)
    args = (include_top, weights, input_tensor, input_shape, pooling, classes)
    return _resnet_v1("resnet50", (3, 4, 6, 3), args + (classifier_activation,))


def ResNet101(  # noqa: N802 - Keras' public name
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    **kwargs,
):
    """The ResNet101 model (3, 4, 23, 3 blocks); arguments as ``ResNet50``.

    >>> model = ResNet101(weights=None)  # doctest: +SKIP
    >>> model.name  # doctest: +SKIP
    'resnet101'
    """
    _no_kwargs(kwargs)
    args = (include_top, weights, input_tensor, input_shape, pooling, classes)
    return _resnet_v1("resnet101", (3, 4, 23, 3), args + (classifier_activation,))


def ResNet152(  # noqa: N802 - Keras' public name
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    **kwargs,
):
    """The ResNet152 model (3, 8, 36, 3 blocks); arguments as ``ResNet50``.

    >>> model = ResNet152(weights=None)  # doctest: +SKIP
    >>> model.name  # doctest: +SKIP
    'resnet152'
    """
    _no_kwargs(kwargs)
    args = (include_top, weights, input_tensor, input_shape, pooling, classes)
    return _resnet_v1("resnet152", (3, 8, 36, 3), args + (classifier_activation,))


def preprocess_input(x, data_format=None):
    """``imagenet_utils.preprocess_input`` in "caffe" mode."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


decode_predictions = imagenet_utils.decode_predictions
