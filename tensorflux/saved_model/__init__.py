"""``tf.saved_model``: SavedModel directories written and read in TF's format."""

from tensorflux.saved_model.constants import *  # noqa: F401,F403
from tensorflux.saved_model.directory import contains_saved_model  # noqa: F401
from tensorflux.saved_model.loader import LoadOptions, load  # noqa: F401
from tensorflux.saved_model.saver import SaveOptions, save  # noqa: F401
