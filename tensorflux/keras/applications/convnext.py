"""``tf.keras.applications.convnext``: ConvNeXt Tiny to XLarge (Liu et al., 2022).

The models take RGB images in [0, 255]: they start with a Normalization layer of
ImageNet's statistics, so ``preprocess_input`` returns its input unchanged.
"""

import numpy as np

from tensorflux.keras import backend, initializers, layers
from tensorflux.keras.applications import imagenet_utils
from tensorflux.keras.layers.layer import Layer
from tensorflux.keras.models import Model
from tensorflux.keras.models.sequential import Sequential
from tensorflux.ops import array_ops, random_ops, unary_math_ops

__all__ = [
    "ConvNeXtBase",
    "ConvNeXtLarge",
    "ConvNeXtSmall",
    "ConvNeXtTiny",
    "ConvNeXtXLarge",
    "decode_predictions",
    "preprocess_input",
]

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/convnext/"
# (with top, without top) sha256 digests of Keras' weight files.
_HASHES = {
    "convnext_tiny": (
        "8ae6e78ce2933352b1ef4008e6dd2f17bc40771563877d156bc6426c7cf503ff",
        "d547c096cabd03329d7be5562c5e14798aa39ed24b474157cef5e85ab9e49ef1",
    ),
    "convnext_small": (
        "ce1277d8f1ee5a0ef0e171469089c18f5233860ceaf9b168049cb9263fd7483c",
        "6fc8009faa2f00c1c1dfce59feea9b0745eb260a7dd11bee65c8e20843da6eab",
    ),
    "convnext_base": (
        "52cbb006d3dadd03f6e095a8ca1aca47aecdd75acb4bc74bce1f5c695d0086e6",
        "40a20c5548a5e9202f69735ecc06c990e6b7c9d2de39f0361e27baeb24cb7c45",
    ),
    "convnext_large": (
        "070c5ed9ed289581e477741d3b34beffa920db8cf590899d6d2c67fba2a198a6",
        "96f02b6f0753d4f543261bc9d09bed650f24dd6bc02ddde3066135b63d23a1cd",
    ),
    "convnext_xlarge": (
        "c1f5ccab661354fc3a79a10fa99af82f0fbf10ec65cb894a3ae0815f17a889ee",
        "de3f8a54174130e0cecdc71583354753d557fcf1f4487331558e2a16ba0cfe05",
    ),
}
# (blocks per stage, channels per stage) of each size; all default to 224x224.
_CONFIGS = {
    "tiny": ((3, 3, 9, 3), (96, 192, 384, 768)),
    "small": ((3, 3, 27, 3), (96, 192, 384, 768)),
    "base": ((3, 3, 27, 3), (128, 256, 512, 1024)),
    "large": ((3, 3, 27, 3), (192, 384, 768, 1536)),
    "xlarge": ((3, 3, 27, 3), (256, 512, 1024, 2048)),
}
_MEAN_RGB = (0.485, 0.456, 0.406)
_STDDEV_RGB = (0.229, 0.224, 0.225)


class StochasticDepth(Layer):
    """Drops the whole residual branch of a sample with probability
    ``drop_path_rate`` in training (scaling the kept ones by ``1 / keep``); the
    identity otherwise."""

    def __init__(self, drop_path_rate, **kwargs):
        super().__init__(**kwargs)
        self.drop_path_rate = drop_path_rate

    def call(self, x, training=None):
        if not training:
            return x
        keep = 1 - self.drop_path_rate
        rank = len(x.shape)
        shape = array_ops.concat([array_ops.shape(x)[:1], np.ones(rank - 1, np.int32)], axis=0)
        mask = unary_math_ops.floor(keep + random_ops.uniform(shape, 0, 1))
        return (x / keep) * mask

    def get_config(self):
        config = super().get_config()
        config.update({"drop_path_rate": self.drop_path_rate})
        return config


class LayerScale(Layer):
    """Multiplies the channels by a learned vector ``gamma`` (``projection_dim``
    entries, all ``init_values`` at first)."""

    def __init__(self, init_values, projection_dim, **kwargs):
        super().__init__(**kwargs)
        self.init_values = init_values
        self.projection_dim = projection_dim

    def build(self, input_shape):
        self.gamma = self.add_weight(
            name="gamma",
            shape=(self.projection_dim,),
            initializer=initializers.Constant(self.init_values),
            trainable=True,
        )

    def call(self, x):
        return x * self.gamma

    def get_config(self):
        config = super().get_config()
        config.update({"init_values": self.init_values, "projection_dim": self.projection_dim})
        return config


def ConvNeXtBlock(  # noqa: N802 - Keras' name
    projection_dim, drop_path_rate=0.0, layer_scale_init_value=1e-6, name=None
):
    """A function applying a ConvNeXt block: 7x7 depthwise convolution, layer norm,
    4x expanding and projecting dense layers with GELU between, layer scale, and the
    residual (through stochastic depth when ``drop_path_rate`` is set)."""
    if name is None:
        name = "prestem" + str(backend.get_uid("prestem"))

    def apply(inputs):
        x = layers.Conv2D(
            filters=projection_dim,
            kernel_size=7,
            padding="same",
            groups=projection_dim,
            name=name + "_depthwise_conv",
        )(inputs)
        x = layers.LayerNormalization(epsilon=1e-6, name=name + "_layernorm")(x)
        x = layers.Dense(4 * projection_dim, name=name + "_pointwise_conv_1")(x)
        x = layers.Activation("gelu", name=name + "_gelu")(x)
        x = layers.Dense(projection_dim, name=name + "_pointwise_conv_2")(x)
        if layer_scale_init_value is not None:
            x = LayerScale(layer_scale_init_value, projection_dim, name=name + "_layer_scale")(x)
        if drop_path_rate:
            branch = StochasticDepth(drop_path_rate, name=name + "_stochastic_depth")
        else:
            branch = layers.Activation("linear", name=name + "_identity")
        return inputs + branch(x)

    return apply


def _convnext(
    size,
    model_name,
    include_preprocessing,
    include_top,
    weights,
    input_tensor,
    input_shape,
    pooling,
    classes,
    classifier_activation,
    drop_path_rate=0.0,
    layer_scale_init_value=1e-6,
):
    depths, dims = _CONFIGS[size]
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
    # As in Keras, a given input tensor's source Input feeds the first layer.
    inputs = img_input if input_tensor is None else imagenet_utils.source_inputs(input_tensor)[0]
    x = inputs
    channel_axis = 3 if backend.image_data_format() == "channels_last" else 1
    if include_preprocessing and input_shape[channel_axis - 1] == 3:
        x = layers.Normalization(
            mean=[m * 255 for m in _MEAN_RGB],
            variance=[(s * 255) ** 2 for s in _STDDEV_RGB],
            name=model_name + "_prestem_normalization",
        )(x)
    stages = [
        Sequential(
            [
                layers.Conv2D(dims[0], kernel_size=4, strides=4, name=model_name + "_stem_conv"),
                layers.LayerNormalization(epsilon=1e-6, name=model_name + "_stem_layernorm"),
            ],
            name=model_name + "_stem",
        )
    ]
    for i in range(3):
        stages.append(
            Sequential(
                [
                    layers.LayerNormalization(
                        epsilon=1e-6, name=f"{model_name}_downsampling_layernorm_{i}"
                    ),
                    layers.Conv2D(
                        dims[i + 1],
                        kernel_size=2,
                        strides=2,
                        name=f"{model_name}_downsampling_conv_{i}",
                    ),
                ],
                name=f"{model_name}_downsampling_block_{i}",
            )
        )
    rates = [float(r) for r in np.linspace(0.0, drop_path_rate, sum(depths))]
    done = 0
    for i, (depth, dim) in enumerate(zip(depths, dims)):
        x = stages[i](x)
        for j in range(depth):
            x = ConvNeXtBlock(
                projection_dim=dim,
                drop_path_rate=rates[done + j],
                layer_scale_init_value=layer_scale_init_value,
                name=f"{model_name}_stage_{i}_block_{j}",
            )(x)
        done += depth
    if include_top:
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.GlobalAveragePooling2D(name=model_name + "_head_gap")(x)
        x = layers.LayerNormalization(epsilon=1e-6, name=model_name + "_head_layernorm")(x)
        x = layers.Dense(
            classes, activation=classifier_activation, name=model_name + "_head_dense"
        )(x)
    else:
        if pooling == "avg":
            x = layers.GlobalAveragePooling2D()(x)
        elif pooling == "max":
            x = layers.GlobalMaxPooling2D()(x)
        x = layers.LayerNormalization(epsilon=1e-6)(x)
    model = Model(inputs=inputs, outputs=x, name=model_name)
    fname = model_name + (".h5" if include_top else "_notop.h5")
    if weights == "imagenet":
        file_hash = _HASHES[model_name][0 if include_top else 1]
        imagenet_utils.load_model_weights(model, weights, fname, _BASE + fname, file_hash)
    else:
        imagenet_utils.load_model_weights(model, weights)
    return model


_DOC = """The ConvNeXt{v} model, optionally with Keras' ImageNet weights. It takes RGB
    images in [0, 255] (its first layer normalizes them).

    Args:
        model_name: the model's name (and, with ImageNet weights, its file's).
        include_top: include the pooling + layer norm + Dense classifier.
        include_preprocessing: start with the ImageNet Normalization layer (for
            3-channel inputs).
        weights: None, "imagenet" or the path of a weights file.
        input_tensor: a Keras tensor to use as the image input.
        input_shape: ``(height, width, channels)``, at least 32x32; the default
            ``(224, 224, 3)`` is required with ``include_top`` and ImageNet weights.
        pooling: without the top, None, "avg" or "max" (then a layer norm).
        classes: classes of the classifier.
        classifier_activation: the top layer's activation.

    Returns:
        A functional ``tf.keras.Model`` named "convnext_{lower}".

    Raises:
        ValueError: invalid arguments (Keras' messages).

    >>> ConvNeXt{v}(weights=None, include_top=False, input_shape=(32, 32, 3)).name{skip}
    'convnext_{lower}'
    """


def _constructor(size, public):
    def constructor(
        model_name=f"convnext_{size}",
        include_top=True,
        include_preprocessing=True,
        weights="imagenet",
        input_tensor=None,
        input_shape=None,
        pooling=None,
        classes=1000,
        classifier_activation="softmax",
    ):
        return _convnext(
            size,
            model_name,
            include_preprocessing,
            include_top,
            weights,
            input_tensor,
            input_shape,
            pooling,
            classes,
            classifier_activation,
        )

    constructor.__name__ = constructor.__qualname__ = f"ConvNeXt{public}"
    skip = "" if size == "tiny" else "  # doctest: +SKIP"
    constructor.__doc__ = _DOC.format(v=public, lower=size, skip=skip)
    return constructor


ConvNeXtTiny = _constructor("tiny", "Tiny")
ConvNeXtSmall = _constructor("small", "Small")
ConvNeXtBase = _constructor("base", "Base")
ConvNeXtLarge = _constructor("large", "Large")
ConvNeXtXLarge = _constructor("xlarge", "XLarge")


def preprocess_input(x, data_format=None):
    """Returns ``x`` unchanged: ConvNeXt models normalize their inputs themselves.

    >>> preprocess_input(3.0)
    3.0
    """
    return x


decode_predictions = imagenet_utils.decode_predictions
