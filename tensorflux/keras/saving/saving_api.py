"""``Model.save`` / ``tf.keras.models.save_model`` / ``load_model`` and
``Model.save_weights`` / ``load_weights``: which format a path means, as tf-keras 2.21
decides it, and the module that reads or writes it.

- ``save``: ``.keras`` is the zip format, ``.h5``/``.hdf5`` legacy HDF5, anything else a
  SavedModel directory (``save_format`` overrides: ``"keras"``, ``"h5"``, ``"tf"``).
- ``save_weights``: ``.weights.h5`` is the ``.keras`` weights layout, ``.h5``, ``.hdf5``
  and ``.keras`` the legacy HDF5 layout, anything else a TF checkpoint prefix
  (``training_1/cp.ckpt``, ``./checkpoints/my_checkpoint``).
- ``load_model``/``load_weights`` look at what is on disk: a zip named ``.keras``, a
  directory (SavedModel), a checkpoint's ``.index`` file, else HDF5.
"""

from __future__ import annotations

import importlib
import os
import warnings
import zipfile

from tensorflux.keras.saving import file_io, keras_zip, legacy_h5
from tensorflux.keras.saving.safe_mode import safe_mode_scope

__all__ = ["load_model", "load_weights", "save_model", "save_weights"]

_H5_SUFFIXES = (".h5", ".hdf5", ".keras")


def _path(filepath) -> str:
    if isinstance(filepath, (str, os.PathLike)):
        return os.fspath(filepath)
    raise TypeError(
        f"`filepath` must be a string or a path-like object, got {filepath!r} of "
        f"type {type(filepath).__name__}."
    )


def _saved_model_module():
    return importlib.import_module("tensorflux.keras.saving.saved_model_format")


def _checkpoint_module():
    return importlib.import_module("tensorflux.train.keras_checkpoint")


def get_save_format(filepath: str, save_format) -> str:
    """``"keras"``, ``"h5"`` or ``"tf"`` for ``model.save(filepath, save_format)``.

    Raises:
        ValueError: an unknown ``save_format``.
    """
    if save_format:
        if save_format in ("keras", "keras_v3"):
            return "keras"
        if save_format in ("h5", "hdf5"):
            return "h5"
        if save_format in ("tf", "tensorflow"):
            return "tf"
        raise ValueError(
            "Unknown `save_format` argument. Expected one of 'keras', 'tf', or "
            f"'h5'. Received: save_format={save_format}"
        )
    if filepath.endswith(".keras"):
        return "keras"
    if filepath.endswith((".h5", ".hdf5")):
        return "h5"
    return "tf"


def _may_write(filepath: str, overwrite: bool) -> bool:
    if overwrite or not os.path.isfile(filepath):
        return True
    return file_io.ask_to_proceed_with_overwrite(filepath)


def save_model(model, filepath, overwrite=True, save_format=None, **kwargs):
    """Saves a model: architecture, weights, compile arguments and optimizer state.

    Args:
        model: the Keras model.
        filepath: ``.keras`` (zip), ``.h5`` (legacy HDF5) or a directory (SavedModel).
        overwrite: if False and the file exists, ask on the terminal first.
        save_format: ``"keras"``, ``"h5"`` or ``"tf"``; by default from ``filepath``.
        **kwargs: ``include_optimizer`` (h5, tf); ``signatures``, ``options`` (tf).

    Raises:
        ValueError: an unknown ``save_format``, or arguments the format does not take.

    >>> import os, tempfile
    >>> import tensorflux as tf
    >>> model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.keras")
    >>> tf.keras.models.save_model(model, path)
    >>> tf.keras.models.load_model(path).output_shape
    (None, 2)
    """
    filepath = _path(filepath)
    save_format = get_save_format(filepath, save_format)
    if save_format == "keras":
        if kwargs:
            raise ValueError(
                "The following argument(s) are not supported with the native "
                f"TF-Keras format: {list(kwargs.keys())}"
            )
        if _may_write(filepath, overwrite):
            keras_zip.save_model_to_zip(model, filepath)
        return
    if save_format == "h5":
        warnings.warn(
            "You are saving your model as an HDF5 file via `model.save()`. This "
            "file format is considered legacy. We recommend using instead the "
            "native TF-Keras format, e.g. `model.save('my_model.keras')`.",
            stacklevel=3,
        )
        unknown = set(kwargs) - {"include_optimizer", "save_traces", "signatures", "options"}
        if unknown:
            raise TypeError(f"save_model() got unexpected keyword argument(s) {sorted(unknown)}")
        if _may_write(filepath, overwrite):
            legacy_h5.save_model_to_h5(
                model, filepath, include_optimizer=kwargs.get("include_optimizer", True)
            )
        return
    unknown = set(kwargs) - {"include_optimizer", "signatures", "options", "save_traces"}
    if unknown:
        raise TypeError(f"save_model() got unexpected keyword argument(s) {sorted(unknown)}")
    _saved_model_module().save(
        model,
        filepath,
        signatures=kwargs.get("signatures"),
        options=kwargs.get("options"),
        include_optimizer=kwargs.get("include_optimizer", True),
    )


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True, **kwargs):  # noqa: A002
    """Loads a model saved by ``model.save`` (ours, tf-keras's or Keras 3's).

    Args:
        filepath: a ``.keras`` archive, an ``.h5`` file or a SavedModel directory.
        custom_objects: ``{name: class or function}`` for objects defined outside Keras.
        compile: compile the model as it was saved (with its optimizer state).
        safe_mode: refuse to run Python code stored in the file (a Lambda layer's
            bytecode); pass ``False`` only for files you trust.
        **kwargs: ``options`` (SavedModel only).

    Returns:
        The model, compiled if it was saved compiled and ``compile`` is True.

    Raises:
        OSError: nothing at ``filepath``, or a truncated, corrupted or foreign file.
        ValueError: an unknown custom class (pass it in ``custom_objects``), a Lambda
            layer's code under ``safe_mode``, weights that do not fit, or a file from a
            newer Keras.
    """
    filepath = _path(filepath)
    with safe_mode_scope(safe_mode):
        if filepath.endswith(".keras") and zipfile.is_zipfile(filepath):
            if kwargs:
                raise ValueError(
                    "The following argument(s) are not supported with the "
                    f"native TF-Keras format: {list(kwargs.keys())}"
                )
            return keras_zip.load_model_from_zip(
                filepath, custom_objects=custom_objects, compile=compile
            )
        file_io.check_exists(filepath)
        if os.path.isdir(filepath):
            return _saved_model_module().load(
                filepath, custom_objects=custom_objects, compile=compile
            )
        if filepath.endswith(".keras") and not file_io.h5py().is_hdf5(filepath):
            raise OSError(
                f"Unable to open {filepath} as a `.keras` archive: it is "
                f"truncated, corrupted or not a zip file."
            )
        unknown = set(kwargs) - {"options"}
        if unknown:
            raise TypeError(f"load_model() got unexpected keyword argument(s) {sorted(unknown)}")
        return legacy_h5.load_model_from_h5(
            filepath, custom_objects=custom_objects, compile=compile
        )


def save_weights(model, filepath, overwrite=True, save_format=None, options=None):
    """Saves the model's weights: ``.weights.h5`` and ``.h5`` files, or a TF checkpoint.

    Raises:
        ValueError: an unknown ``save_format``, or ``"tf"`` for an ``.h5`` path.
    """
    filepath = _path(filepath)
    is_h5 = filepath.endswith(_H5_SUFFIXES)
    if save_format is None:
        save_format = "h5" if is_h5 else "tf"
    else:
        requested = str(save_format).lower().strip()
        if requested in ("tensorflow", "tf"):
            save_format = "tf"
        elif requested in ("hdf5", "h5", "keras"):
            save_format = "h5"
        else:
            raise ValueError(
                f"Unknown format. Received: `save_format`={save_format}. Was "
                'expecting one of {"tf", "h5"}.'
            )
    if save_format == "tf" and is_h5:
        raise ValueError(
            'save_weights got save_format="tf"/"tensorflow", but the filepath '
            f'("{filepath}") looks like an HDF5 file. Omit the ".h5"/".keras" '
            "when saving in TensorFlow format."
        )
    if save_format == "h5":
        if not _may_write(filepath, overwrite):
            return
        if filepath.endswith(".weights.h5"):
            keras_zip.save_weights_only(model, filepath)
        else:
            legacy_h5.save_weights_to_h5(model, filepath)
        return
    if (
        not overwrite
        and os.path.isfile(filepath + ".index")
        and not file_io.ask_to_proceed_with_overwrite(filepath)
    ):
        return
    _checkpoint_module().save_weights(model, filepath)


def _is_legacy_h5(filepath) -> bool:
    with file_io.open_h5(filepath) as f:
        return "layer_names" in f.attrs or "model_weights" in f or "layer_names0" in f.attrs


def load_weights(model, filepath, by_name=False, skip_mismatch=False, options=None):
    """Loads weights saved by ``save_weights`` (or a whole-model file's weights).

    Returns:
        The checkpoint's restore status for a TF checkpoint, else ``None``.

    Raises:
        ValueError: ``skip_mismatch`` without ``by_name`` for HDF5 weights, or weights
            that do not fit the model.
        NotImplementedError: ``by_name`` with a TF checkpoint.
        OSError: a missing, truncated or corrupted HDF5 file.
    """
    filepath = _path(filepath)
    if filepath.endswith(".keras") and zipfile.is_zipfile(filepath):
        keras_zip.load_weights_only(model, filepath, skip_mismatch=skip_mismatch)
        return None
    if filepath.endswith(".weights.h5") and not (
        os.path.isfile(filepath) and _is_legacy_h5(filepath)
    ):
        keras_zip.load_weights_only(model, filepath, skip_mismatch=skip_mismatch)
        return None
    if skip_mismatch and not by_name:
        raise ValueError(
            "When calling model.load_weights, skip_mismatch can only be set to "
            "True when by_name is True."
        )
    if not filepath.endswith(_H5_SUFFIXES):
        prefix = filepath
        if os.path.isdir(filepath) and os.path.isfile(
            os.path.join(filepath, "variables", "variables.index")
        ):
            prefix = os.path.join(filepath, "variables", "variables")
        is_file = os.path.isfile(filepath)
        if os.path.isfile(prefix + ".index") or not is_file:
            if by_name:
                raise NotImplementedError(
                    "Weights may only be loaded based on topology into "
                    "Models when loading TensorFlow-formatted weights "
                    "(got by_name=True to load_weights)."
                )
            return _checkpoint_module().load_weights(model, prefix, options)
    legacy_h5.load_weights_from_h5(model, filepath, by_name=by_name, skip_mismatch=skip_mismatch)
    return None
