"""Model configs as the files of other Keras versions spell them, and back.

Three dialects meet here:

- ours (``Model.get_config``): a functional layer's ``inbound_nodes`` are dicts
  ``{"inputs", "args", "kwargs"}`` whose tensors are ``["__keras_tensor__", layer,
  node, tensor]``;
- tf-keras 2.x (what we write, because tf-keras and Keras 3 both read it in ``.h5``):
  nodes are lists ``[[layer, node, tensor, kwargs], ...]``, ``input_layers`` and
  ``output_layers`` are lists of ``[layer, node, tensor]``;
- Keras 3: nodes are ``{"args": [...], "kwargs": {...}}`` holding
  ``{"class_name": "__keras_tensor__", "config": {"keras_history": [...]}}``, dtypes are
  ``DTypePolicy`` dicts, ``InputLayer`` has ``batch_shape``, and layers carry arguments
  that Keras 2 never had (``quantization_config``, ``synchronized``...).

:func:`to_tf_keras` turns ours into tf-keras's; :func:`normalize` turns any of the three
into ours, dropping only arguments that are unset (``None``/``False``) and unknown to
the class, so that a file's real settings are never silently lost.
"""

from __future__ import annotations

import copy
import importlib
import inspect

__all__ = ["normalize", "normalize_compile", "to_tf_keras"]

_MODEL_CLASSES = ("Functional", "Sequential", "Model")
# Public modules whose classes configs name, and where ours live.
_NAMESPACES = {
    "keras.initializers": "tensorflux.keras.initializers",
    "keras.regularizers": "tensorflux.keras.regularizers",
    "keras.constraints": "tensorflux.keras.constraints",
}
# Layer arguments every Layer takes through ``**kwargs`` (see ``Layer.__init__``).
_LAYER_KWARGS = {
    "name",
    "trainable",
    "dtype",
    "dynamic",
    "input_shape",
    "input_dim",
    "batch_input_shape",
    "batch_size",
    "activity_regularizer",
    "autocast",
    "input_dtype",
    "weights",
}
# Arguments of newer Keras versions that only describe defaults here.
_ALWAYS_DROPPED = {"optional", "build_config", "shared_object_id"}
# Keras 3 arguments that mean nothing while the argument they qualify is off.
_INERT_UNLESS = {
    "renorm_momentum": "renorm",
    "renorm_clipping": "renorm",
    "lora_alpha": "lora_rank",
}


def _is_ref(x) -> bool:
    return isinstance(x, list) and len(x) == 4 and x[0] == "__keras_tensor__"


def _map(fn, value):
    """Applies ``fn`` to the leaves of nested lists/tuples/dicts; ``fn`` may claim a
    whole list by returning something other than ``NotImplemented``."""
    claimed = fn(value)
    if claimed is not NotImplemented:
        return claimed
    if isinstance(value, (list, tuple)):
        return [_map(fn, v) for v in value]
    if isinstance(value, dict):
        return {k: _map(fn, v) for k, v in value.items()}
    return value


# -- ours -> tf-keras ------------------------------------------------------------


def to_tf_keras(serialized: dict, legacy: bool = False) -> dict:
    """A deep copy of a serialized model (``{"class_name", "config", ...}``) with every
    functional config in tf-keras's node format, nested models included.

    ``legacy`` gives the ``.h5`` spelling: layer entries without ``module`` and
    ``registered_name`` (a registered class goes by its registered name), which Keras 3
    reads with its legacy loader, as it does tf-keras's own ``.h5`` files.
    """
    serialized = copy.deepcopy(serialized)
    _model_to_tf_keras(serialized, legacy)
    return serialized


# Keras 2 arguments that Keras 3 refuses: left out of an .h5 config where they hold
# their default, so that Keras 3 opens the file too (tf-keras reads a missing one as the
# default; Keras 3 cannot open tf-keras's own recurrent .h5 files for this alone).
_KERAS2_ONLY_DEFAULTS = {"time_major": False}


def _legacy_entry(entry: dict) -> None:
    registered = entry.pop("registered_name", None)
    entry.pop("module", None)
    if registered:
        entry["class_name"] = registered
    _drop_keras2_only_defaults(entry)


def _drop_keras2_only_defaults(entry: dict) -> None:
    config = entry.get("config")
    if not isinstance(config, dict):
        return
    for key, default in _KERAS2_ONLY_DEFAULTS.items():
        if key in config and config[key] == default:
            del config[key]
    for wrapped in ("layer", "backward_layer", "cell"):
        if isinstance(config.get(wrapped), dict):
            _drop_keras2_only_defaults(config[wrapped])


def _model_to_tf_keras(entry: dict, legacy: bool) -> None:
    config = entry.get("config", {})
    if entry.get("class_name") not in _MODEL_CLASSES or "layers" not in config:
        return
    for layer in config["layers"]:
        _model_to_tf_keras(layer, legacy)
        if layer.get("class_name") == "TFOpLambda":
            _op_layer_to_tf_keras(layer)
        if legacy:
            _legacy_entry(layer)
        if "inbound_nodes" in layer:
            layer["inbound_nodes"] = [_node_to_tf_keras(n) for n in layer["inbound_nodes"]]
    for key in ("input_layers", "output_layers"):
        if key in config:
            value = config[key]
            config[key] = [value] if _is_triple(value) else value


def _is_triple(x) -> bool:
    return isinstance(x, list) and len(x) == 3 and isinstance(x[0], str)


def _op_layer_to_tf_keras(layer: dict) -> None:
    """A TFOpLambda as tf-keras spells it: ``x * y`` is a call with keyword ``y`` (and
    ``name=None``), given in the node as ``[layer, node, tensor, {"y": ...}]``."""
    config = layer["config"]
    if config.get("reverse"):
        return  # ``2 - x`` has no tf-keras node spelling; kept as is
    config.pop("reverse", None)
    layer.update(module="tf_keras.src.layers.core.tf_op_layer", registered_name="TFOpLambda")
    nodes = []
    for node in layer.get("inbound_nodes", []):
        if not (
            isinstance(node, dict)
            and _is_ref(node.get("inputs"))
            and len(node.get("args", [])) <= 1
            and not node.get("kwargs")
        ):
            return
        kwargs = {"name": None}
        if node.get("args"):
            other = node["args"][0]
            kwargs = {"y": other[1:] if _is_ref(other) else other, "name": None}
        nodes.append([*node["inputs"][1:], kwargs])
    layer["inbound_nodes"] = nodes


def _node_to_tf_keras(node):
    if not isinstance(node, dict) or "inputs" not in node or node.get("args"):
        return node  # extra positional arguments have no tf-keras spelling; kept as is
    # Tensors among the keyword arguments (an RNN's initial_state) become tf-keras'
    # [layer, node, tensor] triples.
    kwargs = _map(_tf_keras_triple, node.get("kwargs", {}))
    inputs = node["inputs"]
    refs = [inputs] if _is_ref(inputs) else inputs
    if not isinstance(refs, list) or not all(_is_ref(r) for r in refs):
        return node
    return [[r[1], r[2], r[3], kwargs] for r in refs]


def _tf_keras_triple(value):
    return list(value[1:]) if _is_ref(value) else NotImplemented


# -- any dialect -> ours -------------------------------------------------------


def normalize(serialized, custom_objects=None):
    """A deep copy of a saved model or layer config in our dialect (see the module
    docstring); ``custom_objects`` helps find the classes whose arguments are pruned."""
    serialized = copy.deepcopy(serialized)
    return _normalize_entry(serialized, custom_objects)


def _normalize_entry(entry, custom_objects):
    if not isinstance(entry, dict) or "class_name" not in entry:
        return entry
    class_name = entry["class_name"]
    if (
        isinstance(class_name, str)
        and class_name.startswith("Custom>")
        and entry.get("module") in (None, "keras.optimizers")
    ):
        entry["class_name"] = class_name = class_name[len("Custom>") :]
    config = entry.get("config")
    if not isinstance(config, dict):
        return entry
    if class_name in _MODEL_CLASSES and "layers" in config:
        config["layers"] = [_normalize_entry(layer, custom_objects) for layer in config["layers"]]
        for layer in config["layers"]:
            if "inbound_nodes" in layer:
                layer["inbound_nodes"] = [_node_from_file(n) for n in layer["inbound_nodes"]]
            if layer.get("class_name") == "TFOpLambda":
                _op_layer_from_file(layer)
        for key in ("input_layers", "output_layers"):
            if key in config:
                config[key] = _unwrap_single(config[key])
        return entry
    _normalize_layer_config(class_name, config, entry, custom_objects)
    return entry


def _unwrap_single(value):
    if isinstance(value, list) and len(value) == 1 and _is_triple(value[0]):
        return value[0]
    return value


def _dtype_name(value):
    if isinstance(value, dict) and "config" in value:
        return value["config"].get("name", value["config"].get("dtype", value))
    return value


def _normalize_layer_config(class_name, config, entry, custom_objects):
    if "dtype" in config:
        config["dtype"] = _dtype_name(config["dtype"])
    if "batch_shape" in config:
        config.setdefault("batch_input_shape", config.pop("batch_shape"))
    for key, value in list(config.items()):
        if isinstance(value, dict) and "class_name" in value:
            config[key] = _normalize_object(value, custom_objects)
    cls = _layer_class(class_name, entry.get("registered_name"), custom_objects)
    if cls is not None:
        _prune(config, _accepted_arguments(cls, layer=True))


def _normalize_object(entry, custom_objects):
    """A nested object config (initializer, regularizer, constraint): dialect keys
    dropped, arguments pruned against our class when we know it."""
    for key in _ALWAYS_DROPPED:
        entry.pop(key, None)
    namespace = _NAMESPACES.get(entry.get("module"))
    config = entry.get("config")
    if namespace is None or not isinstance(config, dict):
        return entry
    try:
        cls = getattr(importlib.import_module(namespace), entry["class_name"], None)
    except ImportError:
        cls = None
    if inspect.isclass(cls):
        _prune(config, _accepted_arguments(cls, layer=False))
    return entry


def _layer_class(class_name, registered_name, custom_objects):
    from tensorflux.keras.layers.serialization import _lookup

    return _lookup(class_name, custom_objects, registered_name)


def _accepted_arguments(cls, layer: bool):
    """The keyword names ``cls(**config)`` accepts, or ``None`` when it takes any."""
    try:
        params = inspect.signature(cls.__init__).parameters
    except (TypeError, ValueError):
        return None
    names = {n for n, p in params.items() if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}
    takes_any = any(p.kind is p.VAR_KEYWORD for p in params.values())
    if takes_any and not layer:
        return None
    if takes_any:
        # A layer forwards ``**kwargs`` to ``Layer.__init__``, which accepts these;
        # a user's layer may forward more, so only ours are pruned.
        if not cls.__module__.startswith("tensorflux"):
            return None
        names |= _LAYER_KWARGS
    return names


def _prune(config: dict, accepted) -> None:
    for key in [k for k in config if k in _ALWAYS_DROPPED]:
        del config[key]
    if accepted is None:
        return
    for key in [k for k in config if k not in accepted]:
        inert = key in _INERT_UNLESS and not config.get(_INERT_UNLESS[key])
        if inert or config[key] is None or config[key] is False:
            del config[key]


def _node_from_file(node):
    if isinstance(node, dict) and "inputs" in node:
        return node  # ours
    if isinstance(node, dict):  # Keras 3: {"args": [...], "kwargs": {...}}
        args = [_map(_keras3_tensor, a) for a in node.get("args", [])]
        kwargs = _map(_keras3_tensor, node.get("kwargs", {}))
        return {"inputs": args[0] if args else [], "args": args[1:], "kwargs": kwargs}
    # tf-keras: [[layer, node, tensor, kwargs], ...], or one such entry on its own (a
    # TFOpLambda's node); tensors among the kwargs are [layer, node, tensor] triples.
    entries = [node] if node and isinstance(node[0], str) else node
    refs = [["__keras_tensor__", e[0], e[1], e[2]] for e in entries]
    kwargs = entries[0][3] if entries and len(entries[0]) > 3 and entries[0][3] else {}
    kwargs = {k: _map(_tf_keras_tensor, v) for k, v in kwargs.items()}
    return {"inputs": refs[0] if len(refs) == 1 else refs, "args": [], "kwargs": kwargs}


def _tf_keras_tensor(value):
    if _is_triple(value) and isinstance(value[1], int) and isinstance(value[2], int):
        return ["__keras_tensor__", value[0], value[1], value[2]]
    return NotImplemented


def _op_layer_from_file(layer: dict) -> None:
    """tf-keras's ``x * y`` call (keyword ``y``, ``name=None``) as our operator layer's
    positional call."""
    from tensorflux.keras.models.tf_op_layer import _FUNCTIONS

    operator = layer.get("config", {}).get("function") in _FUNCTIONS
    for node in layer.get("inbound_nodes", []):
        kwargs = node.get("kwargs", {})
        if "name" in kwargs and kwargs["name"] is None:
            del kwargs["name"]
        if operator and "y" in kwargs:
            node["args"] = [kwargs.pop("y")] + list(node.get("args", []))


def _keras3_tensor(value):
    if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
        layer, node, tensor = value["config"]["keras_history"]
        return ["__keras_tensor__", layer, node, tensor]
    return NotImplemented


def normalize_compile(config: dict) -> dict:
    """A ``training_config`` or ``compile_config`` with its optimizer in our dialect:
    tf-keras's ``Custom>Adam`` class names and Keras 3's unset extra arguments undone."""
    from tensorflux.keras.optimizers import serialization as optimizer_serialization

    config = copy.deepcopy(config)
    for key in ("optimizer_config", "optimizer"):
        entry = config.get(key)
        if not isinstance(entry, dict) or "class_name" not in entry:
            continue
        name = entry["class_name"]
        if name.startswith("Custom>"):
            entry["class_name"] = name = name[len("Custom>") :]
        cls = optimizer_serialization._BY_NAME.get(name.lower())
        if cls is not None and isinstance(entry.get("config"), dict):
            params = inspect.signature(cls.__init__).parameters
            accepted = set(params) | {"learning_rate", "lr", "is_legacy_optimizer"}
            _prune(entry["config"], accepted)
    return config
