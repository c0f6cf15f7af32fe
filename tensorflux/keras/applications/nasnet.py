"""``tf.keras.applications.nasnet``: NASNet-A Mobile and Large (Zoph et al., 2018).

Inputs: RGB in [0, 255] through ``nasnet.preprocess_input`` (scaled to [-1, 1]). The
models are built channels-last whatever the Keras image data format.
"""

import logging
import os

from tensorflux.keras import backend, layers
from tensorflux.keras.applications import imagenet_utils

__all__ = ["NASNetLarge", "NASNetMobile", "decode_predictions", "preprocess_input"]

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/nasnet/"
# (file name, URL file name, md5) by (default size, with top).
_FILES = {
    (224, True): ("nasnet_mobile.h5", "NASNet-mobile.h5", "020fb642bf7360b370c678b08e0adf61"),
    (224, False): (
        "nasnet_mobile_no_top.h5",
        "NASNet-mobile-no-top.h5",
        "1ed92395b5b598bdda52abe5c0dbfd63",
    ),
    (331, True): ("nasnet_large.h5", "NASNet-large.h5", "11577c9a518f0070763c2b964a382f17"),
    (331, False): (
        "nasnet_large_no_top.h5",
        "NASNet-large-no-top.h5",
        "d81d89dc07e6e56530c4e77faddd61b5",
    ),
}
_CHANNELS = -1


def _bn(x, name):
    return layers.BatchNormalization(axis=_CHANNELS, momentum=0.9997, epsilon=1e-3, name=name)(x)


def _conv1x1(x, filters, name):
    return layers.Conv2D(
        filters,
        (1, 1),
        strides=(1, 1),
        padding="same",
        use_bias=False,
        name=name,
        kernel_initializer="he_normal",
    )(x)


def _separable_block(x, filters, kernel_size=(3, 3), strides=(1, 1), block_id=None):
    """Two ReLU, separable convolution, batch norm steps (the first one strided)."""
    x = layers.Activation("relu")(x)
    padding = "same"
    if strides == (2, 2):
        x = layers.ZeroPadding2D(
            padding=imagenet_utils.correct_pad(x, kernel_size),
            name=f"separable_conv_1_pad_{block_id}",
        )(x)
        padding = "valid"
    for i in (1, 2):
        x = layers.SeparableConv2D(
            filters,
            kernel_size,
            strides=strides if i == 1 else (1, 1),
            name=f"separable_conv_{i}_{block_id}",
            padding=padding if i == 1 else "same",
            use_bias=False,
            kernel_initializer="he_normal",
        )(x)
        x = _bn(x, f"separable_conv_{i}_bn_{block_id}")
        if i == 1:
            x = layers.Activation("relu")(x)
    return x


def _adjust_block(p, ip, filters, block_id):
    """Brings the previous cell's output ``p`` to ``ip``'s size (two offset strided
    1x1 paths) or to ``filters`` channels (a 1x1 projection)."""
    if p is None:
        return ip
    if p.shape[-2] != ip.shape[-2]:
        p = layers.Activation("relu", name=f"adjust_relu_1_{block_id}")(p)
        p1 = layers.AveragePooling2D(
            (1, 1), strides=(2, 2), padding="valid", name=f"adjust_avg_pool_1_{block_id}"
        )(p)
        p1 = layers.Conv2D(
            filters // 2,
            (1, 1),
            padding="same",
            use_bias=False,
            name=f"adjust_conv_1_{block_id}",
            kernel_initializer="he_normal",
        )(p1)
        p2 = layers.ZeroPadding2D(padding=((0, 1), (0, 1)))(p)
        p2 = layers.Cropping2D(cropping=((1, 0), (1, 0)))(p2)
        p2 = layers.AveragePooling2D(
            (1, 1), strides=(2, 2), padding="valid", name=f"adjust_avg_pool_2_{block_id}"
        )(p2)
        p2 = layers.Conv2D(
            filters // 2,
            (1, 1),
            padding="same",
            use_bias=False,
            name=f"adjust_conv_2_{block_id}",
            kernel_initializer="he_normal",
        )(p2)
        p = layers.concatenate([p1, p2], axis=_CHANNELS)
        return _bn(p, f"adjust_bn_{block_id}")
    if p.shape[-1] != filters:
        p = layers.Activation("relu")(p)
        p = _conv1x1(p, filters, f"adjust_conv_projection_{block_id}")
        return _bn(p, f"adjust_bn_{block_id}")
    return p


def _normal_cell(ip, p, filters, block_id):
    """A NASNet-A normal cell; returns its output and ``ip`` (the next cell's ``p``)."""
    p = _adjust_block(p, ip, filters, block_id)
    h = layers.Activation("relu")(ip)
    h = _bn(_conv1x1(h, filters, f"normal_conv_1_{block_id}"), f"normal_bn_1_{block_id}")
    x1 = layers.add(
        [
            _separable_block(h, filters, (5, 5), block_id=f"normal_left1_{block_id}"),
            _separable_block(p, filters, block_id=f"normal_right1_{block_id}"),
        ],
        name=f"normal_add_1_{block_id}",
    )
    x2 = layers.add(
        [
            _separable_block(p, filters, (5, 5), block_id=f"normal_left2_{block_id}"),
            _separable_block(p, filters, (3, 3), block_id=f"normal_right2_{block_id}"),
        ],
        name=f"normal_add_2_{block_id}",
    )
    x3 = layers.AveragePooling2D(
        (3, 3), strides=(1, 1), padding="same", name=f"normal_left3_{block_id}"
    )(h)
    x3 = layers.add([x3, p], name=f"normal_add_3_{block_id}")
    x4 = layers.add(
        [
            layers.AveragePooling2D(
                (3, 3), strides=(1, 1), padding="same", name=f"normal_left4_{block_id}"
            )(p),
            layers.AveragePooling2D(
                (3, 3), strides=(1, 1), padding="same", name=f"normal_right4_{block_id}"
            )(p),
        ],
        name=f"normal_add_4_{block_id}",
    )
    x5 = _separable_block(h, filters, block_id=f"normal_left5_{block_id}")
    x5 = layers.add([x5, h], name=f"normal_add_5_{block_id}")
    x = layers.concatenate(
        [p, x1, x2, x3, x4, x5], axis=_CHANNELS, name=f"normal_concat_{block_id}"
    )
    return x, ip


def _reduction_cell(ip, p, filters, block_id):
    """A NASNet-A reduction cell (halves the size); returns its output and ``ip``."""
    p = _adjust_block(p, ip, filters, block_id)
    h = layers.Activation("relu")(ip)
    h = _bn(_conv1x1(h, filters, f"reduction_conv_1_{block_id}"), f"reduction_bn_1_{block_id}")
    h3 = layers.ZeroPadding2D(
        padding=imagenet_utils.correct_pad(h, 3), name=f"reduction_pad_1_{block_id}"
    )(h)
    s2 = (2, 2)
    x1 = layers.add(
        [
            _separable_block(h, filters, (5, 5), s2, block_id=f"reduction_left1_{block_id}"),
            _separable_block(p, filters, (7, 7), s2, block_id=f"reduction_right1_{block_id}"),
        ],
        name=f"reduction_add_1_{block_id}",
    )
    x2_1 = layers.MaxPooling2D(
        (3, 3), strides=s2, padding="valid", name=f"reduction_left2_{block_id}"
    )(h3)
    x2_2 = _separable_block(p, filters, (7, 7), s2, block_id=f"reduction_right2_{block_id}")
    x2 = layers.add([x2_1, x2_2], name=f"reduction_add_2_{block_id}")
    x3_1 = layers.AveragePooling2D(
        (3, 3), strides=s2, padding="valid", name=f"reduction_left3_{block_id}"
    )(h3)
    x3_2 = _separable_block(p, filters, (5, 5), s2, block_id=f"reduction_right3_{block_id}")
    x3 = layers.add([x3_1, x3_2], name=f"reduction_add3_{block_id}")
    x4 = layers.AveragePooling2D(
        (3, 3), strides=(1, 1), padding="same", name=f"reduction_left4_{block_id}"
    )(x1)
    x4 = layers.add([x2, x4])
    # Keras reuses "reduction_left4" for this block's separable convolutions.
    x5_1 = _separable_block(x1, filters, (3, 3), block_id=f"reduction_left4_{block_id}")
    x5_2 = layers.MaxPooling2D(
        (3, 3), strides=s2, padding="valid", name=f"reduction_right5_{block_id}"
    )(h3)
    x5 = layers.add([x5_1, x5_2], name=f"reduction_add4_{block_id}")
    x = layers.concatenate([x2, x3, x4, x5], axis=_CHANNELS, name=f"reduction_concat_{block_id}")
    return x, ip


def NASNet(  # noqa: N802 - Keras' name
    input_shape=None,
    penultimate_filters=4032,
    num_blocks=6,
    stem_block_filters=96,
    skip_reduction=True,
    filter_multiplier=2,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    pooling=None,
    classes=1000,
    default_size=None,
    classifier_activation="softmax",
):
    """A NASNet-A model: a strided stem, two reduction cells, then three stacks of
    ``num_blocks`` normal cells separated by reduction cells."""
    if not (weights in {"imagenet", None} or os.path.exists(weights)):
        raise ValueError(
            "The `weights` argument should be either `None` (random initialization), "
            "`imagenet` (pre-training on ImageNet), or the path to the weights file to "
            "be loaded."
        )
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(
            'If using `weights` as `"imagenet"` with `include_top` as true, `classes` '
            "should be 1000"
        )
    if isinstance(input_shape, tuple) and None in input_shape and weights == "imagenet":
        raise ValueError(
            "When specifying the input shape of a NASNet and loading `ImageNet` "
            "weights, the input_shape argument must be static (no None entries). Got: "
            f"`input_shape={input_shape}`."
        )
    if default_size is None:
        default_size = 331
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=default_size,
        min_size=32,
        data_format=backend.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    old_data_format = None
    if backend.image_data_format() != "channels_last":
        logging.getLogger("tensorflow").warning(
            "The NASNet family of models is only available for the input data format "
            '"channels_last" (width, height, channels). However your settings specify '
            'the default data format "channels_first" (channels, width, height). You '
            'should set `image_data_format="channels_last"` in your TF-Keras config '
            "located at ~/.keras/keras.json. The model being returned right now will "
            'expect inputs to follow the "channels_last" data format.'
        )
        backend.set_image_data_format("channels_last")
        old_data_format = "channels_first"
    try:
        model = _build(
            input_shape,
            penultimate_filters,
            num_blocks,
            stem_block_filters,
            skip_reduction,
            filter_multiplier,
            include_top,
            weights,
            input_tensor,
            pooling,
            classes,
            default_size,
            classifier_activation,
        )
    finally:
        if old_data_format:
            backend.set_image_data_format(old_data_format)
    return model


def _build(
    input_shape,
    penultimate_filters,
    num_blocks,
    stem_block_filters,
    skip_reduction,
    filter_multiplier,
    include_top,
    weights,
    input_tensor,
    pooling,
    classes,
    default_size,
    classifier_activation,
):
    img_input = imagenet_utils.model_input(input_tensor, input_shape)
    if penultimate_filters % (24 * (filter_multiplier**2)) != 0:
        raise ValueError(
            "For NASNet-A models, the `penultimate_filters` must be a multiple of 24 * "
            f"(`filter_multiplier` ** 2). Current value: {penultimate_filters}"
        )
    filters = penultimate_filters // 24
    x = layers.Conv2D(
        stem_block_filters,
        (3, 3),
        strides=(2, 2),
        padding="valid",
        use_bias=False,
        name="stem_conv1",
        kernel_initializer="he_normal",
    )(img_input)
    x = _bn(x, "stem_bn1")
    x, p = _reduction_cell(x, None, filters // (filter_multiplier**2), "stem_1")
    x, p = _reduction_cell(x, p, filters // filter_multiplier, "stem_2")
    for stack in range(3):
        if stack > 0:
            x, p0 = _reduction_cell(
                x, p, filters * filter_multiplier**stack, f"reduce_{stack * num_blocks}"
            )
            p = p if skip_reduction else p0
        for i in range(num_blocks):
            block_id = str(i) if stack == 0 else str(stack * num_blocks + i + 1)
            x, p = _normal_cell(x, p, filters * filter_multiplier**stack, block_id)
    x = layers.Activation("relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D()(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)
    model = imagenet_utils.finish_model(img_input, input_tensor, x, "NASNet")
    if weights == "imagenet":
        if default_size not in (224, 331):
            raise ValueError("ImageNet weights can only be loaded with NASNetLarge or NASNetMobile")
        fname, url_name, file_hash = _FILES[(default_size, bool(include_top))]
        imagenet_utils.load_model_weights(model, weights, fname, _BASE + url_name, file_hash)
    else:
        imagenet_utils.load_model_weights(model, weights)
    return model


_DOC = """The NASNet-A {kind} model, optionally with Keras' ImageNet weights. Inputs:
    RGB in [0, 255] through ``nasnet.preprocess_input`` (scaled to [-1, 1]).

    Args:
        input_shape: ``(height, width, 3)``, at least 32x32; the default
            ``({s}, {s}, 3)`` is required with ``include_top`` and ImageNet weights.
        include_top: include the global pooling + Dense classifier.
        weights: None, "imagenet" or the path of a weights file.
        input_tensor: a Keras tensor to use as the image input.
        pooling: without the top, None, "avg" or "max".
        classes: classes of the classifier.
        classifier_activation: the top layer's activation.

    Returns:
        A functional ``tf.keras.Model`` named "NASNet".

    Raises:
        ValueError: invalid arguments (Keras' messages).

    >>> NASNet{kind}(weights=None, include_top=False, input_shape=(32, 32, 3)).name{skip}
    'NASNet'
    """


def NASNetMobile(  # noqa: N802 - Keras' public name
    input_shape=None,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
):
    return NASNet(
        input_shape,
        penultimate_filters=1056,
        num_blocks=4,
        stem_block_filters=32,
        skip_reduction=False,
        filter_multiplier=2,
        include_top=include_top,
        weights=weights,
        input_tensor=input_tensor,
        pooling=pooling,
        classes=classes,
        default_size=224,
        classifier_activation=classifier_activation,
    )


def NASNetLarge(  # noqa: N802 - Keras' public name
    input_shape=None,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
):
    return NASNet(
        input_shape,
        penultimate_filters=4032,
        num_blocks=6,
        stem_block_filters=96,
        skip_reduction=True,
        filter_multiplier=2,
        include_top=include_top,
        weights=weights,
        input_tensor=input_tensor,
        pooling=pooling,
        classes=classes,
        default_size=331,
        classifier_activation=classifier_activation,
    )


NASNetMobile.__doc__ = _DOC.format(kind="Mobile", s=224, skip="")
NASNetLarge.__doc__ = _DOC.format(kind="Large", s=331, skip="  # doctest: +SKIP")


def preprocess_input(x, data_format=None):
    """``imagenet_utils.preprocess_input`` in "tf" mode (scaled to [-1, 1])."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
