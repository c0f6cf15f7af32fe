"""The ``.keras`` format: a zip of ``metadata.json``, ``config.json`` and
``model.weights.h5``; and the ``.weights.h5`` weights-only file, which is that last
member on its own.

In the weights file every object with state has a group ``<path>/vars`` holding
datasets ``0, 1, ...`` in the object's variable order: the model's own at ``vars``, its
layers at ``layers/<name>``, where ``<name>`` is the layer's class in snake case with
``_1``, ``_2``... for repeats (``layers/dense_1`` is the second Dense, whatever its
name); sublayers a layer holds in attributes sit under the attribute's name; the
optimizer at ``optimizer`` (``iterations`` then the slots, tf-keras's order).

We write tf-keras 2.21's dialect and read it and Keras 3's (``batch_shape``,
``DTypePolicy`` dicts, node dicts, ``vars`` groups named in an attribute, the learning
rate saved among the optimizer's variables); see ``config_dialects``.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import tempfile
import warnings
import zipfile

import numpy as np

from tensorflux.framework.atomic_file import atomic_output
from tensorflux.keras.saving import config_dialects, file_io, model_state
from tensorflux.keras.saving.legacy_h5 import KERAS_VERSION, _json_default
from tensorflux.keras.saving.object_registration import CustomObjectScope

__all__ = ["load_model_from_zip", "load_weights_only", "save_model_to_zip", "save_weights_only"]

CONFIG_FILENAME = "config.json"
METADATA_FILENAME = "metadata.json"
WEIGHTS_FILENAME = "model.weights.h5"
ASSETS_DIRNAME = "assets"


def _snake(name: str) -> str:
    from tensorflux.keras.layers.layer import to_snake_case

    return to_snake_case(name)


def _is_model(layer) -> bool:
    from tensorflux.keras.models.model import Model

    return isinstance(layer, Model)


# -- the object tree ---------------------------------------------------------------


def _own_variables(layer) -> list:
    """The variables a layer holds itself (not through sublayers), trainable first."""
    own, seen = [], set()
    for var in layer._own_weights + layer._attribute_variables():
        if id(var) not in seen:
            seen.add(id(var))
            own.append(var)
    trainable = layer.trainable
    return [v for v in own if trainable and v.trainable] + [
        v for v in own if not (trainable and v.trainable)
    ]


def _children(layer) -> list:
    """``(path, sublayer)`` for the sublayers of ``layer`` in tf-keras's walk order:
    attribute names sorted in reverse, a list attribute giving ``attr/<class_snake>``
    entries; a model's layers are the ``layers`` list."""
    from tensorflux.keras.layers.layer import Layer, _trackable_leaves

    attributes = {}
    if _is_model(layer):
        attributes["layers"] = layer.layers
    for name, value in vars(layer).items():
        if name.startswith("__") or name in layer._untracked_attributes:
            continue
        # tf-keras walks private attributes too (MultiHeadAttention's ``_query_dense``);
        # private containers here are bookkeeping, so only a sublayer held directly counts.
        if name.startswith("_") and not isinstance(value, Layer):
            continue
        if isinstance(value, Layer) or (
            isinstance(value, (list, tuple, dict))
            and any(isinstance(leaf, Layer) for leaf in _trackable_leaves(value))
        ):
            attributes[name] = value
    out = []
    for name in sorted(attributes, reverse=True):
        value = attributes[name]
        if isinstance(value, Layer):
            out.append((name, value))
            continue
        items = list(value.values()) if isinstance(value, dict) else list(value)
        used: dict = {}
        for item in items:
            if not isinstance(item, Layer):
                continue
            base = _snake(type(item).__name__)
            count = used.get(base)
            used[base] = 0 if count is None else count + 1
            out.append((f"{name}/{base}" if count is None else f"{name}/{base}_{count + 1}", item))
    return out


def _walk(layer, path, visited):
    """Yields ``(path, layer)`` for ``layer`` and every sublayer, each once."""
    if id(layer) in visited:
        return
    visited.add(id(layer))
    yield path, layer
    for child_path, child in _children(layer):
        yield from _walk(child, f"{path}/{child_path}" if path else child_path, visited)


# -- writing -----------------------------------------------------------------------


def _write_weights(h5file, model, include_optimizer=True) -> None:
    for path, layer in _walk(model, "", set()):
        group = h5file.create_group(f"{path}/vars" if path else "vars")
        for i, var in enumerate(_own_variables(layer)):
            group.create_dataset(str(i), data=var.numpy())
    optimizer = getattr(model, "optimizer", None)
    # tf-keras writes no state of a legacy optimizer in this format.
    legacy = model_state._is_legacy(optimizer)
    if include_optimizer and getattr(model, "_compiled", False) and optimizer is not None:
        if legacy:
            return
        group = h5file.create_group("optimizer/vars")
        variables = model_state.optimizer_variables(optimizer, model.trainable_variables)
        for i, var in enumerate(variables):
            group.create_dataset(str(i), data=var.numpy())


def _weights_bytes(model):
    """The weights file's bytes (a view of the buffer: no 35 MB copy for a 3M-parameter
    model with Adam's slots). Measured faster than HDF5's own in-memory driver, which
    grows its image by reallocation."""
    h5py = file_io.h5py()
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as h5file:
        _write_weights(h5file, model)
    return buffer.getbuffer()


def _model_config(model) -> dict:
    from tensorflux.keras.layers import serialization
    from tensorflux.keras.models.sequential import Sequential

    serialized = config_dialects.to_tf_keras(serialization.serialize(model))
    if isinstance(model, Sequential):
        serialized.update(module="keras", registered_name=None)
    elif serialized["class_name"] == "Functional":
        serialized.update(module="tf_keras.src.engine.functional", registered_name="Functional")
    try:
        input_shape = model.input_shape
    except (AttributeError, ValueError):
        input_shape = getattr(model, "_build_input_shape", None)
    if input_shape is not None:
        serialized["build_config"] = {"input_shape": input_shape}
    compile_config = model_state.compile_config(model)
    if compile_config is not None:
        serialized["compile_config"] = compile_config
    return serialized


def save_model_to_zip(model, filepath) -> None:
    """Writes ``model`` as a ``.keras`` archive (atomically)."""
    if not model.built:
        warnings.warn(
            "You are saving a model that has not yet been built. It might not "
            "contain any weights yet. Consider building the model first by "
            "calling it on some data.",
            stacklevel=3,
        )
    config = json.dumps(_model_config(model), default=_json_default)
    metadata = json.dumps(
        {
            "keras_version": KERAS_VERSION,
            "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
        }
    )
    weights = _weights_bytes(model)
    os.makedirs(os.path.dirname(os.path.abspath(filepath)), exist_ok=True)
    with atomic_output(filepath) as tmp, zipfile.ZipFile(tmp, "w") as archive:
        archive.writestr(METADATA_FILENAME, metadata)
        archive.writestr(CONFIG_FILENAME, config)
        archive.writestr(WEIGHTS_FILENAME, weights)
        for name, data in _assets(model):
            archive.writestr(name, data)


def _assets(model) -> list:
    """``(archive member, bytes)`` of what layers with ``save_assets`` write (a lookup
    layer's learnt vocabulary), under ``assets/<layer path>/`` as tf-keras lays them."""
    members = []
    with tempfile.TemporaryDirectory() as root:
        for path, layer in _walk(model, "", set()):
            if not hasattr(layer, "save_assets"):
                continue
            folder = os.path.join(root, path)
            os.makedirs(folder, exist_ok=True)
            layer.save_assets(folder)
        for folder, _, names in sorted(os.walk(root)):
            for name in sorted(names):
                full = os.path.join(folder, name)
                member = os.path.relpath(full, root).replace(os.sep, "/")
                with open(full, "rb") as f:
                    members.append((f"{ASSETS_DIRNAME}/{member}", f.read()))
    return members


def _load_assets(assets: dict, model) -> None:
    """Hands each layer with ``load_assets`` its folder of the archive's ``assets/``
    (``assets``: member name -> bytes)."""
    if not assets:
        return
    prefix = f"{ASSETS_DIRNAME}/"
    with tempfile.TemporaryDirectory() as root:
        for name, data in assets.items():
            relative = name[len(prefix) :]
            if not relative or relative.endswith("/") or ".." in relative.split("/"):
                continue
            target = os.path.join(root, *relative.split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as f:
                f.write(data)
        for path, layer in _walk(model, "", set()):
            folder = os.path.join(root, path)
            if hasattr(layer, "load_assets") and os.path.isdir(folder):
                layer.load_assets(folder)


def save_weights_only(model, filepath) -> None:
    """Writes the weights (and optimizer state) as a ``.weights.h5`` file (atomically)."""
    h5py = file_io.h5py()
    os.makedirs(os.path.dirname(os.path.abspath(filepath)), exist_ok=True)
    with atomic_output(filepath) as tmp, h5py.File(tmp, "w") as h5file:
        _write_weights(h5file, model)


# -- reading -----------------------------------------------------------------------


def _find_group(h5file, path, layer):
    """The ``vars`` group of ``layer`` at ``path``, else one named after the layer
    (``layers/<layer name>``, or Keras 3's ``name`` attribute), else ``None``."""
    candidates = [path]
    if "/" in path:
        candidates.append(path.rsplit("/", 1)[0] + "/" + layer.name)
    for candidate in candidates:
        key = f"{candidate}/vars" if candidate else "vars"
        if key in h5file:
            group = h5file[key]
            named = file_io.attr_text(group.attrs.get("name", layer.name))
            if named == layer.name or candidate == path:
                return group
    return None


def _read_group(group, what) -> list:
    try:
        keys = sorted(group.keys(), key=int)
        return [np.asarray(group[k]) for k in keys]
    except (KeyError, OSError, RuntimeError, ValueError) as error:
        raise file_io.read_error(what, error) from None


def _load_weights(h5file, model, skip_mismatch=False, load_optimizer=True) -> None:
    pairs = []
    for path, layer in _walk(model, "", set()):
        variables = _own_variables(layer)
        group = _find_group(h5file, path, layer)
        values = [] if group is None else _read_group(group, f"the weights of {layer.name!r}")
        problem = None
        if len(values) != len(variables):
            problem = (
                f"Layer '{layer.name}' expected {len(variables)} variables, but "
                f"received {len(values)} variables during loading. Expected: "
                f"{[v.name for v in variables]}"
            )
        else:
            for var, value in zip(variables, values):
                if tuple(var.shape.as_list()) != value.shape:
                    problem = (
                        f"Shape mismatch in layer '{layer.name}' for weight "
                        f"{var.name}. Weight expects shape "
                        f"{tuple(var.shape.as_list())}. Received saved weight with "
                        f"shape {value.shape}"
                    )
                    break
        if problem is None:
            pairs.extend(zip(variables, values))
        elif skip_mismatch:
            warnings.warn(
                f"Could not load weights in object {layer.name}. Skipping object. "
                f"Exception encountered: {problem}",
                stacklevel=4,
            )
        else:
            raise ValueError(problem + ". Pass `skip_mismatch=True` to skip such layers.")
    for var, value in pairs:
        var.assign(value.astype(var.dtype.as_numpy_dtype))
    if load_optimizer and getattr(model, "_compiled", False) and "optimizer/vars" in h5file:
        values = _read_group(h5file["optimizer/vars"], "the optimizer's variables")
        model_state.restore_optimizer(model, values)


def _read_member(archive, name, filepath) -> bytes:
    try:
        return archive.read(name)
    except KeyError:
        raise ValueError(
            f"{filepath} is not a Keras model archive: it has no {name} "
            f"(members: {archive.namelist()})."
        ) from None
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise OSError(
            f"Unable to read {name} from {filepath}: the archive is truncated or "
            f"corrupted ({error})."
        ) from None


def _open_archive(filepath) -> zipfile.ZipFile:
    file_io.check_exists(filepath)
    try:
        return zipfile.ZipFile(filepath, "r")
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise OSError(
            f"Unable to open {filepath} as a `.keras` archive: it is truncated, "
            f"corrupted or not a zip file ({error})."
        ) from None


def load_model_from_zip(filepath, custom_objects=None, compile=True):  # noqa: A002
    """Rebuilds the model saved in a ``.keras`` archive (ours, tf-keras's or Keras 3's).

    Raises:
        OSError: a missing, truncated or corrupted archive.
        ValueError: an archive without a model, from a newer Keras, or with an unknown
            class or mismatching weights.
    """
    from tensorflux.keras.layers import serialization

    with _open_archive(filepath) as archive:
        if METADATA_FILENAME in archive.namelist():
            try:
                metadata = json.loads(_read_member(archive, METADATA_FILENAME, filepath))
            except ValueError:
                metadata = {}
            file_io.check_keras_version(metadata.get("keras_version"), filepath)
        try:
            config = json.loads(_read_member(archive, CONFIG_FILENAME, filepath))
        except UnicodeDecodeError as error:
            raise ValueError(
                f"The config.json of {filepath} is not valid JSON: the archive "
                f"is corrupted ({error})."
            ) from None
        except json.JSONDecodeError as error:
            raise ValueError(
                f"The config.json of {filepath} is not valid JSON: the archive "
                f"is corrupted ({error})."
            ) from None
        weights = _read_member(archive, WEIGHTS_FILENAME, filepath)
        assets = {
            name: archive.read(name)
            for name in archive.namelist()
            if name.startswith(f"{ASSETS_DIRNAME}/")
        }
    compile_config = config.get("compile_config")
    model_entry = config_dialects.normalize(
        {
            "class_name": config.get("class_name"),
            "config": config.get("config"),
            "registered_name": config.get("registered_name"),
        },
        custom_objects,
    )
    with CustomObjectScope(custom_objects):
        model = serialization.deserialize(model_entry, custom_objects=custom_objects)
        build_config = config.get("build_config") or {}
        if not model.built and build_config.get("input_shape") is not None:
            # A subclassed model has no graph to build it: it is called on the saved shape.
            model.build(build_config["input_shape"])
        if compile and compile_config:
            model_state.compile_from_config(
                model, config_dialects.normalize_compile(compile_config), custom_objects
            )
        with file_io.open_h5(io.BytesIO(weights), what="archive's model.weights.h5") as h5file:
            _load_weights(h5file, model)
        _load_assets(assets, model)
    return model


def load_weights_only(model, filepath, skip_mismatch=False) -> None:
    """Loads a ``.weights.h5`` file, or the weights of a ``.keras`` archive.

    Raises:
        OSError: a missing, truncated or corrupted file.
        ValueError: weights that do not fit the model (unless ``skip_mismatch``).
    """
    if zipfile.is_zipfile(filepath):
        with _open_archive(filepath) as archive:
            source = io.BytesIO(_read_member(archive, WEIGHTS_FILENAME, filepath))
    else:
        file_io.check_exists(filepath)
        source = filepath
    with file_io.open_h5(source) as h5file:
        _load_weights(h5file, model, skip_mismatch=skip_mismatch)
