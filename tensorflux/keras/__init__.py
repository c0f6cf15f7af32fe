"""``tf.keras``: layers, models, training, optimizers, losses, metrics, callbacks."""

import importlib as _importlib

from tensorflux.keras import layers, models  # noqa: F401
from tensorflux.keras.layers.input_layer import Input  # noqa: F401
from tensorflux.keras.models import Model, Sequential  # noqa: F401

# Sub-packages written alongside; each is exposed when present.
for _name in (
    "activations",
    "applications",
    "backend",
    "callbacks",
    "constraints",
    "datasets",
    "initializers",
    "losses",
    "metrics",
    "mixed_precision",
    "optimizers",
    "regularizers",
    "saving",
    "utils",
):
    try:
        globals()[_name] = _importlib.import_module(f"tensorflux.keras.{_name}")
    except ModuleNotFoundError as _error:
        if _error.name != f"tensorflux.keras.{_name}":
            raise
del _name
from tensorflux.keras import preprocessing  # noqa: F401, E402


def __getattr__(name):
    if name == "experimental":
        return _importlib.import_module("tensorflux.keras.experimental")
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.keras", __name__, name)


# Installs the Keras exporter of tf.saved_model.save (keras_metadata.pb, tf-keras' keys).
from tensorflux.keras.saving import saved_model_format as _saved_model_format  # noqa: E402,F401
