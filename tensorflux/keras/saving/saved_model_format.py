"""Keras models as SavedModel directories, in tf-keras 2.21's layout.

``save`` writes what ``tf.saved_model.save`` writes (``saved_model.pb`` with the
``serving_default`` signature keyed by the input layers' and output layers' names,
``variables/``, ``fingerprint.pb``, ``assets/``) plus ``keras_metadata.pb``: the model's
config, build shape and compile state as tf-keras records them. The objects and variables
are the model's checkpoint graph (``layer_with_weights-0/kernel``, ``layer-1``,
``optimizer/_variables/1``), named as tf-keras names them. Subclassed models and
custom layers, which tf-keras cannot rebuild from their config, also carry the call
functions it revives them from (``saved_model_revival``).

``load`` rebuilds the model from ``keras_metadata.pb``'s config and restores the
variables, so it also reads SavedModels that real tf-keras wrote, without running
their TF graphs.
"""

from __future__ import annotations

import json
import os

from tensorflux.engine.function import function as tf_function
from tensorflux.framework import nest
from tensorflux.framework.proto_wire import ProtoDecodeError
from tensorflux.framework.tensor_spec import TensorSpec
from tensorflux.keras.models.model import Model, _json_default, model_from_config
from tensorflux.keras.saving import saved_model_metadata as metadata_pb
from tensorflux.keras.saving import saved_model_revival as revival
from tensorflux.saved_model import directory
from tensorflux.saved_model import saver as sm_save
from tensorflux.saved_model.loader import RestoredConcreteFunction, register_reviver

__all__ = ["save", "load"]

METADATA_FILENAME = "keras_metadata.pb"


def save(model, dirpath, signatures=None, options=None, include_optimizer=True):
    """Saves ``model`` as a SavedModel directory with Keras metadata.

    Args:
        model: a built Keras model.
        dirpath: the directory (its SavedModel replaced atomically if it exists).
        signatures: as ``tf.saved_model.save``; default ``serving_default`` calls the
            model on its inputs.
        options: a ``tf.saved_model.SaveOptions``.
        include_optimizer: also save the optimizer's state.

    Raises:
        ValueError: the model is not built (its input shape is unknown).
    """
    sm_save.write_export(_export(model, signatures, include_optimizer), dirpath)


def _export(model, signatures, include_optimizer=True) -> sm_save.Export:
    if not model.built or not (getattr(model, "inputs", None) or _subclass_spec(model)):
        raise ValueError(
            f"Model {model.name!r} cannot be saved either because the input shape is not "
            f"available or because the forward pass of the model is not defined. To define "
            f"a forward pass, please override `Model.call()`. To specify an input shape, "
            f"either call `build(input_shape)` directly, or call the model on actual data "
            f"using `Model()`, `Model.fit()`, or `Model.predict()`."
        )
    skip = () if include_optimizer else ("optimizer",)
    # Only the model's call is exported: its train/predict step functions hold ops that
    # serving has no use for.
    export = sm_save.object_export(model, None, _identifier(model), skip=skip, functions=False)
    if "optimizer" in export.objects:
        # TF revives the optimizer by this identifier (a legacy one to take back its
        # slot variables, which the SavedObjectGraph lists on it).
        export.objects["optimizer"] = _optimizer_identifier(model.optimizer)
    # tf-keras also saves the compiled metrics' state, under keras_api/metrics/<n>.
    for i, metric in enumerate(getattr(model, "metrics", [])):
        export.objects[f"keras_api/metrics/{i}"] = "_tf_keras_metric"
        for var in metric.variables:
            export.variables[f"keras_api/metrics/{i}/{var.name.split(':')[0]}"] = var
    entries = _layer_entries(model, export)
    custom = [(path, layer) for path, layer in entries if revival.is_custom(layer)]
    with revival.recording_calls([layer for _, layer in custom]) as specs:
        serving, call = _serving_functions(model)
    # What tf-keras calls the layers it cannot rebuild from their config with.
    training_args = {}
    if revival.is_custom(model):
        training_args[""] = revival.add_call_functions(export, "", model, _input_structure(model))
    for path, layer in custom:
        if id(layer) in specs:
            training_args[path] = revival.add_call_functions(export, path, layer, specs[id(layer)])
    export.functions["__call__"] = [call]
    export.function_args["__call__"] = ["inputs"]
    if signatures is None:
        names = [spec.name for spec in nest.flatten(_input_structure(model))]
        export.signatures = {"serving_default": (serving, names)}
    else:
        export.signatures = sm_save.normalize_signatures(signatures, model, export)
    export.extra_files[METADATA_FILENAME] = lambda node_ids: _metadata(
        model, include_optimizer, node_ids, entries, training_args
    )
    return export


def _optimizer_identifier(optimizer) -> str:
    from tensorflux.keras.optimizers.legacy.optimizer_v2 import OptimizerV2

    inner = getattr(optimizer, "inner_optimizer", optimizer)
    return "optimizer" if isinstance(inner, OptimizerV2) else "experimentalOptimizer"


def _layer_entries(model, export) -> list:
    """``(path, layer)`` for the model's layers, then the layers nested in them, each
    under its object path (its identifier set on ``export``). A Functional or Sequential
    model also lists its i-th layer as ``layer-<i>``, which tf-keras rebuilds it from."""
    from tensorflux.keras.layers.layer import Layer

    entries = []
    graph_network = _identifier(model) != "_tf_keras_model"
    by_id = {id(obj): path for path, obj in export.tracked.items()}
    for i, (layer, default) in enumerate(zip(model.layers, _layer_paths(model))):
        path = by_id.get(id(layer), default)
        entries.append((path, layer))
        if graph_network and path != f"layer-{i}":
            export.aliases.append(("", f"layer-{i}", path))
    listed = {id(layer) for _, layer in entries} | {id(model)}
    for path, obj in export.tracked.items():
        if isinstance(obj, Layer) and id(obj) not in listed:
            listed.add(id(obj))
            entries.append((path, obj))
    for path, layer in entries:
        export.objects[path] = _identifier(layer) if isinstance(layer, Model) else "_tf_keras_layer"
    return entries


def _layer_paths(model) -> list:
    """Each layer's path from the model, as tf-keras tracks a Functional or Sequential
    model's layers: ``layer_with_weights-<k>`` for the k-th layer with weights,
    ``layer-<i>`` for the others."""
    paths, k = [], 0
    for i, layer in enumerate(model.layers):
        if layer.weights:
            paths.append(f"layer_with_weights-{k}")
            k += 1
        else:
            paths.append(f"layer-{i}")
    return paths


def _identifier(model) -> str:
    kind = type(model).__name__
    if kind == "Sequential":
        return "_tf_keras_sequential"
    return "_tf_keras_network" if kind == "Functional" else "_tf_keras_model"


def _serving_functions(model):
    """The ``serving_default`` ConcreteFunction (``{output name: tensor}`` from tensors
    keyed by input name) and the model's plain call."""
    structure = _input_structure(model)
    specs = nest.flatten(structure)
    names = list(model.output_names) if getattr(model, "inputs", None) else None

    def serve(*tensors):
        outputs = model(nest.pack_sequence_as(structure, list(tensors)), training=False)
        if isinstance(outputs, dict):
            return dict(outputs)
        flat = nest.flatten(outputs)
        # A subclassed model's outputs are named as tf-keras names them.
        keys = names or [f"output_{i + 1}" for i in range(len(flat))]
        return dict(zip(keys, flat))

    def call(inputs):
        return model(inputs, training=False)

    serving = tf_function(serve, input_signature=specs).get_concrete_function()
    return serving, tf_function(call, input_signature=[structure]).get_concrete_function()


def _subclass_spec(model):
    """The inputs a subclassed model was first called or built with (TensorSpecs)."""
    return getattr(model, "_save_spec", None)


def _input_structure(model):
    """The model's inputs as TensorSpecs with an open batch dimension: its input layers
    (one, or a list), or a subclassed model's first inputs."""
    inputs = getattr(model, "inputs", None)
    if not inputs:
        return _subclass_spec(model)
    # The batch size is left open, as tf-keras' save spec leaves it (a Sequential first
    # called on a batch of 2 still serves any batch), except where stateful layers keep
    # states of one batch size.
    stateful = any(getattr(layer, "stateful", False) for layer in model._flatten_layers())
    specs = [
        TensorSpec(t.shape if stateful else _open_batch(t.shape), t.dtype, t.name) for t in inputs
    ]
    return specs[0] if len(specs) == 1 else specs


def _open_batch(shape):
    dims = shape.as_list() if shape.rank is not None else None
    return dims if not dims else [None] + dims[1:]


# -- keras_metadata.pb --------------------------------------------------------------


def _shape_record(shape):
    """A shape as tf-keras records it (a list of shapes for a layer of several inputs)."""
    if shape is None:
        return None
    if shape and all(isinstance(d, list) for d in shape):
        return [_shape_record(d) for d in shape]
    return {"class_name": "TensorShape", "items": list(shape)}


def _training_config(model):
    if not getattr(model, "_compiled", False):
        return None
    from tensorflux.keras import losses, metrics, optimizers

    def loss_config(loss):
        if isinstance(loss, str) or loss is None:
            return loss
        if isinstance(loss, (list, tuple)):
            return [loss_config(x) for x in loss]
        if isinstance(loss, dict):
            return {k: loss_config(v) for k, v in loss.items()}
        return losses.serialize(loss)

    def metric_config(m):
        if isinstance(m, str) or m is None:
            return m
        if isinstance(m, (list, tuple)):
            return [metric_config(x) for x in m]
        if isinstance(m, dict):
            return {k: metric_config(v) for k, v in m.items()}
        return metrics.serialize(m)

    container = model.compiled_metrics
    optimizer = optimizers.serialize(model.optimizer)
    return {
        "loss": loss_config(model.loss),
        "metrics": metric_config(getattr(container, "_specs", None)),
        "weighted_metrics": metric_config(getattr(container, "_weighted_specs", None)),
        "loss_weights": None,
        "optimizer_config": {"class_name": optimizer["class_name"], "config": optimizer["config"]},
    }


def _build_shape(layer):
    """The input shape ``layer`` was built for, as a list, or a list of them for several
    inputs (None when unknown)."""
    shape = getattr(layer, "_build_input_shape", None)
    if shape is None:
        try:
            shape = layer.input_shape
        except (AttributeError, ValueError, RuntimeError):
            return None
    return _as_dims(shape)


def _as_dims(shape):
    if hasattr(shape, "as_list"):
        return shape.as_list()
    if isinstance(shape, (list, tuple)):
        if all(d is None or isinstance(d, int) for d in shape):
            return list(shape)
        parts = [_as_dims(d) for d in shape]
        return None if any(p is None for p in parts) else parts
    return None


def _metadata(
    model, include_optimizer: bool, node_ids: dict, entries: list, training_args: dict
) -> bytes:
    """``keras_metadata.pb``; ``node_ids`` maps object paths to their SavedObjectGraph
    node ids, which tf-keras matches its records to; ``entries`` are the layers'
    ``(path, layer)``; ``training_args`` says, by path, whether the saved call
    functions take ``training``."""
    from tensorflux.keras.layers import serialization

    config = metadata_pb.tf_keras_config(serialization.serialize(model))
    inputs = getattr(model, "inputs", None)
    if inputs:
        input_shape = inputs[0].shape.as_list() if len(inputs) == 1 else None
    else:
        input_shape = _build_shape(model)
    root = {
        "name": model.name,
        "trainable": model.trainable,
        "expects_training_arg": training_args.get("", True),
        "dtype": "float32",
        "batch_input_shape": None,
        "must_restore_from_config": False,
        "preserve_input_structure_in_config": False,
        "autocast": False,
        "class_name": config["class_name"],
        "config": config["config"],
        "build_input_shape": _shape_record(input_shape),
        "is_graph_network": type(model).__name__ in ("Sequential", "Functional"),
        "keras_version": metadata_pb.KERAS_VERSION,
        "backend": "tensorflow",
        "model_config": {"class_name": config["class_name"], "config": config["config"]},
    }
    if include_optimizer:
        root["training_config"] = _training_config(model)
    objects = [(0, "root", _identifier(model), json.dumps(root, default=_json_default))]
    for path, layer in entries:
        layer_config = serialization.serialize(layer)
        record = {
            "name": layer.name,
            "trainable": layer.trainable,
            "expects_training_arg": training_args.get(path, "training" in layer._call_spec),
            # tf-keras rebuilds a layer with this dtype policy and input shape.
            "dtype": layer_config["config"].get("dtype", "float32"),
            "batch_input_shape": getattr(layer, "_batch_input_shape", None),
            "stateful": bool(getattr(layer, "stateful", False)),
            "must_restore_from_config": False,
            "preserve_input_structure_in_config": False,
            "autocast": True,
            "class_name": layer_config["class_name"],
            "config": layer_config["config"],
            "build_input_shape": _shape_record(_build_shape(layer)),
        }
        objects.append(
            (
                node_ids[path],
                "root." + path.replace("/", "."),
                _identifier(layer) if isinstance(layer, Model) else "_tf_keras_layer",
                json.dumps(record, default=_json_default),
            )
        )
    for i, metric in enumerate(getattr(model, "metrics", [])):
        path = f"keras_api/metrics/{i}"
        if path not in node_ids:
            continue
        record = {
            "class_name": type(metric).__name__,
            "name": metric.name,
            "dtype": "float32",
            "config": metric.get_config(),
        }
        objects.append(
            (
                node_ids[path],
                "root." + path.replace("/", "."),
                "_tf_keras_metric",
                json.dumps(record, default=_json_default),
            )
        )
    return metadata_pb.encode_metadata(objects)


# -- loading --------------------------------------------------------------------------


def load(dirpath, custom_objects=None, compile=True):  # noqa: A002 - Keras' argument name
    """Loads a Keras model from a SavedModel directory (ours or tf-keras').

    Args:
        dirpath: the SavedModel directory.
        custom_objects: name -> class/function for custom layers, losses, metrics.
        compile: restore the compile state (loss, metrics, optimizer and its state).

    Returns:
        The Keras model, with its weights.

    Raises:
        OSError: not a SavedModel directory, or a truncated/corrupted file.
        ValueError: no Keras metadata (not saved from a Keras model), an unknown class,
            or variables that do not match the model.
        FileNotFoundError: the variables are missing.
    """
    from tensorflux.train.checkpoint import read_checkpoint

    dirpath = os.fspath(dirpath)
    directory.read_saved_model(dirpath)
    path = os.path.join(dirpath, METADATA_FILENAME)
    if not os.path.isfile(path):
        raise ValueError(
            f"The SavedModel at {dirpath} has no {METADATA_FILENAME}: it was not "
            f"saved from a Keras model. Load it with tf.saved_model.load()."
        )
    with open(path, "rb") as f:
        data = f.read()
    try:
        nodes = metadata_pb.decode_metadata(data)
        root = json.loads(next(n for n in nodes if n["node_path"] == "root")["metadata"])
    except (ProtoDecodeError, UnicodeDecodeError, ValueError, StopIteration, KeyError) as e:
        raise OSError(
            f"Cannot parse file {path.encode()!r}: the Keras metadata is truncated "
            f"or corrupted ({type(e).__name__}). Save the model again."
        ) from None
    config = metadata_pb.plain_config({"class_name": root["class_name"], "config": root["config"]})
    model = model_from_config(config, custom_objects=custom_objects)
    shape = metadata_pb.plain_config(root.get("build_input_shape"))
    if not model.built and shape:
        model.build(shape)
    prefix = directory.variables_prefix(dirpath)
    # tf-keras compiles a loaded model with a new optimizer from the training config
    # (iteration 0, no slots), whatever optimizer state the SavedModel holds. That
    # state resumes with model.load_weights("<dir>/variables/variables") on a compiled
    # model, as in TF.
    status = read_checkpoint(model, prefix, skip_root_children=("optimizer",))
    try:
        status.assert_existing_objects_matched()
    except AssertionError as e:
        raise ValueError(
            f"The variables of the SavedModel at {dirpath} do not match the "
            f"model in its keras_metadata.pb: {e}"
        ) from None
    training = metadata_pb.plain_config(root.get("training_config"))
    if compile and training:
        _compile(model, training, custom_objects)
    elif compile:
        _logger().warning(
            "No training configuration found in save file, so the model was *not* "
            "compiled. Compile it manually."
        )
    return model


def _logger():
    import logging

    return logging.getLogger("tensorflow")


def _compile(model, training: dict, custom_objects) -> None:
    from tensorflux.keras import metrics as metrics_module
    from tensorflux.keras import optimizers

    optimizer_config = dict(training.get("optimizer_config") or {})
    if optimizer_config:
        optimizer_config["class_name"] = optimizer_config["class_name"].split(">")[-1]
        optimizer_config["config"] = {
            k: v for k, v in optimizer_config["config"].items() if k != "is_legacy_optimizer"
        }
        optimizer = optimizers.deserialize(optimizer_config, custom_objects=custom_objects)
    else:
        optimizer = "rmsprop"

    def metric(m):
        if isinstance(m, list):
            return [metric(x) for x in m]
        if isinstance(m, dict) and "class_name" in m:
            if m["class_name"] == "MeanMetricWrapper":
                # compile(metrics=["accuracy"]) is saved as a wrapper named "accuracy"
                # around the resolved function: the name compiles back to the same
                # metric under the same name.
                name, fn = m["config"].get("name"), m["config"].get("fn")
                try:
                    metrics_module.deserialize(name, custom_objects=custom_objects)
                except (ValueError, TypeError):
                    return fn or name
                return name
            return metrics_module.deserialize(m, custom_objects=custom_objects)
        if isinstance(m, dict):
            return {k: metric(v) for k, v in m.items()}
        return m

    def per_output(specs):
        # Saved as one list per output ([["mae"]]); a one-output model compiles with
        # the plain list.
        if isinstance(specs, list):
            specs = [s for s in specs if s is not None]
            if len(specs) == 1 and isinstance(specs[0], list):
                specs = specs[0]
        return metric(specs) or None

    model.compile(
        optimizer=optimizer,
        loss=_loss(training.get("loss"), custom_objects),
        metrics=per_output(training.get("metrics")),
        weighted_metrics=per_output(training.get("weighted_metrics")),
        loss_weights=training.get("loss_weights"),
    )


def _loss(loss, custom_objects):
    from tensorflux.keras import losses

    if isinstance(loss, dict) and "class_name" in loss:
        return losses.deserialize(loss, custom_objects=custom_objects)
    if isinstance(loss, dict):
        return {k: _loss(v, custom_objects) for k, v in loss.items()}
    if isinstance(loss, list):
        return [_loss(v, custom_objects) for v in loss]
    return loss


def _revive_keras_signatures(export_dir, meta, root) -> bool:
    """``tf.saved_model.load`` of a Keras SavedModel that TensorFlow wrote: the model is
    rebuilt from ``keras_metadata.pb`` and serves the signatures (inputs by input layer
    name, outputs by output layer name, as the SignatureDefs list them) and calls."""
    if not os.path.isfile(os.path.join(os.fspath(export_dir), METADATA_FILENAME)):
        return False
    model = load(export_dir, compile=False)
    names = [t.name for t in model.inputs]
    for key, sig in meta["signature_defs"].items():
        if set(sig["inputs"]) != set(names) or set(sig["outputs"]) != set(model.output_names):
            continue
        root.signatures[key] = _keras_signature(model, key, sig)
    root.__dict__["__call__"] = lambda inputs, training=False: model(inputs, training=training)
    return True


def _keras_signature(model, key, sig):
    keywords = [t.name for t in model.inputs]
    inputs = {k: TensorSpec(dims, dtype, k) for k, (_, dtype, dims) in sig["inputs"].items()}
    outputs = {k: TensorSpec(dims, dtype, k) for k, (_, dtype, dims) in sig["outputs"].items()}
    order = sorted(outputs)

    def run(*tensors):
        result = model(tensors[0] if len(tensors) == 1 else list(tensors), training=False)
        flat = result if isinstance(result, (list, tuple)) else [result]
        by_name = dict(zip(model.output_names, flat))
        return [by_name[k] for k in order]

    return RestoredConcreteFunction(
        f"signature_wrapper_{key}", lambda: run, ((), inputs), outputs, keywords, 0
    )


def _export_for_tf_saved_model(model, signatures):
    return _export(model, signatures)


sm_save.register_exporter(Model, _export_for_tf_saved_model)
register_reviver(_revive_keras_signatures)
