"""``tf.keras.applications.vgg16``: VGG16 (Simonyan & Zisserman, 2014)."""

from tensorflux.keras import layers
from tensorflux.keras.applications import imagenet_utils

__all__ = ["VGG16", "decode_predictions", "preprocess_input"]

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/vgg16/"
_FILES = {
    True: ("vgg16_weights_tf_dim_ordering_tf_kernels.h5", "64373286793e3c8b2b4e3219cbf3544b"),
    False: (
        "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
        "6d6bbae143d832006294945121d1f1fc",
    ),
}


def build_vgg(
    name,
    convs_per_block,
    files,
    base_url,
    include_top,
    weights,
    input_tensor,
    input_shape,
    pooling,
    classes,
    classifier_activation,
):
    """A VGG network: five blocks of 3x3 convolutions (64, 128, 256, 512, 512
    filters) each closed by a 2x2 max pooling, then two 4096-unit Dense layers."""
    from tensorflux.keras import backend

    imagenet_utils.check_weights_argument(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=224,
        min_size=32,
        data_format=backend.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    img_input = imagenet_utils.model_input(input_tensor, input_shape)
    x = img_input
    for block, (filters, convs) in enumerate(zip((64, 128, 256, 512, 512), convs_per_block), 1):
        for k in range(1, convs + 1):
            x = layers.Conv2D(
                filters, (3, 3), activation="relu", padding="same", name=f"block{block}_conv{k}"
            )(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name=f"block{block}_pool")(x)
    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)
    model = imagenet_utils.finish_model(img_input, input_tensor, x, name)
    fname, file_hash = files[bool(include_top)]
    imagenet_utils.load_model_weights(model, weights, fname, base_url + fname, file_hash)
    return model


def VGG16(  # noqa: N802 - Keras' public name
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
):
    """The VGG16 model (13 convolutions and 3 Dense layers; 138M parameters with its
    top), optionally with Keras' ImageNet weights.

    Inputs are RGB images in [0, 255] passed through ``vgg16.preprocess_input``.

    Args:
        include_top: include the Flatten + 3 Dense classifier.
        weights: None (random), "imagenet" (Keras' weight file, fetched into
            ``~/.keras/models/``) or the path of a weights file.
        input_tensor: a Keras tensor to use as the image input.
        input_shape: ``(height, width, channels)``, at least 32x32; the default
            ``(224, 224, 3)`` is required with ``include_top`` and ImageNet weights.
        pooling: without the top, None (4D output), "avg" or "max" global pooling.
        classes: classes of the classifier (1000 with ImageNet weights).
        classifier_activation: the top layer's activation (softmax or None with
            pretrained weights).

    Returns:
        A functional ``tf.keras.Model`` named "vgg16".

    Raises:
        ValueError: invalid ``weights``, ``classes``, ``input_shape`` or
            ``classifier_activation`` (Keras' messages).

    >>> model = VGG16(weights=None, include_top=False, input_shape=(32, 32, 3))
    >>> model.output_shape
    (None, 1, 1, 512)
    """
    return build_vgg(
        "vgg16",
        (2, 2, 3, 3, 3),
        _FILES,
        _BASE,
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
    )


def preprocess_input(x, data_format=None):
    """``imagenet_utils.preprocess_input`` in "caffe" mode: RGB to BGR, then the
    ImageNet channel means are subtracted (no scaling)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


decode_predictions = imagenet_utils.decode_predictions
