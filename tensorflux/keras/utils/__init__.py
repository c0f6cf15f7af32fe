"""``tf.keras.utils``: data preparation, downloads, the progress bar, seeding."""

from tensorflux.keras.saving.object_registration import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from tensorflux.keras.utils import experimental, legacy
from tensorflux.keras.utils.audio_dataset import audio_dataset_from_directory
from tensorflux.keras.utils.batch_packing import (
    pack_x_y_sample_weight,
    unpack_x_y_sample_weight,
)
from tensorflux.keras.utils.data_utils import get_file
from tensorflux.keras.utils.image_dataset import image_dataset_from_directory
from tensorflux.keras.utils.image_utils import array_to_img, img_to_array, load_img, save_img
from tensorflux.keras.utils.io_utils import (
    disable_interactive_logging,
    enable_interactive_logging,
    is_interactive_logging_enabled,
)
from tensorflux.keras.utils.layer_utils import get_source_inputs, warmstart_embedding_matrix
from tensorflux.keras.utils.np_utils import normalize, to_categorical, to_ordinal
from tensorflux.keras.utils.object_serialization import (
    deserialize_keras_object,
    serialize_keras_object,
)
from tensorflux.keras.utils.progbar import Progbar
from tensorflux.keras.utils.random_seed import set_random_seed
from tensorflux.keras.utils.sequence import (
    GeneratorEnqueuer,
    OrderedEnqueuer,
    Sequence,
    SequenceEnqueuer,
)
from tensorflux.keras.utils.sequence_utils import pad_sequences
from tensorflux.keras.utils.sidecar_evaluator import SidecarEvaluator
from tensorflux.keras.utils.split_dataset import split_dataset
from tensorflux.keras.utils.text_dataset import text_dataset_from_directory
from tensorflux.keras.utils.timed_threads import TimedThread
from tensorflux.keras.utils.timeseries_dataset import timeseries_dataset_from_array
from tensorflux.keras.utils.vis_utils import model_to_dot, plot_model

__all__ = ["Progbar", "get_file", "normalize", "set_random_seed", "to_categorical"]
__all__ += ["pad_sequences", "text_dataset_from_directory", "timeseries_dataset_from_array"]
__all__ += ["model_to_dot", "plot_model"]
__all__ += ["SidecarEvaluator", "audio_dataset_from_directory", "experimental", "legacy"]
__all__ += ["deserialize_keras_object", "serialize_keras_object"]
__all__ += ["FeatureSpace"]
__all__ += ["TimedThread", "get_source_inputs", "split_dataset", "warmstart_embedding_matrix"]
__all__ += ["array_to_img", "image_dataset_from_directory", "img_to_array", "load_img", "save_img"]
__all__ += [
    "CustomObjectScope",
    "custom_object_scope",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "register_keras_serializable",
]
__all__ += ["GeneratorEnqueuer", "OrderedEnqueuer", "Sequence", "SequenceEnqueuer"]
__all__ += [
    "disable_interactive_logging",
    "enable_interactive_logging",
    "is_interactive_logging_enabled",
    "pack_x_y_sample_weight",
    "to_ordinal",
    "unpack_x_y_sample_weight",
]


def __getattr__(name):
    if name == "FeatureSpace":
        # Built on Keras layers, which import this package: loaded on first use.
        from tensorflux.keras.utils.feature_space import FeatureSpace

        return FeatureSpace
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.keras.utils", __name__, name)
