"""``tf.keras.preprocessing.image``: image file helpers under their Keras 2 names."""

from tensorflux.keras.utils.image_utils import (  # noqa: F401
    array_to_img,
    img_to_array,
    load_img,
    save_img,
    smart_resize,
)


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.keras.preprocessing.image", __name__, name)
