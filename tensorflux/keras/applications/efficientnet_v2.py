"""``tf.keras.applications.efficientnet_v2``: EfficientNetV2 B0-B3, S, M and L (Tan &
Le, 2021).

The models take RGB images in [0, 255]: they start with their own rescaling (B0-B3
also normalize by ImageNet's statistics), so ``preprocess_input`` returns its input
unchanged, as in Keras.
"""

import math

from tensorflux.keras import backend, initializers, layers
from tensorflux.keras.applications import imagenet_utils

__all__ = [
    "EfficientNetV2B0",
    "EfficientNetV2B1",
    "EfficientNetV2B2",
    "EfficientNetV2B3",
    "EfficientNetV2L",
    "EfficientNetV2M",
    "EfficientNetV2S",
    "decode_predictions",
    "preprocess_input",
]

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/efficientnet_v2/"
# (with top, without top) md5 digests of Keras' weight files, by the model name's end.
_HASHES = {
    "b0": ("21ecbf6da12460d5c40bb2f29ceb2188", "893217f2bb855e2983157299931e43ff"),
    "b1": ("069f0534ff22adf035c89e2d9547a9dc", "0e80663031ca32d657f9caa404b6ec37"),
    "b2": ("424e49f28180edbde1e94797771950a7", "1dfe2e7a5d45b6632553a8961ea609eb"),
    "b3": ("1f1fc43bd98a6e4fd8fdfd551e02c7a0", "f6abf7b5849ac99a89b50dd3fd532856"),
    "-s": ("e1d88a8495beba45748fedd0cecbe016", "af0682fb74e8c54910f2d4393339c070"),
    "-m": ("a3bf6aa3276309f4fc6a34aa114c95cd", "1b8dc055df72dde80d614482840fe342"),
    "-l": ("27e6d408b53c7ebc868fefa357689935", "b0b66b5c863aef5b46e8608fe1711615"),
}
# Stages as (fused, kernel, repeats, filters in, filters out, expansion, se ratio,
# stride): fused stages run FusedMBConv blocks, the others MBConv blocks.
_B_STAGES = (
    (True, 3, 1, 32, 16, 1, 0.0, 1),
    (True, 3, 2, 16, 32, 4, 0.0, 2),
    (True, 3, 2, 32, 48, 4, 0.0, 2),
    (False, 3, 3, 48, 96, 4, 0.25, 2),
    (False, 3, 5, 96, 112, 6, 0.25, 1),
    (False, 3, 8, 112, 192, 6, 0.25, 2),
)
_STAGES = {
    "b0": _B_STAGES,
    "b1": _B_STAGES,
    "b2": _B_STAGES,
    "b3": _B_STAGES,
    "s": (
        (True, 3, 2, 24, 24, 1, 0.0, 1),
        (True, 3, 4, 24, 48, 4, 0.0, 2),
        (True, 3, 4, 48, 64, 4, 0.0, 2),
        (False, 3, 6, 64, 128, 4, 0.25, 2),
        (False, 3, 9, 128, 160, 6, 0.25, 1),
        (False, 3, 15, 160, 256, 6, 0.25, 2),
    ),
    "m": (
        (True, 3, 3, 24, 24, 1, 0.0, 1),
        (True, 3, 5, 24, 48, 4, 0.0, 2),
        (True, 3, 5, 48, 80, 4, 0.0, 2),
        (False, 3, 7, 80, 160, 4, 0.25, 2),
        (False, 3, 14, 160, 176, 6, 0.25, 1),
        (False, 3, 18, 176, 304, 6, 0.25, 2),
        (False, 3, 5, 304, 512, 6, 0.25, 1),
    ),
    "l": (
        (True, 3, 4, 32, 32, 1, 0.0, 1),
        (True, 3, 7, 32, 64, 4, 0.0, 2),
        (True, 3, 7, 64, 96, 4, 0.0, 2),
        (False, 3, 10, 96, 192, 4, 0.25, 2),
        (False, 3, 19, 192, 224, 6, 0.25, 1),
        (False, 3, 25, 224, 384, 6, 0.25, 2),
        (False, 3, 7, 384, 640, 6, 0.25, 1),
    ),
}
# (width, depth, default size) of each variant.
_SCALING = {
    "b0": (1.0, 1.0, 224),
    "b1": (1.0, 1.1, 240),
    "b2": (1.1, 1.2, 260),
    "b3": (1.2, 1.4, 300),
    "s": (1.0, 1.0, 384),
    "m": (1.0, 1.0, 480),
    "l": (1.0, 1.0, 480),
}
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


def _round_filters(filters, width, divisor=8):
    return int(max(divisor, int(filters * width + divisor / 2) // divisor * divisor))


def _conv_bn_act(x, filters, kernel, strides, name, bn_momentum, activation, act_name):
    x = layers.Conv2D(
        filters,
        kernel_size=kernel,
        strides=strides,
        kernel_initializer=_CONV_INIT,
        padding="same",
        use_bias=False,
        name=name + "_conv",
    )(x)
    x = layers.BatchNormalization(axis=_axis(), momentum=bn_momentum, name=name + "_bn")(x)
    if activation is None:
        return x
    return layers.Activation(activation, name=act_name)(x)


def _squeeze_excite(x, filters, filters_in, se_ratio, activation, name):
    filters_se = max(1, int(filters_in * se_ratio))
    se = layers.GlobalAveragePooling2D(name=name + "se_squeeze")(x)
    se_shape = (filters, 1, 1) if _axis() == 1 else (1, 1, filters)
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
    return layers.multiply([x, se], name=name + "se_excite")


def _residual(x, inputs, strides, filters_in, filters_out, drop_rate, name):
    if strides == 1 and filters_in == filters_out:
        if drop_rate:
            x = layers.Dropout(drop_rate, noise_shape=(None, 1, 1, 1), name=name + "drop")(x)
        x = layers.add([x, inputs], name=name + "add")
    return x


def _mbconv(inputs, fused, kernel, f_in, f_out, expand, se_ratio, strides, drop, act, mom, name):
    """An MBConv block (1x1 expansion, depthwise convolution) or, ``fused``, a
    FusedMBConv block (one full expanding convolution); then squeeze-and-excite,
    the 1x1 projection and the residual with per-sample dropout."""
    filters = f_in * expand
    x = inputs
    if expand != 1:
        x = _conv_bn_act(
            x,
            filters,
            kernel if fused else 1,
            strides if fused else 1,
            name + "expand",
            mom,
            act,
            name + "expand_activation",
        )
    if not fused:
        x = layers.DepthwiseConv2D(
            kernel_size=kernel,
            strides=strides,
            depthwise_initializer=_CONV_INIT,
            padding="same",
            use_bias=False,
            name=name + "dwconv2",
        )(x)
        x = layers.BatchNormalization(axis=_axis(), momentum=mom, name=name + "bn")(x)
        x = layers.Activation(act, name=name + "activation")(x)
    if 0 < se_ratio <= 1:
        x = _squeeze_excite(x, filters, f_in, se_ratio, act, name)
    projects_alone = fused and expand == 1
    x = _conv_bn_act(
        x,
        f_out,
        kernel if projects_alone else 1,
        strides if projects_alone else 1,
        name + "project",
        mom,
        act if projects_alone else None,
        name + "project_activation",
    )
    return _residual(x, inputs, strides, f_in, f_out, drop, name)


def _efficientnet_v2(
    variant,
    include_top,
    weights,
    input_tensor,
    input_shape,
    pooling,
    classes,
    classifier_activation,
    include_preprocessing,
    dropout_rate=0.2,
    drop_connect_rate=0.2,
    bn_momentum=0.9,
    activation="swish",
):
    width, depth, default_size = _SCALING[variant]
    model_name = "efficientnetv2-" + variant
    imagenet_utils.check_weights_argument(
        weights, include_top, classes, ".Received: weights={}", "Received: classes={}"
    )
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
    x = img_input
    if include_preprocessing:
        if variant.startswith("b") and input_shape[axis - 1] == 3:
            x = layers.Rescaling(scale=1.0 / 255)(x)
            x = layers.Normalization(
                mean=[0.485, 0.456, 0.406],
                variance=[0.229**2, 0.224**2, 0.225**2],
                axis=axis,
            )(x)
        else:
            x = layers.Rescaling(scale=1.0 / 128.0, offset=-1)(x)
    stages = _STAGES[variant]
    x = _conv_bn_act(
        x,
        _round_filters(stages[0][3], width),
        3,
        2,
        "stem",
        bn_momentum,
        activation,
        "stem_activation",
    )
    total = float(sum(stage[2] for stage in stages))
    b = 0
    for i, (fused, kernel, repeats, f_in, f_out, expand, se_ratio, stride) in enumerate(stages):
        f_in, f_out = _round_filters(f_in, width), _round_filters(f_out, width)
        for j in range(int(math.ceil(depth * repeats))):
            x = _mbconv(
                x,
                fused,
                kernel,
                f_in if j == 0 else f_out,
                f_out,
                expand,
                se_ratio,
                stride if j == 0 else 1,
                drop_connect_rate * b / total,
                activation,
                bn_momentum,
                f"block{i + 1}{chr(j + 97)}_",
            )
            b += 1
    x = _conv_bn_act(
        x,
        _round_filters(1280, width),
        1,
        1,
        "top",
        bn_momentum,
        activation,
        "top_activation",
    )
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(
            classes,
            activation=classifier_activation,
            kernel_initializer=_DENSE_INIT,
            bias_initializer=initializers.Constant(0),
            name="predictions",
        )(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)
    model = imagenet_utils.finish_model(img_input, input_tensor, x, model_name)
    fname = model_name + (".h5" if include_top else "_notop.h5")
    file_hash = _HASHES[model_name[-2:]][0 if include_top else 1]
    imagenet_utils.load_model_weights(model, weights, fname, _BASE + fname, file_hash)
    return model


_DOC = """The EfficientNetV2{v} model, optionally with Keras' ImageNet weights. It takes
    RGB images in [0, 255] (its first layers rescale them).

    Args:
        include_top: include the global pooling + dropout + Dense classifier.
        weights: None, "imagenet" or the path of a weights file.
        input_tensor: a Keras tensor to use as the image input.
        input_shape: ``(height, width, channels)``, at least 32x32; the default
            ``({s}, {s}, 3)`` is required with ``include_top`` and ImageNet weights.
        pooling: without the top, None, "avg" or "max".
        classes: classes of the classifier.
        classifier_activation: the top layer's activation.
        include_preprocessing: start with the rescaling layers.

    Returns:
        A functional ``tf.keras.Model`` named "efficientnetv2-{lower}".

    Raises:
        ValueError: invalid arguments (Keras' messages).

    >>> EfficientNetV2{v}(weights=None, include_top=False, input_shape=(32, 32, 3)).name{skip}
    'efficientnetv2-{lower}'
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
        include_preprocessing=True,
    ):
        return _efficientnet_v2(
            variant,
            include_top,
            weights,
            input_tensor,
            input_shape,
            pooling,
            classes,
            classifier_activation,
            include_preprocessing,
        )

    upper = variant.upper()
    constructor.__name__ = constructor.__qualname__ = f"EfficientNetV2{upper}"
    # Only B0's example runs in the docstring tests: the others take longer to build.
    skip = "" if variant == "b0" else "  # doctest: +SKIP"
    constructor.__doc__ = _DOC.format(v=upper, lower=variant, s=_SCALING[variant][2], skip=skip)
    return constructor


EfficientNetV2B0 = _constructor("b0")
EfficientNetV2B1 = _constructor("b1")
EfficientNetV2B2 = _constructor("b2")
EfficientNetV2B3 = _constructor("b3")
EfficientNetV2S = _constructor("s")
EfficientNetV2M = _constructor("m")
EfficientNetV2L = _constructor("l")


def preprocess_input(x, data_format=None):
    """Returns ``x`` unchanged: EfficientNetV2 models rescale their inputs themselves.

    >>> preprocess_input(3.0)
    3.0
    """
    return x


decode_predictions = imagenet_utils.decode_predictions
