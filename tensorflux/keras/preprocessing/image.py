"""``tf.keras.preprocessing.image``: image file helpers under their Keras 2 names."""

from tensorflux.keras.preprocessing.dataframe_iterator import DataFrameIterator  # noqa: F401
from tensorflux.keras.preprocessing.image_data_generator import (  # noqa: F401
    ImageDataGenerator,
    apply_affine_transform,
    apply_brightness_shift,
    apply_channel_shift,
    random_brightness,
    random_channel_shift,
    random_rotation,
    random_shear,
    random_shift,
    random_zoom,
)
from tensorflux.keras.preprocessing.image_iterators import (  # noqa: F401
    DirectoryIterator,
    Iterator,
    NumpyArrayIterator,
)
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
