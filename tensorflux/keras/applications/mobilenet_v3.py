"""``tf.keras.applications.mobilenet_v3``: MobileNetV3Small/Large (Howard et al., 2019).

The models rescale their [0, 255] inputs themselves (``include_preprocessing``);
``preprocess_input`` returns its input unchanged, as in Keras.
"""

import warnings

from tensorflux.keras import backend, layers
from tensorflux.keras.applications import imagenet_utils
from tensorflux.keras.applications.mobilenet_v2 import make_divisible as _depth

__all__ = ["decode_predictions", "preprocess_input"]

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v3/"
# (with top, without top) md5 digests of Keras' weight files.
_HASHES = {
    "large_224_0.75_float": (
        "765b44a33ad4005b3ac83185abf1d0eb",
        "40af19a13ebea4e2ee0c676887f69a2e",
    ),
    "large_224_1.0_float": ("59e551e166be033d707958cf9e29a6a7", "07fb09a5933dd0c8eaafa16978110389"),
    "large_minimalistic_224_1.0_float": (
        "675e7b876c45c57e9e63e6d90a36599c",
        "ec5221f64a2f6d1ef965a614bdae7973",
    ),
    "small_224_0.75_float": (
        "cb65d4e5be93758266aa0a7f2c6708b7",
        "ebdb5cc8e0b497cd13a7c275d475c819",
    ),
    "small_224_1.0_float": ("8768d4c2e7dee89b9d02b2d03d65d862", "d3e8ec802a04aa4fc771ee12a9a9b836"),
    "small_minimalistic_224_1.0_float": (
        "99cd97fb2fcdad2bf028eb838de69e37",
        "cde8136e733e811080d9fcd8a252f7e4",
    ),
}
# (expansion, filters, kernel or None for the model's, stride, squeeze-excite,
# "relu" or None for the model's activation) per inverted residual block.
_SMALL = (
    (1, 16, 3, 2, True, "relu"),
    (72.0 / 16, 24, 3, 2, False, "relu"),
    (88.0 / 24, 24, 3, 1, False, "relu"),
    (4, 40, None, 2, True, None),
    (6, 40, None, 1, True, None),
    (6, 40, None, 1, True, None),
    (3, 48, None, 1, True, None),
    (3, 48, None, 1, True, None),
    (6, 96, None, 2, True, None),
    (6, 96, None, 1, True, None),
    (6, 96, None, 1, True, None),
)
_LARGE = (
    (1, 16, 3, 1, False, "relu"),
    (4, 24, 3, 2, False, "relu"),
    (3, 24, 3, 1, False, "relu"),
    (3, 40, None, 2, True, "relu"),
    (3, 40, None, 1, True, "relu"),
    (3, 40, None, 1, True, "relu"),
    (6, 80, 3, 2, False, None),
    (2.5, 80, 3, 1, False, None),
    (2.3, 80, 3, 1, False, None),
    (2.3, 80, 3, 1, False, None),
    (6, 112, 3, 1, True, None),
    (6, 112, 3, 1, True, None),
    (6, 160, None, 2, True, None),
    (6, 160, None, 1, True, None),
    (6, 160, None, 1, True, None),
)


def _relu(x):
    return layers.ReLU()(x)


def _hard_sigmoid(x):
    # ReLU6(x + 3) / 6 as two TF ops around a ReLU layer, the layers Keras records.
    return layers.ReLU(6.0)(x + 3.0) * (1.0 / 6.0)


def _hard_swish(x):
    return layers.Multiply()([x, _hard_sigmoid(x)])


def _channel_axis():
    return 1 if backend.image_data_format() == "channels_first" else -1


def _bn(x, name):
    return layers.BatchNormalization(axis=_channel_axis(), epsilon=1e-3, momentum=0.999, name=name)(
        x
    )


def _se_block(inputs, filters, se_ratio, prefix):
    x = layers.GlobalAveragePooling2D(keepdims=True, name=prefix + "squeeze_excite/AvgPool")(inputs)
    x = layers.Conv2D(
        _depth(filters * se_ratio),
        kernel_size=1,
        padding="same",
        name=prefix + "squeeze_excite/Conv",
    )(x)
    x = layers.ReLU(name=prefix + "squeeze_excite/Relu")(x)
    x = layers.Conv2D(
        filters, kernel_size=1, padding="same", name=prefix + "squeeze_excite/Conv_1"
    )(x)
    x = _hard_sigmoid(x)
    return layers.Multiply(name=prefix + "squeeze_excite/Mul")([inputs, x])


def _inverted_res_block(x, expansion, filters, kernel_size, stride, se_ratio, activation, block):
    shortcut = x
    prefix = "expanded_conv/"
    in_filters = x.shape[_channel_axis()]
    if block:
        prefix = f"expanded_conv_{block}/"
        x = layers.Conv2D(
            _depth(in_filters * expansion),
            kernel_size=1,
            padding="same",
            use_bias=False,
            name=prefix + "expand",
        )(x)
        x = _bn(x, prefix + "expand/BatchNorm")
        x = activation(x)
    if stride == 2:
        x = layers.ZeroPadding2D(
            padding=imagenet_utils.correct_pad(x, kernel_size), name=prefix + "depthwise/pad"
        )(x)
    x = layers.DepthwiseConv2D(
        kernel_size,
        strides=stride,
        padding="same" if stride == 1 else "valid",
        use_bias=False,
        name=prefix + "depthwise",
    )(x)
    x = _bn(x, prefix + "depthwise/BatchNorm")
    x = activation(x)
    if se_ratio:
        x = _se_block(x, _depth(in_filters * expansion), se_ratio, prefix)
    x = layers.Conv2D(
        filters, kernel_size=1, padding="same", use_bias=False, name=prefix + "project"
    )(x)
    x = _bn(x, prefix + "project/BatchNorm")
    if stride == 1 and in_filters == filters:
        x = layers.Add(name=prefix + "Add")([shortcut, x])
    return x


def _input_shape(input_shape, input_tensor):
    first = backend.image_data_format() == "channels_first"
    if input_shape is not None and input_tensor is not None:
        if not getattr(input_tensor, "_is_keras_tensor", False):
            raise ValueError(f"input_tensor specified: {input_tensor} is not a keras tensor")
        shape = tuple(input_tensor.shape)
        if (shape[1] if first else shape[2]) != input_shape[1]:
            where = (
                "backend.int_shape(input_tensor)[1]"
                if first
                else ("backend.int_shape(input_tensor)[2]")
            )
            raise ValueError(
                f"input_shape[1] must equal {where}.  Received input_shape={input_shape}, "
                f"backend.int_shape(input_tensor)={shape}"
            )
    if input_shape is None and getattr(input_tensor, "_is_keras_tensor", False):
        shape = tuple(input_tensor.shape)
        rows, cols = shape[2:4] if first else shape[1:3]
        input_shape = (3, cols, rows) if first else (cols, rows, 3)
    if input_shape is None and input_tensor is None:
        input_shape = (3, None, None) if first else (None, None, 3)
    return input_shape


def _mobilenet_v3(
    blocks,
    last_point_ch,
    input_shape,
    alpha,
    model_type,
    minimalistic,
    include_top,
    weights,
    input_tensor,
    classes,
    pooling,
    dropout_rate,
    classifier_activation,
    include_preprocessing,
):
    imagenet_utils.check_weights_argument(
        weights, include_top, classes, ".  Received weights={}", ".  Received classes={}"
    )
    input_shape = _input_shape(input_shape, input_tensor)
    first = backend.image_data_format() == "channels_first"
    rows, cols = input_shape[1:3] if first else input_shape[0:2]
    if rows and cols and (rows < 32 or cols < 32):
        raise ValueError(f"Input size must be at least 32x32; Received `input_shape={input_shape}`")
    if weights == "imagenet":
        if (not minimalistic and alpha not in [0.75, 1.0]) or (minimalistic and alpha != 1.0):
            raise ValueError(
                "If imagenet weights are being loaded, alpha can be one of `0.75`, `1.0` "
                "for non minimalistic or `1.0` for minimalistic only."
            )
        if rows != cols or rows != 224:
            warnings.warn(
                "`input_shape` is undefined or non-square, or `rows` is not 224. Weights "
                "for input shape (224, 224) will be loaded as the default.",
                stacklevel=3,
            )
    img_input = imagenet_utils.model_input(input_tensor, input_shape)
    if minimalistic:
        kernel, activation, se_ratio = 3, _relu, None
    else:
        kernel, activation, se_ratio = 5, _hard_swish, 0.25
    x = img_input
    if include_preprocessing:
        x = layers.Rescaling(scale=1.0 / 127.5, offset=-1.0)(x)
    x = layers.Conv2D(
        16, kernel_size=3, strides=(2, 2), padding="same", use_bias=False, name="Conv"
    )(x)
    x = _bn(x, "Conv/BatchNorm")
    x = activation(x)
    for block, (expansion, filters, size, stride, se, act) in enumerate(blocks):
        x = _inverted_res_block(
            x,
            expansion,
            _depth(filters * alpha),
            size or kernel,
            stride,
            se_ratio if se else None,
            _relu if act == "relu" else activation,
            block,
        )
    last_conv_ch = _depth(x.shape[_channel_axis()] * 6)
    if alpha > 1.0:
        last_point_ch = _depth(last_point_ch * alpha)
    x = layers.Conv2D(last_conv_ch, kernel_size=1, padding="same", use_bias=False, name="Conv_1")(x)
    x = _bn(x, "Conv_1/BatchNorm")
    x = activation(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Conv2D(
            last_point_ch, kernel_size=1, padding="same", use_bias=True, name="Conv_2"
        )(x)
        x = activation(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate)(x)
        x = layers.Conv2D(classes, kernel_size=1, padding="same", name="Logits")(x)
        x = layers.Flatten()(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Activation(activation=classifier_activation, name="Predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)
    model = imagenet_utils.finish_model(img_input, input_tensor, x, "MobilenetV3" + model_type)
    if weights == "imagenet":
        minimal = "_minimalistic" if minimalistic else ""
        key = f"{model_type}{minimal}_224_{alpha}_float"
        top = "" if include_top else "_no_top_v2"
        fname = f"weights_mobilenet_v3_{key}{top}.h5"
        file_hash = _HASHES[key][0 if include_top else 1]
        imagenet_utils.load_model_weights(model, weights, fname, _BASE + fname, file_hash)
    else:
        imagenet_utils.load_model_weights(model, weights)
    return model


def MobileNetV3Small(  # noqa: N802 - Keras' public name
    input_shape=None,
    alpha=1.0,
    minimalistic=False,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    classes=1000,
    pooling=None,
    dropout_rate=0.2,
    classifier_activation="softmax",
    include_preprocessing=True,
):
    """The MobileNetV3Small model, optionally with Keras' ImageNet weights. It takes
    RGB images in [0, 255] (in [-1, 1] with ``include_preprocessing=False``).

    Args:
        input_shape: ``(height, width, channels)``, at least 32x32; default
            ``(None, None, 3)``. ImageNet weights are for 224x224.
        alpha: width multiplier (ImageNet weights: 0.75 or 1.0; 1.0 minimalistic).
        minimalistic: 3x3 kernels, ReLU and no squeeze-and-excite blocks.
        include_top: include the classifier (1x1 convolutions).
        weights: None, "imagenet" or the path of a weights file.
        input_tensor: a Keras tensor to use as the image input.
        classes: classes of the classifier.
        pooling: without the top, None, "avg" or "max".
        dropout_rate: dropout before the last convolution.
        classifier_activation: the top layer's activation.
        include_preprocessing: start with a Rescaling layer from [0, 255] to [-1, 1].

    Returns:
        A functional ``tf.keras.Model`` named "MobilenetV3small".

    Raises:
        ValueError: invalid arguments (Keras' messages).

    >>> MobileNetV3Small(weights=None, input_shape=(32, 32, 3), classes=10).name
    'MobilenetV3small'
    """
    return _mobilenet_v3(
        _SMALL,
        1024,
        input_shape,
        alpha,
        "small",
        minimalistic,
        include_top,
        weights,
        input_tensor,
        classes,
        pooling,
        dropout_rate,
        classifier_activation,
        include_preprocessing,
    )


def MobileNetV3Large(  # noqa: N802 - Keras' public name
    input_shape=None,
    alpha=1.0,
    minimalistic=False,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    classes=1000,
    pooling=None,
    dropout_rate=0.2,
    classifier_activation="softmax",
    include_preprocessing=True,
):
    """The MobileNetV3Large model; arguments as ``MobileNetV3Small``.

    Returns:
        A functional ``tf.keras.Model`` named "MobilenetV3large".

    >>> MobileNetV3Large(weights=None, input_shape=(32, 32, 3), classes=10).name
    'MobilenetV3large'
    """
    return _mobilenet_v3(
        _LARGE,
        1280,
        input_shape,
        alpha,
        "large",
        minimalistic,
        include_top,
        weights,
        input_tensor,
        classes,
        pooling,
        dropout_rate,
        classifier_activation,
        include_preprocessing,
    )


def preprocess_input(x, data_format=None):
    """Returns ``x`` unchanged: MobileNetV3 models rescale their inputs themselves
    (kept so that every application module has the same functions).

    >>> preprocess_input(3.0)
    3.0
    """
    return x


decode_predictions = imagenet_utils.decode_predictions
