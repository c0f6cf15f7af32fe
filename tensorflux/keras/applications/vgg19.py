"""``tf.keras.applications.vgg19``: VGG19 (Simonyan & Zisserman, 2014)."""

from tensorflux.keras.applications import imagenet_utils
from tensorflux.keras.applications.vgg16 import build_vgg

__all__ = ["VGG19", "decode_predictions", "preprocess_input"]

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/vgg19/"
_FILES = {
    True: ("vgg19_weights_tf_dim_ordering_tf_kernels.h5", "cbe5617147190e668d6c5d5026f83318"),
    False: (
        "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5",
        "253f8cb515780f3b799900260a226db6",
    ),
}


def VGG19(  # noqa: N802 - Keras' public name
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
):
    """The VGG19 model: VGG16 with a fourth convolution in blocks 3-5 (see
    ``tf.keras.applications.VGG16`` for the arguments).

    Returns:
        A functional ``tf.keras.Model`` named "vgg19".

    >>> model = VGG19(weights=None)  # doctest: +SKIP
    >>> model.count_params()  # doctest: +SKIP
    143667240
    """
    return build_vgg(
        "vgg19",
        (2, 2, 4, 4, 4),
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
    """``imagenet_utils.preprocess_input`` in "caffe" mode."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


decode_predictions = imagenet_utils.decode_predictions
