"""The legacy Keras HDF5 format: ``model.save("m.h5")`` and ``save_weights("w.h5")``.

A whole-model file has root attributes ``backend``, ``keras_version``, ``model_config``
(JSON) and ``training_config`` (JSON, when compiled), a ``model_weights`` group and an
``optimizer_weights`` group. ``model_weights`` lists its layers in the attribute
``layer_names``; each layer's group lists its weights in ``weight_names`` and holds them
at ``<layer>/<weight name>`` (``dense/dense/kernel:0``). A weights-only file has the
``model_weights`` layout at its root.

We write tf-keras 2.21's dialect, which tf-keras and Keras 3 both open. Reading goes by
the order of ``layer_names`` and ``weight_names``, never by the name strings, so Keras
3's files (``weight_names`` like ``sequential/dense/kernel``) load as well.
"""

from __future__ import annotations

import json
import logging
import os
import warnings

import numpy as np

from tensorflux.framework.atomic_file import atomic_output
from tensorflux.keras.saving import config_dialects, file_io, model_state
from tensorflux.keras.saving.object_registration import CustomObjectScope

__all__ = ["load_model_from_h5", "load_weights_from_h5", "save_model_to_h5", "save_weights_to_h5"]

# The Keras whose dialect we write: both tf-keras and Keras 3 read it.
KERAS_VERSION = "2.21.0"
# HDF5 keeps attributes in the object header, which holds 64 KiB: longer name lists are
# split into ``layer_names0``, ``layer_names1``, ...
_HEADER_LIMIT = 64512


def _json_default(value):
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if hasattr(value, "as_list"):
        return value.as_list()
    if hasattr(value, "name") and not callable(value):
        return value.name
    raise TypeError(f"Cannot serialize {value!r} of type {type(value).__name__} to JSON.")


def _dumps(value) -> bytes:
    return json.dumps(value, default=_json_default).encode("utf8")


# -- chunked name lists ------------------------------------------------------------


def save_attribute_list(group, name: str, items) -> None:
    """Stores a list of byte strings as ``name`` (or ``name0``, ``name1``... when it is
    too long for one object header)."""
    data = np.asarray(items)
    too_long = [item for item in items if len(item) > _HEADER_LIMIT]
    if too_long:
        raise RuntimeError(
            f"The following attributes cannot be saved to HDF5 file because "
            f"they are larger than {_HEADER_LIMIT} bytes: {too_long}"
        )
    chunks = 1
    while data.nbytes / chunks > _HEADER_LIMIT or any(
        part.nbytes > _HEADER_LIMIT for part in np.array_split(data, chunks)
    ):
        chunks += 1
    if chunks == 1:
        group.attrs[name] = data
        return
    for i, part in enumerate(np.array_split(data, chunks)):
        group.attrs[f"{name}{i}"] = part


def load_attribute_list(group, name: str) -> list:
    """The list :func:`save_attribute_list` stored, chunks joined, as ``str``."""
    if name in group.attrs:
        raw = list(group.attrs[name])
    else:
        raw, i = [], 0
        while f"{name}{i}" in group.attrs:
            raw.extend(group.attrs[f"{name}{i}"])
            i += 1
    return [file_io.attr_text(item) for item in raw]


# -- weights -----------------------------------------------------------------------


def _weight_name(variable) -> str:
    return variable.name if ":" in variable.name else variable.name + ":0"


def save_weights_to_group(group, model) -> None:
    """Writes every layer's weights into ``group`` in the legacy layout."""
    layers = model.layers
    save_attribute_list(group, "layer_names", [layer.name.encode("utf8") for layer in layers])
    group.attrs["backend"] = "tensorflow".encode("utf8")
    group.attrs["keras_version"] = KERAS_VERSION.encode("utf8")
    seen = set()
    for layer in layers:
        layer_group = group.create_group(layer.name)
        weights = layer.weights
        names = [_weight_name(w).encode("utf8") for w in weights]
        save_attribute_list(layer_group, "weight_names", names)
        for name, weight in zip(names, weights):
            seen.add(id(weight))
            layer_group.create_dataset(name.decode("utf8"), data=weight.numpy())
    top_level = [w for w in model.weights if id(w) not in seen]
    top_group = group.create_group("top_level_model_weights")
    names = [_weight_name(w).encode("utf8") for w in top_level]
    save_attribute_list(top_group, "weight_names", names)
    for name, weight in zip(names, top_level):
        top_group.create_dataset(name.decode("utf8"), data=weight.numpy())


def _read_values(group, names) -> list:
    try:
        return [np.asarray(group[name]) for name in names]
    except (KeyError, OSError, RuntimeError, ValueError) as error:
        raise file_io.read_error(f"the weights of layer {group.name!r}", error) from None


def _shape(value) -> tuple:
    return tuple(np.shape(value))


def _assign(pairs) -> None:
    for weight, value in pairs:
        weight.assign(np.asarray(value).astype(weight.dtype.as_numpy_dtype))


def _check_file_layers(group):
    try:
        names = load_attribute_list(group, "layer_names")
        return [
            (name, group[name], load_attribute_list(group[name], "weight_names")) for name in names
        ]
    except (KeyError, OSError, RuntimeError) as error:
        raise file_io.read_error("the layer list of the weights file", error) from None


def load_weights_from_group(group, model) -> None:
    """Loads weights by topology: the n-th layer with weights in the file goes to the
    n-th layer with weights in ``model``.

    Raises:
        ValueError: a different number of layers with weights, a layer with a different
            number of weights, or a weight of a different shape.
    """
    layers = [layer for layer in model.layers if layer.weights]
    saved = [(name, g, names) for name, g, names in _check_file_layers(group) if names]
    if len(saved) != len(layers):
        raise ValueError(
            f"Layer count mismatch when loading weights from file. Model expected "
            f"{len(layers)} layers, found {len(saved)} saved layers."
        )
    pairs = []
    for k, (layer, (name, layer_group, weight_names)) in enumerate(zip(layers, saved)):
        weights = layer.weights
        values = _read_values(layer_group, weight_names)
        if len(values) != len(weights):
            raise ValueError(
                f"Weight count mismatch for layer #{k} (named {layer.name} in the "
                f"current model, {name} in the save file). Layer expects "
                f"{len(weights)} weight(s). Received {len(values)} saved "
                f"weight(s)"
            )
        for weight, value in zip(weights, values):
            expected = tuple(weight.shape.as_list())
            if expected != _shape(value):
                raise ValueError(
                    f"Shape mismatch in layer #{k} (named {layer.name}) for "
                    f"weight {weight.name}. Weight expects shape {expected}. "
                    f"Received saved weight with shape {_shape(value)}. To skip "
                    f"such weights, load with `by_name=True, "
                    f"skip_mismatch=True`."
                )
        pairs.extend(zip(weights, values))
    _assign(pairs)


def load_weights_from_group_by_name(group, model, skip_mismatch=False) -> None:
    """Loads weights into the layers whose names match the file's; other layers keep
    theirs. With ``skip_mismatch`` a layer whose weights do not fit is skipped with a
    warning instead of an error.

    Raises:
        ValueError: (without ``skip_mismatch``) a weight count or shape mismatch.
    """
    index: dict = {}
    for layer in model.layers:
        index.setdefault(layer.name, []).append(layer)
    pairs = []
    for k, (name, layer_group, weight_names) in enumerate(_check_file_layers(group)):
        values = _read_values(layer_group, weight_names)
        for layer in index.get(name, []):
            weights = layer.weights
            if len(values) != len(weights):
                message = (
                    f"layer #{k} (named {layer.name}) due to mismatch in number of "
                    f"weights. Layer expects {len(weights)} weight(s). Received "
                    f"{len(values)} saved weight(s)"
                )
                if skip_mismatch:
                    warnings.warn("Skipping loading of weights for " + message, stacklevel=4)
                    continue
                raise ValueError(
                    f"Weight count mismatch for layer #{k} (named {layer.name}). "
                    f"Layer expects {len(weights)} weight(s). Received "
                    f"{len(values)} saved weight(s)"
                )
            for weight, value in zip(weights, values):
                expected = tuple(weight.shape.as_list())
                if expected == _shape(value):
                    pairs.append((weight, value))
                    continue
                detail = (
                    f"for weight {weight.name}. Weight expects shape {expected}. "
                    f"Received saved weight with shape {_shape(value)}"
                )
                if skip_mismatch:
                    warnings.warn(
                        f"Skipping loading weights for layer #{k} (named "
                        f"{layer.name}) due to mismatch in shape {detail}",
                        stacklevel=4,
                    )
                    continue
                raise ValueError(
                    f"Shape mismatch in layer #{k} (named {layer.name}) {detail}. "
                    f"Pass `skip_mismatch=True` to skip it."
                )
    _assign(pairs)


# -- whole files ---------------------------------------------------------------------


def _makedirs_for(filepath) -> None:
    folder = os.path.dirname(os.path.abspath(filepath))
    os.makedirs(folder, exist_ok=True)


def save_model_to_h5(model, filepath, include_optimizer=True) -> None:
    """Writes ``model`` (config, weights, compile and optimizer state) to ``filepath``;
    atomically: until the write is complete the old file stays in place."""
    from tensorflux.keras.layers import serialization
    from tensorflux.keras.models.functional import Functional

    if not isinstance(model, Functional):
        raise NotImplementedError(
            "Saving the model to HDF5 format requires the model to be a Functional model or a "
            "Sequential model. It does not work for subclassed models, because such models "
            "are defined via the body of a Python method, which isn't safely serializable. "
            "Consider saving to the Tensorflow SavedModel format (by setting "
            'save_format="tf") or using `save_weights`.'
        )
    h5py = file_io.h5py()
    serialized = config_dialects.to_tf_keras(serialization.serialize(model), legacy=True)
    model_config = {"class_name": serialized["class_name"], "config": serialized["config"]}
    training = model_state.training_config(model) if include_optimizer else None
    _makedirs_for(filepath)
    with atomic_output(filepath) as tmp, h5py.File(tmp, "w") as f:
        f.attrs["backend"] = "tensorflow".encode("utf8")
        f.attrs["keras_version"] = KERAS_VERSION.encode("utf8")
        f.attrs["model_config"] = _dumps(model_config)
        if training is not None:
            f.attrs["training_config"] = _dumps(training)
        save_weights_to_group(f.create_group("model_weights"), model)
        if training is not None:
            _save_optimizer_weights(f, model)


def _save_optimizer_weights(f, model) -> None:
    optimizer = model.optimizer
    variables = model_state.optimizer_variables(optimizer, model.trainable_variables)
    names = model_state.slot_names(optimizer, model.trainable_variables)
    group = f.create_group("optimizer_weights")
    save_attribute_list(group, "weight_names", [n.encode("utf8") for n in names])
    for name, var in zip(names, variables):
        group.create_dataset(name, data=var.numpy())


def load_model_from_h5(filepath, custom_objects=None, compile=True):  # noqa: A002 - Keras' name
    """Rebuilds the model saved in ``filepath`` (by us, tf-keras or Keras 3).

    Raises:
        OSError: a missing, truncated or non-HDF5 file.
        ValueError: a file without a model config (a weights-only file), a file from a
            newer Keras, or a config naming an unknown class.
    """
    from tensorflux.keras.layers import serialization

    file_io.check_exists(filepath)
    with file_io.open_h5(filepath) as f:
        if "model_config" not in f.attrs:
            raise ValueError(
                f"No model config found in the file at {filepath}. It holds no "
                f"model (a weights-only file is loaded with "
                f"`model.load_weights`)."
            )
        file_io.check_keras_version(f.attrs.get("keras_version"), filepath)
        try:
            model_config = json.loads(file_io.attr_text(f.attrs["model_config"]))
        except (ValueError, OSError) as error:
            raise ValueError(
                f"The model config in {filepath} is not valid JSON: the file is "
                f"corrupted ({error})."
            ) from None
        config = config_dialects.normalize(model_config, custom_objects)
        with CustomObjectScope(custom_objects):
            model = serialization.deserialize(config, custom_objects=custom_objects)
            if "model_weights" not in f:
                raise ValueError(
                    f"The file {filepath} has a model config but no "
                    f"`model_weights` group: it is truncated or corrupted."
                )
            load_weights_from_group(f["model_weights"], model)
            training = f.attrs.get("training_config")
            if compile and training is not None:
                training = config_dialects.normalize_compile(
                    json.loads(file_io.attr_text(training))
                )
                model_state.compile_from_config(model, training, custom_objects)
                if "optimizer_weights" in f:
                    group = f["optimizer_weights"]
                    names = load_attribute_list(group, "weight_names")
                    model_state.restore_optimizer(model, _read_values(group, names), names)
            elif compile and training is None:
                # Logged, not warned, as tf-keras does: an uncompiled model is no fault.
                logging.getLogger("tensorflow").warning(
                    "No training configuration found in save file, so the model was *not* "
                    "compiled. Compile it manually."
                )
    return model


def save_weights_to_h5(model, filepath) -> None:
    """Writes the layers' weights (no config) to ``filepath`` in the legacy layout."""
    h5py = file_io.h5py()
    _makedirs_for(filepath)
    with atomic_output(filepath) as tmp, h5py.File(tmp, "w") as f:
        save_weights_to_group(f, model)


def load_weights_from_h5(model, filepath, by_name=False, skip_mismatch=False) -> None:
    """Loads a legacy weights file (or the weights of a whole-model ``.h5`` file).

    Raises:
        OSError: a missing, truncated or non-HDF5 file.
        ValueError: mismatching layers or weights (see the ``load_weights_*`` helpers).
    """
    file_io.check_exists(filepath)
    with file_io.open_h5(filepath) as f:
        group = f
        if "layer_names" not in f.attrs and "model_weights" in f:
            group = f["model_weights"]
        if "layer_names" not in group.attrs and "layer_names0" not in group.attrs:
            raise ValueError(
                f"The file {filepath} holds no Keras weights (no `layer_names` attribute)."
            )
        file_io.check_keras_version(group.attrs.get("keras_version"), filepath)
        if by_name:
            load_weights_from_group_by_name(group, model, skip_mismatch)
        else:
            load_weights_from_group(group, model)
