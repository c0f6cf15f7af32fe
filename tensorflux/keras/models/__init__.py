"""``keras.models``: Model, Sequential, functional models and model (de)serialization."""

from tensorflux.keras.models.functional import Functional
from tensorflux.keras.models.model import Model, model_from_config, model_from_json, model_from_yaml
from tensorflux.keras.models.sequential import Sequential

__all__ = ["Functional", "Model", "Sequential", "model_from_config", "model_from_json"]
__all__ += ["model_from_yaml"]

from tensorflux.keras.models.cloning import clone_model  # noqa: E402
from tensorflux.keras.saving.saving_api import load_model, save_model  # noqa: E402

__all__ += ["clone_model", "load_model", "save_model"]

# Found by name when a functional config is deserialized (operators on Keras tensors).
from tensorflux.keras.models.tf_op_layer import TFOpLambda  # noqa: E402, F401


def __getattr__(name):
    if name == "experimental":
        import importlib

        return importlib.import_module("tensorflux.keras.models.experimental")
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.keras.models", __name__, name)
