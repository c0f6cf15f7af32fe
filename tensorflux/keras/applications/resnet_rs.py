"""``tf.keras.applications.resnet_rs``: ResNet-RS 50 to 420 (Bello et al., 2021).

The models take RGB images in [0, 255]: they start with a Rescaling and (for three
channels) a Normalization layer, so ``preprocess_input`` returns its input unchanged.
"""

import os

from tensorflux.keras import backend, layers
from tensorflux.keras.applications import imagenet_utils

__all__ = [
    "ResNetRS50",
    "ResNetRS101",
    "ResNetRS152",
    "ResNetRS200",
    "ResNetRS270",
    "ResNetRS350",
    "ResNetRS420",
    "decode_predictions",
    "preprocess_input",
]

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/resnet_rs/"
# md5 digests of Keras' weight files, by file name.
_HASHES = {
    "resnet-rs-101-i160.h5": "544b3434d00efc199d66e9058c7f3379",
    "resnet-rs-101-i160_notop.h5": "82d5b90c5ce9d710da639d6216d0f979",
    "resnet-rs-101-i192.h5": "eb285be29ab42cf4835ff20a5e3b5d23",
    "resnet-rs-101-i192_notop.h5": "f9a0f6b85faa9c3db2b6e233c4eebb5b",
    "resnet-rs-152-i192.h5": "8d72a301ed8a6f11a47c4ced4396e338",
    "resnet-rs-152-i192_notop.h5": "5fbf7ac2155cb4d5a6180ee9e3aa8704",
    "resnet-rs-152-i224.h5": "31a46a92ab21b84193d0d71dd8c3d03b",
    "resnet-rs-152-i224_notop.h5": "dc8b2cba2005552eafa3167f00dc2133",
    "resnet-rs-152-i256.h5": "ba6271b99bdeb4e7a9b15c05964ef4ad",
    "resnet-rs-152-i256_notop.h5": "fa79794252dbe47c89130f65349d654a",
    "resnet-rs-200-i256.h5": "a76930b741884e09ce90fa7450747d5f",
    "resnet-rs-200-i256_notop.h5": "bbdb3994718dfc0d1cd45d7eff3f3d9c",
    "resnet-rs-270-i256.h5": "20d575825ba26176b03cb51012a367a8",
    "resnet-rs-270-i256_notop.h5": "2c42ecb22e35f3e23d2f70babce0a2aa",
    "resnet-rs-350-i256.h5": "f4a039dc3c421321b7fc240494574a68",
    "resnet-rs-350-i256_notop.h5": "6e44b55025bbdff8f51692a023143d66",
    "resnet-rs-350-i320.h5": "7ccb858cc738305e8ceb3c0140bee393",
    "resnet-rs-350-i320_notop.h5": "ab0c1f9079d2f85a9facbd2c88aa6079",
    "resnet-rs-420-i320.h5": "ae0eb9bed39e64fc8d7e0db4018dc7e8",
    "resnet-rs-420-i320_notop.h5": "fe6217c32be8305b1889657172b98884",
    "resnet-rs-50-i160.h5": "69d9d925319f00a8bdd4af23c04e4102",
    "resnet-rs-50-i160_notop.h5": "90daa68cd26c95aa6c5d25451e095529",
}
# Per depth: the input sizes Keras has weights for, the blocks of the four groups
# (of 64, 128, 256 and 512 filters), the stochastic depth rate and the top dropout.
_CONFIGS = {
    50: ((160,), (3, 4, 6, 3), 0.0, 0.25),
    101: ((160, 192), (3, 4, 23, 3), 0.0, 0.25),
    152: ((192, 224, 256), (3, 8, 36, 3), 0.0, 0.25),
    200: ((256,), (3, 24, 36, 3), 0.1, 0.25),
    270: ((256,), (4, 29, 53, 4), 0.1, 0.25),
    350: ((256, 320), (4, 36, 72, 4), 0.1, 0.4),
    420: ((320,), (4, 44, 87, 4), 0.1, 0.4),
}
_CONV_INIT = {
    "class_name": "VarianceScaling",
    "config": {"scale": 2.0, "mode": "fan_out", "distribution": "truncated_normal"},
}
_BN_MOMENTUM = 0.0
_BN_EPSILON = 1e-5


def _axis():
    return 3 if backend.image_data_format() == "channels_last" else 1


def _conv(x, filters, kernel_size, strides, name):
    """A convolution whose strided form pads explicitly (as the original TPU models)."""
    if strides > 1:
        begin = (kernel_size - 1) // 2
        end = kernel_size - 1 - begin
        x = layers.ZeroPadding2D(padding=((begin, end), (begin, end)))(x)
    return layers.Conv2D(
        filters=filters,
        kernel_size=kernel_size,
        strides=strides,
        padding="same" if strides == 1 else "valid",
        use_bias=False,
        kernel_initializer=_CONV_INIT,
        name=name,
    )(x)


def _bn(x, name):
    return layers.BatchNormalization(
        axis=_axis(), momentum=_BN_MOMENTUM, epsilon=_BN_EPSILON, name=name
    )(x)


def _stem(x, activation):
    name = f"stem_{backend.get_uid('stem_')}"
    for i, (filters, strides) in enumerate(((32, 2), (32, 1), (64, 1), (64, 2)), 1):
        x = _conv(x, filters, 3, strides, f"{name}_stem_conv_{i}")
        x = _bn(x, f"{name}_stem_batch_norm_{i}")
        x = layers.Activation(activation, name=f"{name}_stem_act_{i}")(x)
    return x


def _squeeze_excite(inputs, in_filters, se_ratio, name):
    x = layers.GlobalAveragePooling2D(name=name + "_se_squeeze")(inputs)
    se_shape = (x.shape[-1], 1, 1) if _axis() == 1 else (1, 1, x.shape[-1])
    x = layers.Reshape(se_shape, name=name + "_se_reshape")(x)
    for filters, activation, suffix in (
        (max(1, int(in_filters * 4 * se_ratio)), "relu", "_se_reduce"),
        (4 * in_filters, "sigmoid", "_se_expand"),
    ):
        x = layers.Conv2D(
            filters=filters,
            kernel_size=[1, 1],
            strides=[1, 1],
            kernel_initializer=_CONV_INIT,
            padding="same",
            use_bias=True,
            activation=activation,
            name=name + suffix,
        )(x)
    return layers.multiply([inputs, x], name=name + "_se_excite")


def _bottleneck(inputs, filters, strides, use_projection, activation, se_ratio, drop, name):
    """A bottleneck block (1x1, 3x3, 1x1 convolutions with 4x output filters),
    squeeze-and-excite, per-sample dropout, and a shortcut that average-pools
    before its projection when strided."""
    shortcut = inputs
    if use_projection:
        if strides == 2:
            shortcut = layers.AveragePooling2D(
                pool_size=(2, 2), strides=(2, 2), padding="same", name=name + "_projection_pooling"
            )(inputs)
            shortcut = _conv(shortcut, filters * 4, 1, 1, name + "_projection_conv")
        else:
            shortcut = _conv(inputs, filters * 4, 1, strides, name + "_projection_conv")
        shortcut = _bn(shortcut, name + "_projection_batch_norm")
    x = _conv(inputs, filters, 1, 1, name + "_conv_1")
    # Keras spells this one without the separating underscore.
    x = _bn(x, name + "batch_norm_1")
    x = layers.Activation(activation, name=name + "_act_1")(x)
    x = _conv(x, filters, 3, strides, name + "_conv_2")
    x = _bn(x, name + "_batch_norm_2")
    x = layers.Activation(activation, name=name + "_act_2")(x)
    x = _conv(x, filters * 4, 1, 1, name + "_conv_3")
    x = _bn(x, name + "_batch_norm_3")
    if 0 < se_ratio < 1:
        x = _squeeze_excite(x, filters, se_ratio, name + "_se")
    if drop:
        x = layers.Dropout(drop, noise_shape=(None, 1, 1, 1), name=name + "_drop")(x)
    x = layers.Add()([x, shortcut])
    return layers.Activation(activation, name=name + "_output_act")(x)


def _check_weights(depth, weights, include_top, classes):
    """Keras' ResNet-RS weights argument: "imagenet" means the largest input size's
    file, "imagenet-i<size>" one of the others."""
    allowed = [f"imagenet-i{size}" for size in _CONFIGS[depth][0]]
    if weights == "imagenet":
        weights = allowed[-1]
    if not (weights in {*allowed, None} or os.path.exists(weights)):
        raise ValueError(
            "The `weights` argument should be either `None` (random initialization), "
            "`'imagenet'` (pre-training on ImageNet, with highest available input "
            "shape), or the path to the weights file to be loaded. For "
            f"ResNetRS{depth} the following weight variants are available {allowed} "
            f"(default=highest). Received weights={weights}"
        )
    if weights in allowed and include_top and classes != 1000:
        raise ValueError(
            f"If using `weights` as `'imagenet'` or any of {allowed} with "
            f"`include_top` as true, `classes` should be 1000. Received classes={classes}"
        )
    return weights, allowed


def _resnet_rs(
    depth,
    include_top,
    weights,
    classes,
    input_shape,
    input_tensor,
    pooling,
    classifier_activation,
    include_preprocessing,
    activation="relu",
    se_ratio=0.25,
):
    _, repeats, drop_connect_rate, dropout_rate = _CONFIGS[depth]
    model_name = f"resnet-rs-{depth}"
    weights, allowed = _check_weights(depth, weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=224,
        min_size=32,
        data_format=backend.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    img_input = imagenet_utils.model_input(input_tensor, input_shape)
    axis = _axis()
    x = img_input
    if include_preprocessing:
        x = layers.Rescaling(scale=1.0 / 255)(x)
        if input_shape[axis - 1] == 3:
            x = layers.Normalization(
                mean=[0.485, 0.456, 0.406],
                variance=[0.229**2, 0.224**2, 0.225**2],
                axis=axis,
            )(x)
    x = _stem(x, activation)
    for i, (filters, count) in enumerate(zip((64, 128, 256, 512), repeats)):
        drop = drop_connect_rate * float(i + 2) / (len(repeats) + 1)
        name = f"BlockGroup{i + 2}_"
        for j in range(count):
            x = _bottleneck(
                x,
                filters,
                (1 if i == 0 else 2) if j == 0 else 1,
                j == 0,
                activation,
                se_ratio,
                drop,
                f"{name}_block_{j}_",
            )
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)
    model = imagenet_utils.finish_model(img_input, input_tensor, x, model_name)
    if weights in allowed:
        fname = f"{model_name}-{weights.split('-')[-1]}" + ("" if include_top else "_notop")
        fname += ".h5"
        imagenet_utils.load_model_weights(model, "imagenet", fname, _BASE + fname, _HASHES[fname])
    else:
        imagenet_utils.load_model_weights(model, weights)
    return model


_DOC = """The ResNet-RS-{depth} model, optionally with Keras' ImageNet weights. It takes
    RGB images in [0, 255] (its first layers rescale and normalize them).

    Args:
        include_top: include the global pooling + dropout + Dense classifier.
        weights: None, "imagenet" (the weights for the largest input size), one of
            {variants}, or the path of a weights file.
        classes: classes of the classifier.
        input_shape: ``(height, width, channels)``, at least 32x32 (default with
            the top: ``(224, 224, 3)``).
        input_tensor: a Keras tensor to use as the image input.
        pooling: without the top, None, "avg" or "max".
        classifier_activation: the top layer's activation.
        include_preprocessing: start with the rescaling layers.

    Returns:
        A functional ``tf.keras.Model`` named "resnet-rs-{depth}".

    Raises:
        ValueError: invalid arguments (Keras' messages).

    >>> ResNetRS{depth}(weights=None, include_top=False, input_shape=(32, 32, 3)).name{skip}
    'resnet-rs-{depth}'
    """


def _constructor(depth):
    def constructor(
        include_top=True,
        weights="imagenet",
        classes=1000,
        input_shape=None,
        input_tensor=None,
        pooling=None,
        classifier_activation="softmax",
        include_preprocessing=True,
    ):
        return _resnet_rs(
            depth,
            include_top,
            weights,
            classes,
            input_shape,
            input_tensor,
            pooling,
            classifier_activation,
            include_preprocessing,
        )

    constructor.__name__ = constructor.__qualname__ = f"ResNetRS{depth}"
    variants = ", ".join(f'"imagenet-i{size}"' for size in _CONFIGS[depth][0])
    skip = "" if depth == 50 else "  # doctest: +SKIP"
    constructor.__doc__ = _DOC.format(depth=depth, variants=variants, skip=skip)
    return constructor


ResNetRS50 = _constructor(50)
ResNetRS101 = _constructor(101)
ResNetRS152 = _constructor(152)
ResNetRS200 = _constructor(200)
ResNetRS270 = _constructor(270)
ResNetRS350 = _constructor(350)
ResNetRS420 = _constructor(420)


def preprocess_input(x, data_format=None):
    """Returns ``x`` unchanged: ResNet-RS models rescale their inputs themselves.

    >>> preprocess_input(3.0)
    3.0
    """
    return x


decode_predictions = imagenet_utils.decode_predictions
