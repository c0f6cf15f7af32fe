"""``tf.keras.applications.efficientnet``: EfficientNetB0-B7 (Tan & Le, 2019).

The models take RGB images in [0, 255]: they start with a Rescaling and a
Normalization layer (set by the ImageNet weights), so ``preprocess_input`` returns
its input unchanged, as in Keras.
"""

import math

import numpy as np

from tensorflux.keras import backend, layers
from tensorflux.keras.applications import imagenet_utils

__all__ = [
    "EfficientNetB0",
    "EfficientNetB1",
    "EfficientNetB2",
    "EfficientNetB3",
    "EfficientNetB4",
    "EfficientNetB5",
    "EfficientNetB6",
    "EfficientNetB7",
    "decode_predictions",
    "preprocess_input",
]

_BASE = "https://storage.googleapis.com/keras-applications/"
# (with top, without top) md5 digests of Keras' weight files.
_HASHES = {
    "b0": ("902e53a9f72be733fc0bcb005b3ebbac", "50bc09e76180e00e4465e1a485ddc09d"),
    "b1": ("1d254153d4ab51201f1646940f018540", "74c4e6b3e1f6a1eea24c589628592432"),
    "b2": ("b15cce36ff4dcbd00b6dd88e7857a6ad", "111f8e2ac8aa800a7a99e3239f7bfb39"),
    "b3": ("ffd1fdc53d0ce67064dc6a9c7960ede0", "af6d107764bb5b1abb91932881670226"),
    "b4": ("18c95ad55216b8f92d7e70b3a046e2fc", "ebc24e6d6c33eaebbd558eafbeedf1ba"),
    "b5": ("ace28f2a6363774853a83a0b21b9421a", "38879255a25d3c92d5e44e04ae6cec6f"),
    "b6": ("165f6e37dce68623721b423839de8be5", "9ecce42647a20130c1f39a5d4cb75743"),
    "b7": ("8c03f828fec3ef71311cd463b6759d99", "cbcfe4450ddf6f3ad90b1b398090fe4a"),
}
# (width, depth, default size, dropout) of B0-B7.
_SCALING = {
    "b0": (1.0, 1.0, 224, 0.2),
    "b1": (1.0, 1.1, 240, 0.2),
    "b2": (1.1, 1.2, 260, 0.3),
    "b3": (1.2, 1.4, 300, 0.3),
    "b4": (1.4, 1.8, 380, 0.4),
    "b5": (1.6, 2.2, 456, 0.4),
    "b6": (1.8, 2.6, 528, 0.5),
    "b7": (2.0, 3.1, 600, 0.5),
}
# (kernel, repeats, filters in, filters out, expansion, stride) of the B0 stages;
# every block skips when it can and squeezes-and-excites with ratio 0.25.
_STAGES = (
    (3, 1, 32, 16, 1, 1),
    (3, 2, 16, 24, 6, 2),
    (5, 2, 24, 40, 6, 2),
    (3, 3, 40, 80, 6, 2),
    (5, 3, 80, 112, 6, 1),
    (5, 4, 112, 192, 6, 2),
    (3, 1, 192, 320, 6, 1),
)
_SE_RATIO = 0.25
_IMAGENET_STDDEV_RGB = (0.229, 0.224, 0.225)
_CONV_INIT = {
    "class_name": "VarianceScaling",
    "config": {"scale": 2.0, "mode": "fan_out", "distribution": "truncated_normal"},
}
_DENSE_INIT = {
    "class_name": "VarianceScaling",
    "config": {"scale": 1.0 / 3.0, "mode": "fan_out", "distribution": "uniform"},
}


def _axis():
    return 3 if backend.image_data_format() == "channels_last" else 1


def block(
    inputs,
    activation="swish",
    drop_rate=0.0,
    name="",
    filters_in=32,
    filters_out=16,
    kernel_size=3,
    strides=1,
    expand_ratio=1,
    se_ratio=0.0,
    id_skip=True,
):
    """An MBConv block: 1x1 expansion, depthwise convolution, squeeze-and-excite,
    1x1 projection, and (same shape) a residual with per-sample dropout."""
    axis = _axis()
    filters = filters_in * expand_ratio
    x = inputs
    if expand_ratio != 1:
        x = layers.Conv2D(
            filters,
            1,
            padding="same",
            use_bias=False,
            kernel_initializer=_CONV_INIT,
            name=name + "expand_conv",
        )(x)
        x = layers.BatchNormalization(axis=axis, name=name + "expand_bn")(x)
        x = layers.Activation(activation, name=name + "expand_activation")(x)
    if strides == 2:
        x = layers.ZeroPadding2D(
            padding=imagenet_utils.correct_pad(x, kernel_size), name=name + "dwconv_pad"
        )(x)
    x = layers.DepthwiseConv2D(
        kernel_size,
        strides=strides,
        padding="valid" if strides == 2 else "same",
        use_bias=False,
        depthwise_initializer=_CONV_INIT,
        name=name + "dwconv",
    )(x)
    x = layers.BatchNormalization(axis=axis, name=name + "bn")(x)
    x = layers.Activation(activation, name=name + "activation")(x)
    if 0 < se_ratio <= 1:
        filters_se = max(1, int(filters_in * se_ratio))
        se = layers.GlobalAveragePooling2D(name=name + "se_squeeze")(x)
        se_shape = (filters, 1, 1) if axis == 1 else (1, 1, filters)
        se = layers.Reshape(se_shape, name=name + "se_reshape")(se)
        se = layers.Conv2D(
            filters_se,
            1,
            padding="same",
            activation=activation,
            kernel_initializer=_CONV_INIT,
            name=name + "se_reduce",
        )(se)
        se = layers.Conv2D(
            filters,
            1,
            padding="same",
            activation="sigmoid",
            kernel_initializer=_CONV_INIT,
            name=name + "se_expand",
        )(se)
        x = layers.multiply([x, se], name=name + "se_excite")
    x = layers.Conv2D(
        filters_out,
        1,
        padding="same",
        use_bias=False,
        kernel_initializer=_CONV_INIT,
        name=name + "project_conv",
    )(x)
    x = layers.BatchNormalization(axis=axis, name=name + "project_bn")(x)
    if id_skip and strides == 1 and filters_in == filters_out:
        if drop_rate > 0:
            x = layers.Dropout(drop_rate, noise_shape=(None, 1, 1, 1), name=name + "drop")(x)
        x = layers.add([x, inputs], name=name + "add")
    return x


def _round_filters(filters, width, divisor=8):
    filters *= width
    rounded = max(divisor, int(filters + divisor / 2) // divisor * divisor)
    return int(rounded + divisor if rounded < 0.9 * filters else rounded)


def _efficientnet(
    variant,
    include_top,
    weights,
    input_tensor,
    input_shape,
    pooling,
    classes,
    classifier_activation,
    drop_connect_rate=0.2,
    activation="swish",
):
    width, depth, default_size, dropout_rate = _SCALING[variant]
    model_name = "efficientnet" + variant
    imagenet_utils.check_weights_argument(weights, include_top, classes, ".", "")
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=default_size,
        min_size=32,
        data_format=backend.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    img_input = imagenet_utils.model_input(input_tensor, input_shape)
    axis = _axis()
    x = layers.Rescaling(1.0 / 255.0)(img_input)
    x = layers.Normalization(axis=axis)(x)
    if weights == "imagenet":
        # The ImageNet weights' Normalization holds variances, not standard
        # deviations; Keras corrects that with this extra (recorded) multiply.
        shape = [1, 3, 1, 1] if axis == 1 else [1, 1, 1, 3]
        factor = np.reshape([1.0 / math.sqrt(s) for s in _IMAGENET_STDDEV_RGB], shape)
        x = x * factor.astype("float32")
    x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(x, 3), name="stem_conv_pad")(x)
    x = layers.Conv2D(
        _round_filters(32, width),
        3,
        strides=2,
        padding="valid",
        use_bias=False,
        kernel_initializer=_CONV_INIT,
        name="stem_conv",
    )(x)
    x = layers.BatchNormalization(axis=axis, name="stem_bn")(x)
    x = layers.Activation(activation, name="stem_activation")(x)
    total = float(sum(int(math.ceil(depth * stage[1])) for stage in _STAGES))
    b = 0
    for i, (kernel, repeats, f_in, f_out, expand, stride) in enumerate(_STAGES):
        f_in, f_out = _round_filters(f_in, width), _round_filters(f_out, width)
        for j in range(int(math.ceil(depth * repeats))):
            x = block(
                x,
                activation,
                drop_connect_rate * b / total,
                name=f"block{i + 1}{chr(j + 97)}_",
                filters_in=f_in if j == 0 else f_out,
                filters_out=f_out,
                kernel_size=kernel,
                strides=stride if j == 0 else 1,
                expand_ratio=expand,
                se_ratio=_SE_RATIO,
            )
            b += 1
    x = layers.Conv2D(
        _round_filters(1280, width),
        1,
        padding="same",
        use_bias=False,
        kernel_initializer=_CONV_INIT,
        name="top_conv",
    )(x)
    x = layers.BatchNormalization(axis=axis, name="top_bn")(x)
    x = layers.Activation(activation, name="top_activation")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(
            classes,
            activation=classifier_activation,
            kernel_initializer=_DENSE_INIT,
            name="predictions",
        )(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)
    model = imagenet_utils.finish_model(img_input, input_tensor, x, model_name)
    fname = model_name + (".h5" if include_top else "_notop.h5")
    file_hash = _HASHES[variant][0 if include_top else 1]
    imagenet_utils.load_model_weights(model, weights, fname, _BASE + fname, file_hash)
    return model


_DOC = """The EfficientNet{v} model, optionally with Keras' ImageNet weights. It takes
    RGB images in [0, 255] (its first layers rescale and normalize them).

    Args:
        include_top: include the global pooling + dropout + Dense classifier.
        weights: None, "imagenet" or the path of a weights file.
        input_tensor: a Keras tensor to use as the image input.
        input_shape: ``(height, width, channels)``, at least 32x32; the default
            ``({s}, {s}, 3)`` is required with ``include_top`` and ImageNet weights.
        pooling: without the top, None, "avg" or "max".
        classes: classes of the classifier.
        classifier_activation: the top layer's activation.

    Returns:
        A functional ``tf.keras.Model`` named "efficientnet{lower}".

    Raises:
        ValueError: invalid arguments (Keras' messages).

    >>> EfficientNet{v}(weights=None, include_top=False, input_shape=(32, 32, 3)).name{skip}
    'efficientnet{lower}'
    """


def _constructor(variant):
    def constructor(
        include_top=True,
        weights="imagenet",
        input_tensor=None,
        input_shape=None,
        pooling=None,
        classes=1000,
        classifier_activation="softmax",
        **kwargs,
    ):
        return _efficientnet(
            variant,
            include_top,
            weights,
            input_tensor,
            input_shape,
            pooling,
            classes,
            classifier_activation,
            **kwargs,
        )

    upper = variant.upper()
    constructor.__name__ = constructor.__qualname__ = f"EfficientNet{upper}"
    # Only B0's example runs in the docstring tests: B1-B7 take longer to build.
    skip = "" if variant == "b0" else "  # doctest: +SKIP"
    constructor.__doc__ = _DOC.format(v=upper, lower=variant, s=_SCALING[variant][2], skip=skip)
    return constructor


EfficientNetB0 = _constructor("b0")
EfficientNetB1 = _constructor("b1")
EfficientNetB2 = _constructor("b2")
EfficientNetB3 = _constructor("b3")
EfficientNetB4 = _constructor("b4")
EfficientNetB5 = _constructor("b5")
EfficientNetB6 = _constructor("b6")
EfficientNetB7 = _constructor("b7")


def preprocess_input(x, data_format=None):
    """Returns ``x`` unchanged: EfficientNet models rescale their inputs themselves.

    >>> preprocess_input(3.0)
    3.0
    """
    return x


decode_predictions = imagenet_utils.decode_predictions
