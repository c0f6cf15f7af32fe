"""``tf.saved_model``: SavedModel directories written and read in TF's format."""

from tensorflux.saved_model.asset import Asset  # noqa: F401
from tensorflux.saved_model.constants import *  # noqa: F401,F403
from tensorflux.saved_model.directory import contains_saved_model  # noqa: F401
from tensorflux.saved_model.loader import LoadOptions, load  # noqa: F401
from tensorflux.saved_model.saver import SaveOptions, save  # noqa: F401


def __getattr__(name):
    if name == "experimental":
        import importlib

        return importlib.import_module("tensorflux.saved_model.experimental")
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.saved_model", __name__, name)
