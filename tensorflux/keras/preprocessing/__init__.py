"""``tf.keras.preprocessing``: Keras 2's older home of the image dataset helpers."""

from tensorflux.keras.preprocessing import (  # noqa: F401
    image,  # noqa: F401
    sequence,
    text,
)
from tensorflux.keras.utils.image_dataset import image_dataset_from_directory  # noqa: F401
from tensorflux.keras.utils.text_dataset import text_dataset_from_directory  # noqa: F401
from tensorflux.keras.utils.timeseries_dataset import timeseries_dataset_from_array  # noqa: F401


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.keras.preprocessing", __name__, name)
