"""``tf.train``: checkpoints. The files are TensorFlow's (tensor bundles holding an
object graph), read and written by the modules of this package."""

from tensorflux.framework.cluster_proto import ClusterDef, JobDef  # noqa: F401
from tensorflux.framework.example_proto import (  # noqa: F401
    BytesList,
    Example,
    Feature,
    FeatureList,
    FeatureLists,
    Features,
    FloatList,
    Int64List,
    SequenceExample,
)
from tensorflux.train import experimental  # noqa: F401
from tensorflux.train.checkpoint import Checkpoint  # noqa: F401
from tensorflux.train.checkpoint_management import (  # noqa: F401
    CheckpointManager,
    get_checkpoint_state,
    latest_checkpoint,
)
from tensorflux.train.checkpoint_options import CheckpointOptions  # noqa: F401
from tensorflux.train.checkpoint_polling import checkpoints_iterator  # noqa: F401
from tensorflux.train.checkpoint_reader import (  # noqa: F401
    list_variables,
    load_checkpoint,
    load_variable,
)
from tensorflux.train.cluster_spec import ClusterSpec  # noqa: F401
from tensorflux.train.coordinator import Coordinator  # noqa: F401
from tensorflux.train.moving_averages import ExponentialMovingAverage  # noqa: F401
from tensorflux.train.views import CheckpointView, TrackableView  # noqa: F401


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.train", __name__, name)
