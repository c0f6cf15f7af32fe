"""``tf.saved_model.load``: a SavedModel directory back as Python objects.

The object graph is rebuilt node by node: user objects become :class:`UserObject` s
with their children as attributes, variables are created with the checkpoint's values
(found under their object-graph path, as TF keys them), functions are rebuilt from
their FunctionDefs through the op registry (``function_codec``) and ``signatures``
becomes a mapping of keyword-called functions returning ``{output key: tensor}``.
"""

from __future__ import annotations

import os

from tensorflux.framework import nest
from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.framework.tensor_spec import TensorSpec
from tensorflux.framework.variables import Variable
from tensorflux.saved_model import constants, directory
from tensorflux.saved_model.asset import Asset
from tensorflux.saved_model.function_codec import FunctionDefRunner, restore_function
from tensorflux.saved_model.object_graph_def import (
    ASSET,
    BARE_CONCRETE_FUNCTION,
    FUNCTION,
    USER_OBJECT,
    VARIABLE,
    decode_object_graph,
    node_paths,
)

__all__ = [
    "load",
    "LoadOptions",
    "UserObject",
    "RestoredFunction",
    "RestoredConcreteFunction",
    "SignatureMap",
    "register_reviver",
]


class LoadOptions:
    """Options for ``tf.saved_model.load`` (accepted as TF's; tensorflux loads on the
    CPU, so the device options change nothing).

    >>> LoadOptions(allow_partial_checkpoint=True).allow_partial_checkpoint
    True
    """

    def __init__(
        self,
        allow_partial_checkpoint=False,
        experimental_io_device=None,
        experimental_skip_checkpoint=False,
        experimental_variable_policy=None,
        experimental_load_function_aliases=False,
    ):
        self.allow_partial_checkpoint = allow_partial_checkpoint
        self.experimental_io_device = experimental_io_device
        self.experimental_skip_checkpoint = experimental_skip_checkpoint
        self.experimental_variable_policy = experimental_variable_policy
        self.experimental_load_function_aliases = experimental_load_function_aliases


class UserObject:
    """A loaded object: its saved children (variables, functions, sub-objects) are its
    attributes; ``variables``/``trainable_variables`` collect its variables."""

    def __init__(self, identifier: str = "_generic_user_object"):
        self._identifier = identifier
        self._own_variables: list = []

    @property
    def variables(self) -> list:
        return _collect_variables(self, set())

    @property
    def trainable_variables(self) -> list:
        return [v for v in self.variables if v.trainable]

    def __call__(self, *args, **kwargs):
        call = self.__dict__.get("__call__")
        if call is None:
            raise TypeError(
                f"'{type(self).__name__}' object is not callable: the saved "
                f"object had no __call__ tf.function."
            )
        return call(*args, **kwargs)

    def __repr__(self):
        return f"<tensorflux.saved_model.loader.UserObject ({self._identifier})>"


def _collect_variables(obj, seen: set) -> list:
    out = []
    if isinstance(obj, dict):
        values = obj.values()
    elif isinstance(obj, list):
        values = obj
    else:
        values = vars(obj).values()
    for value in values:
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, Variable):
            out.append(value)
        elif isinstance(value, (UserObject, list)) or (
            isinstance(value, dict) and not isinstance(value, SignatureMap)
        ):
            out.extend(_collect_variables(value, seen))
    return out


class RestoredConcreteFunction:
    """A loaded concrete function: called with its inputs (positionally, or by keyword
    for a signature), it returns its saved output structure."""

    def __init__(
        self,
        name: str,
        runner_factory,
        input_signature,
        output_signature,
        argument_keywords=None,
        allowed_positional=None,
    ):
        self.name = name
        self._factory = runner_factory
        self._fn = None
        self.structured_input_signature = input_signature
        self.structured_outputs = output_signature
        self._keywords = argument_keywords
        self._allowed_positional = allowed_positional

    @property
    def inputs(self) -> list:
        return nest.flatten(self.structured_input_signature)

    @property
    def outputs(self) -> list:
        return nest.flatten(self.structured_outputs)

    def _flat_specs(self) -> list:
        if self._keywords is not None:
            kwargs = self.structured_input_signature[1]
            return [kwargs[k] for k in self._keywords]
        return [
            s for s in nest.flatten(self.structured_input_signature) if isinstance(s, TensorSpec)
        ]

    def _function(self):
        if self._fn is None:
            specs = self._flat_specs()
            self._fn = restore_function(self._factory(), specs, self.structured_outputs)
        return self._fn

    def __call__(self, *args, **kwargs):
        if self._keywords is not None:
            if len(args) > (self._allowed_positional or 0):
                raise TypeError(
                    f"{self.name} takes its inputs as keyword arguments "
                    f"({', '.join(self._keywords)}), got {len(args)} positional argument(s). "
                    f"Call it as f({self._keywords[0] if self._keywords else 'x'}=...)."
                )
            given = dict(zip(self._keywords, args))
            given.update(kwargs)
            missing = [k for k in self._keywords if k not in given]
            extra = sorted(set(given) - set(self._keywords))
            if missing or extra:
                raise TypeError(
                    f"{self.name} got unexpected keyword arguments {extra} or "
                    f"is missing {missing}; its inputs are {self._keywords}."
                )
            flat = [given[k] for k in self._keywords]
        else:
            flat = nest.flatten((args, kwargs))
        specs = self._flat_specs()
        tensors = [convert_to_tensor(x, dtype=s.dtype) for x, s in zip(flat, specs)]
        return self._function()(*tensors)

    def __repr__(self):
        return f"<RestoredConcreteFunction {self.name}>"


class RestoredFunction:
    """A loaded ``tf.function``: calls the concrete function whose signature matches."""

    def __init__(self, concretes: list):
        self.concrete_functions = concretes

    def __call__(self, *args, **kwargs):
        flat = nest.flatten((args, kwargs))
        for cf in self.concrete_functions:
            specs = [s for s in cf.inputs if isinstance(s, TensorSpec)]
            if len(specs) == len(flat) and all(
                s.is_compatible_with(convert_to_tensor(x, dtype=s.dtype))
                for s, x in zip(specs, flat)
            ):
                return cf(*args, **kwargs)
        wanted = [cf.structured_input_signature for cf in self.concrete_functions]
        raise ValueError(
            f"Could not find matching concrete function to call loaded from the "
            f"SavedModel. Got: {args}, {kwargs}. Expected one of: {wanted}"
        )

    def get_concrete_function(self, *args, **kwargs):
        if not args and not kwargs and len(self.concrete_functions) == 1:
            return self.concrete_functions[0]
        raise ValueError(
            "get_concrete_function() of a loaded function takes no arguments when it has one trace."
        )


class SignatureMap(dict):
    """``loaded.signatures``: signature key -> keyword-called concrete function."""


def load(export_dir, tags=None, options=None):
    """Loads the SavedModel in ``export_dir``.

    Args:
        export_dir: the directory ``tf.saved_model.save`` wrote.
        tags: the MetaGraphDef's tags (default: the first one, ``serve``).
        options: a :class:`LoadOptions`.

    Returns:
        The root object: its saved attributes, ``signatures``, ``variables``.

    Raises:
        OSError: no ``saved_model.pb`` in ``export_dir``, or it cannot be parsed.
        FileNotFoundError: the variables are missing.
        RuntimeError: no MetaGraphDef has ``tags``.
        ValueError: a function uses an op tensorflux does not have (when called).
    """
    saved = directory.read_saved_model(export_dir)
    meta = _meta_graph(saved, tags, export_dir)
    nodes, concretes = decode_object_graph(meta["object_graph"])
    library = {f.message(1).string(1): f for f in meta["graph_def"].message(2).messages(1)}
    paths = node_paths(nodes)
    objects: list = [None] * len(nodes)
    if any(n.kind == VARIABLE for n in nodes):
        from tensorflux.train.object_graph import checkpoint_key
        from tensorflux.train.tensor_bundle import read_bundle

        reader = read_bundle(directory.variables_prefix(export_dir))
        allow_partial = options is not None and options.allow_partial_checkpoint
        for i, node in enumerate(nodes):
            if node.kind == VARIABLE and i in paths:
                key = checkpoint_key(paths[i])
                if key not in reader:
                    if allow_partial:
                        continue
                    raise ValueError(
                        f"The SavedModel's checkpoint has no value for variable "
                        f"{node.name!r} (key {key!r}): its variables/ directory "
                        f"belongs to another model or is damaged."
                    )
                objects[i] = Variable(
                    reader.get(key), trainable=node.trainable, name=node.name, dtype=node.dtype
                )

    def concrete(name, keywords=None, positional=None):
        if name not in concretes:
            raise ValueError(
                f"The SavedModel's object graph names function {name!r} but "
                f"does not describe it: saved_model.pb is corrupted."
            )
        bound, inputs, outputs = concretes[name]
        captured = [objects[b] for b in bound]

        def factory():
            # Checked when first called: a SavedModel whose functions cannot run here
            # still loads its variables and other objects.
            if name not in library:
                raise ValueError(
                    f"The SavedModel has no FunctionDef for {name!r}: it was saved without "
                    f"its function library, or is corrupted. A Keras model saved as a "
                    f"SavedModel loads with tf.keras.models.load_model."
                )
            return FunctionDefRunner(library[name], captured, library)

        return RestoredConcreteFunction(name, factory, inputs, outputs, keywords, positional)

    for i, node in enumerate(nodes):
        if node.kind == USER_OBJECT:
            objects[i] = _user_object(node.identifier)
        elif node.kind == ASSET:
            # The loaded functions read the copy inside this directory.
            objects[i] = Asset(
                os.path.join(
                    os.fspath(export_dir),
                    constants.ASSETS_DIRECTORY,
                    meta["asset_files"][node.asset_file_def_index],
                )
            )
        elif node.kind == FUNCTION:
            objects[i] = RestoredFunction([concrete(n) for n in node.concrete_functions])
        elif node.kind == BARE_CONCRETE_FUNCTION:
            objects[i] = concrete(
                node.concrete_function_name,
                node.argument_keywords,
                node.allowed_positional_arguments,
            )
    for i, node in enumerate(nodes):
        obj = objects[i]
        for name, child in node.children:
            value = objects[child] if 0 <= child < len(objects) else None
            if value is None:
                continue
            if isinstance(obj, dict):
                obj[name] = value
            elif isinstance(obj, list) and name.isdigit():
                obj.extend([None] * (int(name) + 1 - len(obj)))
                obj[int(name)] = value
            elif isinstance(obj, UserObject):
                obj.__dict__[name] = value
    root = objects[0]
    if isinstance(root, UserObject) and "signatures" not in root.__dict__:
        root.__dict__["signatures"] = SignatureMap()
    if isinstance(root, UserObject):
        root.tensorflow_version = meta["tensorflow_version"]
        if meta["tensorflow_git_version"] != constants.TENSORFLOW_GIT_VERSION:
            for reviver in _revivers:
                if reviver(export_dir, meta, root):
                    break
    return root


_revivers: list = []


def register_reviver(reviver) -> None:
    """Lets ``reviver(export_dir, meta_graph, root)`` stand in for the functions of a
    SavedModel TensorFlow wrote (whose graphs call ops tensorflux cannot run); it
    returns whether it took the SavedModel. Keras installs one that rebuilds the model
    from ``keras_metadata.pb`` and serves the signatures with it."""
    _revivers.append(reviver)


def _user_object(identifier: str):
    """The empty object a SavedUserObject node becomes; its children are added after."""
    if identifier == "signature_map":
        return SignatureMap()
    if identifier == "trackable_list_wrapper":
        return []
    if identifier == "trackable_dict_wrapper":
        return {}
    return UserObject(identifier)


def _meta_graph(saved: dict, tags, export_dir) -> dict:
    metas = saved["meta_graphs"]
    if tags is None:
        return metas[0]
    wanted = {tags} if isinstance(tags, str) else set(tags)
    for meta in metas:
        if set(meta["tags"]) == wanted:
            return meta
    available = [m["tags"] for m in metas]
    raise RuntimeError(
        f"MetaGraphDef associated with tags {sorted(wanted)} could not be "
        f"found in SavedModel, with available tags '{available}'. To inspect "
        f"available tag-sets in the SavedModel, please use the SavedModel "
        f"CLI: `saved_model_cli`. (SavedModel at {export_dir})"
    )
