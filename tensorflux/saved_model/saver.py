"""``tf.saved_model.save``: an object, its variables and its traced functions as a
SavedModel directory in TF's layout.

The directory holds ``saved_model.pb`` (one MetaGraphDef tagged ``serve``: the function
library, the signatures, the object graph that TF 2 loads from, and the graph and
SaverDef that TF 1-style consumers such as TF Serving run, see ``serving_graph``),
``variables/variables.{index,data-*}`` (a TF checkpoint keyed by each variable's path in
the object graph, as TF keys it; a legacy optimizer's slots under ``.OPTIMIZER_SLOT``),
``fingerprint.pb`` and ``assets/`` (the files of the ``tf.saved_model.Asset`` s the
object holds, named as TF names them, see ``_asset_files``). It is
written into a temporary directory beside ``export_dir`` and swapped in
(``directory.atomic_directory``).

An object's children are those the checkpoint protocol lists (``_trackable_children``:
a ``tf.Module``'s attributes holding variables, modules and lists/dicts of them; Keras
layers' weights; optimizers' state), plus its ``tf.function`` s (decorated methods of
its class, or attributes). Keras models install their own exporter
(``register_exporter``), which names the objects as tf-keras does and adds
``keras_metadata.pb``.
"""

from __future__ import annotations

import filecmp
import inspect
import os
import shutil

import numpy as np

from tensorflux.engine.function import ConcreteFunction, Function
from tensorflux.framework import graph_protos as protos
from tensorflux.framework import nest, trackable
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.proto_wire import MessageWriter
from tensorflux.framework.tensor_spec import TensorSpec
from tensorflux.framework.variables import Variable
from tensorflux.saved_model import constants, directory, function_codec, serving_graph
from tensorflux.saved_model.asset import Asset
from tensorflux.saved_model.object_graph_def import (
    ASSET,
    BARE_CONCRETE_FUNCTION,
    FUNCTION,
    USER_OBJECT,
    VARIABLE,
    SavedNode,
    encode_object_graph,
)

__all__ = [
    "save",
    "SaveOptions",
    "Export",
    "object_export",
    "normalize_signatures",
    "register_exporter",
    "write_export",
]


class SaveOptions:
    """Options for ``tf.saved_model.save`` (accepted as TF's; tensorflux writes one
    CPU layout, so the device and sharding options change nothing).

    >>> SaveOptions(namespace_whitelist=["Custom"]).namespace_whitelist
    ['Custom']
    """

    def __init__(
        self,
        namespace_whitelist=None,
        save_debug_info=False,
        function_aliases=None,
        experimental_io_device=None,
        experimental_variable_policy=None,
        experimental_custom_gradients=True,
        experimental_image_format=False,
        experimental_skip_saver=False,
        experimental_sharding_callback=None,
        extra_tags=None,
    ):
        self.namespace_whitelist = list(namespace_whitelist or [])
        self.save_debug_info = save_debug_info
        self.function_aliases = dict(function_aliases or {})
        self.experimental_io_device = experimental_io_device
        from tensorflux.saved_model.experimental import VariablePolicy

        self.experimental_variable_policy = VariablePolicy.from_obj(experimental_variable_policy)
        self.experimental_custom_gradients = experimental_custom_gradients
        self.experimental_image_format = experimental_image_format
        self.experimental_skip_saver = experimental_skip_saver
        self.experimental_sharding_callback = experimental_sharding_callback
        self.extra_tags = list(extra_tags or [])


class Export:
    """What a SavedModel directory is written from.

    Attributes:
        root_identifier: the root's SavedUserObject identifier.
        variables: checkpoint path (``"layer_with_weights-0/kernel"``) -> Variable.
        functions: object path -> list of ConcreteFunctions of a ``tf.function`` there.
        function_args: object path -> the Python parameter names of that function.
        untyped: object paths of functions saved without an input_signature (traced for
            the calls made, as a ``tf.function`` without one).
        signatures: signature key -> ``(ConcreteFunction, input keys or None)``.
        objects: path -> SavedUserObject identifier of objects to create (also without
            variables under them), e.g. Keras layers.
        aliases: ``(parent path, local name, target path)``: further names of objects
            or functions (tf-keras lists a layer as both ``layer_with_weights-0`` and
            ``layer-0``).
        tracked: path -> the object or variable first reached there, in the order
            reached (each object's children in its order, as TF lists them); exporters
            describe some of them further.
        extra_files: file name -> bytes, or a function of ``{path: node id}`` returning
            bytes, written beside ``saved_model.pb``.
        assets: path -> ``tf.saved_model.Asset``.
        slot_variables: ``(optimizer path, variable path, slot name, slot)`` for the
            slots of optimizers that keep them per variable (the legacy Keras ones):
            nodes of no parent, which the optimizer's node lists.
    """

    def __init__(self, root_identifier="_generic_user_object"):
        self.root_identifier = root_identifier
        self.variables: dict[str, Variable] = {}
        self.functions: dict[str, list] = {}
        self.function_args: dict[str, list] = {}
        self.untyped: set[str] = set()
        self.signatures: dict[str, tuple] = {}
        self.objects: dict[str, str] = {}
        self.aliases: list = []
        self.tracked: dict = {}
        self.extra_files: dict = {}
        self.slot_variables: list = []
        self.assets: dict = {}


_exporters: list = []


def register_exporter(cls, exporter) -> None:
    """Makes ``save`` export instances of ``cls`` with ``exporter(obj, signatures)``,
    which returns an :class:`Export` (Keras models install theirs)."""
    _exporters.append((cls, exporter))


def save(obj, export_dir, signatures=None, options=None):
    """Exports ``obj`` (a ``tf.Module``, a Keras model, or another trackable object) with
    its variables and ``tf.function`` s to the SavedModel directory ``export_dir``.

    Args:
        obj: the object to save.
        export_dir: the directory to write (replaced atomically if it exists).
        signatures: a ``tf.function`` with an input_signature, a ConcreteFunction, or a
            dict of them keyed by signature name; the default for one is
            ``"serving_default"``. None exports the one ``tf.function`` of ``obj`` that
            has an input_signature, when there is exactly one (Keras models: the model's
            call on its inputs).
        options: a :class:`SaveOptions`.

    Raises:
        ValueError: ``obj`` is not trackable, a signature is not a traced function, or
            a function cannot be saved.

    >>> import tempfile, tensorflux as tf
    >>> class Scale(tf.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.w = tf.Variable(3.0)
    ...     @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    ...     def __call__(self, x):
    ...         return x * self.w
    >>> path = tempfile.mkdtemp()
    >>> tf.saved_model.save(Scale(), path)
    >>> tf.saved_model.load(path)(tf.constant([1.0, 2.0])).numpy()
    array([3., 6.], dtype=float32)
    """
    if not hasattr(type(obj), "_trackable_children"):
        raise ValueError(
            f"Expected an object of type `Trackable`, such as `tf.Module` or a "
            f"subclass of the `Trackable` class, for export. Got {obj!r} with "
            f"type {type(obj)}."
        )
    if options is not None and not isinstance(options, SaveOptions):
        raise TypeError(f"options must be a tf.saved_model.SaveOptions, got {options!r}.")
    for cls, exporter in _exporters:
        if isinstance(obj, cls):
            export = exporter(obj, signatures)
            break
    else:
        export = object_export(obj, signatures)
    write_export(export, export_dir)


# -- walking an object ----------------------------------------------------------


def _functions(obj) -> list:
    """``(name, function)`` for the ``tf.function`` s of ``obj``: its class's decorated
    methods (bound to it) and its attributes holding one."""
    out = []
    if isinstance(obj, (list, tuple, dict)):
        return out
    for name in sorted(dir(type(obj))):
        if name.startswith("__") and name != "__call__":
            continue
        if isinstance(inspect.getattr_static(type(obj), name, None), Function):
            out.append((name, getattr(obj, name)))
    for name, value in vars(obj).items() if hasattr(obj, "__dict__") else ():
        if isinstance(value, (Function, ConcreteFunction)):
            out.append((name, value))
    return out


def _concretes(fn) -> list:
    if isinstance(fn, ConcreteFunction):
        return [fn]
    if fn.input_signature is not None:
        return [fn.get_concrete_function()]
    return [c for c in fn._cache.values() if isinstance(c, ConcreteFunction)]


def _identifier(obj) -> str:
    if isinstance(obj, (list, tuple)):
        return "trackable_list_wrapper"
    if isinstance(obj, dict):
        return "trackable_dict_wrapper"
    return "_generic_user_object"


def object_export(
    root, signatures, identifier="_generic_user_object", skip=(), functions=True
) -> Export:
    """The :class:`Export` of ``root``: the objects, variables and functions reachable
    through the checkpoint protocol (``_trackable_children``: ``tf.Module`` attributes,
    Keras layers and optimizers), breadth first, each under the first path reaching it
    (its checkpoint key), later paths as aliases; ``skip`` names root children to leave
    out; ``functions=False`` leaves the objects' tf.functions out."""
    from tensorflux.train.graph_view import slot_variables
    from tensorflux.train.object_graph import escape_local_name

    export = Export(identifier)
    paths = {id(root): ""}
    queue = [(root, "")]
    found = [root]
    for obj, path in queue:
        for name, child in trackable.trackable_children(obj).items():
            if not path and name in skip:
                continue
            child_path = f"{path}/{escape_local_name(name)}" if path else escape_local_name(name)
            if id(child) in paths:
                export.aliases.append((path, name, paths[id(child)]))
                continue
            paths[id(child)] = child_path
            found.append(child)
            export.tracked[child_path] = child
            if isinstance(child, Variable):
                export.variables[child_path] = child
            elif isinstance(child, Asset):
                export.assets[child_path] = child
            else:
                export.objects[child_path] = _identifier(child)
                queue.append((child, child_path))
        for name, fn in _functions(obj) if functions else ():
            concretes = _concretes(fn)
            if concretes:
                fn_path = f"{path}/{name}" if path else name
                export.functions[fn_path] = concretes
                if isinstance(fn, Function):
                    export.function_args[fn_path] = _python_params(fn)
    for optimizer, variable, slot_name, slot in slot_variables(found):
        export.slot_variables.append(
            (paths[id(found[optimizer])], paths[id(found[variable])], slot_name, slot)
        )
    export.signatures = normalize_signatures(signatures, root, export)
    return export


def normalize_signatures(signatures, obj, export: Export) -> dict:
    """``signatures`` as ``{key: (ConcreteFunction, None)}``.

    Raises:
        ValueError: a signature that is neither a ``tf.function`` with an
            input_signature nor a ConcreteFunction.
    """
    if signatures is None:
        candidates = [
            path
            for path, fns in export.functions.items()
            if "/" not in path
            and fns
            and isinstance(getattr(obj, path, None), Function)
            and getattr(obj, path).input_signature is not None
        ]
        if len(candidates) != 1:
            return {}
        signatures = getattr(obj, candidates[0])
    if not isinstance(signatures, dict):
        signatures = {constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY: signatures}
    out = {}
    for key, fn in signatures.items():
        if isinstance(fn, Function):
            if fn.input_signature is None:
                raise ValueError(
                    f"Function {fn.__name__!r} used as signature {key!r} has no "
                    f"input_signature: pass fn.get_concrete_function(<TensorSpecs>) or "
                    f"decorate it with @tf.function(input_signature=[...])."
                )
            keys = _param_names(fn)
            fn = fn.get_concrete_function()
        else:
            keys = None
        if not isinstance(fn, ConcreteFunction):
            raise ValueError(
                f"Expected a TensorFlow function for which to generate a "
                f"signature {key!r}, but got {fn!r}. Only `tf.functions` with "
                f"an input signature or concrete functions can be used as a "
                f"signature."
            )
        out[key] = (fn, keys)
    return out


# -- writing --------------------------------------------------------------------


class _Writer:
    """Builds the object graph, function library and signatures of an Export."""

    def __init__(self, export: Export):
        from tensorflux.train.object_graph import slot_variable_path

        self.export = export
        self.nodes = [
            SavedNode(
                USER_OBJECT,
                identifier=export.root_identifier,
                metadata=getattr(export, "root_metadata", ""),
            )
        ]
        self.by_path = {"": 0}
        self.var_nodes: dict[int, int] = {}
        self.library: list[bytes] = []
        # The MetaGraphDef's graph (serving_graph): variable handles by variable id.
        self.graph_nodes: list = []
        self.handles: dict[int, str] = {}
        self.calls = 0
        self.concretes: dict[str, tuple] = {}
        self.counter = 0
        # Nodes in the order the objects were reached, then those the exporter added.
        for path in [*export.tracked, *export.variables, *export.objects, *export.assets]:
            if path in self.by_path:
                if path in export.objects:
                    self.nodes[self.by_path[path]].identifier = export.objects[path]
            elif path in export.variables:
                var = export.variables[path]
                self.var_nodes.setdefault(id(var), self._node_at(path, _variable_node(var)))
            elif path in export.assets:
                asset = export.assets[path]
                self.var_nodes[id(asset)] = self._node_at(path, SavedNode(ASSET, asset=asset))
            elif path in export.objects:
                self._node_at(path, SavedNode(USER_OBJECT, identifier=export.objects[path]))
        self.asset_files, self.asset_sources = _asset_files(self.nodes)
        self.asset_tensors = {id(a.asset_path): a for a in export.assets.values()}
        self.asset_reads: dict[int, str] = {}
        self.slot_paths: dict[int, str] = {}
        for optimizer, variable, slot_name, slot in export.slot_variables:
            node = len(self.nodes)
            self.nodes.append(_variable_node(slot))
            self.var_nodes.setdefault(id(slot), node)
            self.slot_paths[id(slot)] = slot_variable_path(variable, optimizer, slot_name)
            self.nodes[self.by_path[optimizer]].slot_variables.append(
                (self.by_path[variable], slot_name, node)
            )

    def add_aliases(self) -> None:
        """Adds the export's further names, once the objects and functions exist."""
        for parent, name, target in self.export.aliases:
            self.nodes[self.by_path[parent]].children.append((name, self.by_path[target]))

    def _node_at(self, path: str, leaf: SavedNode) -> int:
        parent = 0
        parts = path.split("/")
        for i, part in enumerate(parts):
            sub = "/".join(parts[: i + 1])
            node = self.by_path.get(sub)
            if node is None:
                node = len(self.nodes)
                self.nodes.append(
                    leaf
                    if i == len(parts) - 1
                    else SavedNode(USER_OBJECT, identifier="_generic_user_object")
                )
                self.nodes[parent].children.append((part, node))
                self.by_path[sub] = node
            parent = node
        return parent

    def _name(self, base: str) -> str:
        self.counter += 1
        return f"__inference_{base}_{self.counter}"

    def _bound(self, variables) -> list:
        bound = []
        for var in variables:
            node = self.var_nodes.get(id(var))
            if node is None:
                path = f"_captured_variables/{len(self.var_nodes)}"
                self.export.variables[path] = var
                node = self._node_at(path, _variable_node(var))
                self.var_nodes[id(var)] = node
            bound.append(node)
        return bound

    def add_function(self, path: str, concretes: list) -> None:
        names = []
        for cf in concretes:
            name = self._name(cf.name)
            fdef, variables = function_codec.encode_function(
                cf, name, assets=self.asset_tensors, library=self.library
            )
            self.library.append(fdef)
            args, kwargs = cf.structured_input_signature
            self.concretes[name] = (
                self._bound(variables),
                (tuple(args), dict(kwargs)),
                _output_specs(cf.structured_outputs),
            )
            names.append(name)
        signature = concretes[0].structured_input_signature[0] if concretes else None
        arg_names = self.export.function_args.get(path) or [
            f"arg_{i}" for i in range(len(signature or ()))
        ]
        self._node_at(
            path,
            SavedNode(
                FUNCTION,
                concrete_functions=names,
                arg_names=arg_names,
                input_signature=(
                    tuple(signature) if signature and path not in self.export.untyped else None
                ),
            ),
        )

    def add_signature(self, key: str, cf, input_keys) -> tuple:
        """Adds the signature function; returns its SignatureDef."""
        name = self._name(f"signature_wrapper_{key}")
        outputs = cf.structured_outputs
        if isinstance(outputs, dict):
            # The function's flat outputs follow nest's order: dict keys sorted.
            out_keys = sorted(outputs)
            flat = [outputs[k] for k in out_keys]
        else:
            flat = nest.flatten(outputs)
            out_keys = [f"output_{i}" for i in range(len(flat))]
        order = sorted(range(len(out_keys)), key=lambda i: out_keys[i])
        specs = cf.inputs
        keys = input_keys or _input_keys(cf)
        fdef, variables = function_codec.encode_function(
            cf, name, keys, output_order=order, assets=self.asset_tensors, library=self.library
        )
        self.library.append(fdef)
        in_sig = {k: TensorSpec(s.shape, s.dtype, k) for k, s in zip(keys, specs)}
        out_sig = {k: TensorSpec(t.shape, t.dtype, k) for k, t in zip(out_keys, flat)}
        self.concretes[name] = (self._bound(variables), ((), in_sig), out_sig)
        node = len(self.nodes)
        self.nodes.append(
            SavedNode(
                BARE_CONCRETE_FUNCTION,
                concrete_function_name=name,
                argument_keywords=list(keys),
                allowed_positional_arguments=0,
            )
        )
        sig_inputs = {k: (f"{key}_{k}:0", s.dtype, _dims(s.shape)) for k, s in in_sig.items()}
        for k in keys:
            self.graph_nodes.append(
                serving_graph.placeholder(f"{key}_{k}", in_sig[k].dtype, _dims(in_sig[k].shape))
            )
        call = "StatefulPartitionedCall" + (f"_{self.calls}" if self.calls else "")
        self.calls += 1
        self.graph_nodes.append(
            serving_graph.call(
                call,
                name,
                [f"{key}_{k}" for k in keys] + [self._captured_input(v) for v in variables],
                [in_sig[k].dtype for k in keys]
                + [
                    v.asset_path.dtype if isinstance(v, Asset) else protos.DT_RESOURCE
                    for v in variables
                ],
                [out_sig[k].dtype for k in sorted(out_sig)],
            )
        )
        sig_outputs = {
            k: (f"{call}:{rank}", s.dtype, _dims(s.shape))
            for rank, (k, s) in enumerate(sorted(out_sig.items()))
        }
        return node, protos.encode_signature_def(
            sig_inputs, sig_outputs, constants.PREDICT_METHOD_NAME
        )

    def _captured_input(self, captured) -> str:
        """The serving graph's input for a captured variable (its handle) or asset (the
        read of its path variable)."""
        if isinstance(captured, Asset):
            return self.asset_reads[id(captured)]
        return self.handle(captured)

    def handle(self, var) -> str:
        """The name of ``var``'s VarHandleOp node (created on first use)."""
        name = self.handles.get(id(var))
        if name is None:
            path = self.slot_paths.get(id(var)) or next(
                p for p, v in self.export.variables.items() if v is var
            )
            name = self.handles[id(var)] = f"variables/{path}"
            self.graph_nodes.append(serving_graph.var_handle(name, var))
        return name


def _asset_files(nodes: list) -> tuple:
    """The AssetFileDefs' file names, each asset node's index among them, and the files
    to copy (name in ``assets/`` -> source path). TF names each file by its basename,
    taking assets in reverse dependency order (the last node first); a basename
    already taken by another path with different contents gets ``_1``, ``_2``... (the
    same contents share the file)."""
    files, sources = [], {}
    for node in reversed(nodes):
        asset = getattr(node, "asset", None) if node.kind == ASSET else None
        if asset is None:
            continue
        value = np.asarray(asset.asset_path.numpy())
        # A scalar's text; anything else as NumPy prints it (as TF derives the name).
        source = str(value.astype(str))
        name = os.path.basename(source)
        if name in sources and sources[name] != source and not _same_file(sources[name], source):
            base, k = name, 1
            while name in sources:
                name, k = f"{base}_{k}", k + 1
        sources[name] = source
        node.asset_file_def_index = len(files)
        files.append(name)
    return files, sources


def _same_file(a: str, b: str) -> bool:
    return filecmp.cmp(a, b, shallow=False) if os.path.isfile(a) and os.path.isfile(b) else False


def _copy_assets(sources: dict, assets_dir: str, export_dir) -> None:
    """Copies each asset into ``assets_dir``; a source that does not exist is left out
    (as TF leaves it), a directory is refused."""
    for name, source in sources.items():
        if os.path.isdir(source):
            raise InvalidArgumentError(
                None,
                None,
                f"{os.path.join(os.fspath(export_dir), 'assets', name)}; Invalid argument: "
                f"the asset {source!r} is a directory; a tf.saved_model.Asset must name a file.",
            )
        if os.path.isfile(source):
            shutil.copyfile(source, os.path.join(assets_dir, name))


def _variable_node(var) -> SavedNode:
    return SavedNode(
        VARIABLE,
        dtype=var.dtype,
        shape=list(var.shape.as_list()),
        trainable=var.trainable,
        name=var.name.split(":")[0],
        variable=var,
    )


def _dims(shape):
    return None if shape.rank is None else shape.as_list()


def _python_params(fn: Function) -> list:
    try:
        return list(inspect.signature(fn.python_function).parameters)
    except (TypeError, ValueError):
        return []


def _param_names(fn: Function):
    """The signature's input keys for a ``tf.function``: the TensorSpecs' names, else
    the Python parameters' names (one TensorSpec per parameter), as TF names them."""
    specs = nest.flatten(fn.input_signature)
    try:
        params = list(inspect.signature(fn.python_function).parameters)
    except (TypeError, ValueError):
        params = []
    if len(params) != len(specs) or len(specs) != len(fn.input_signature):
        params = [f"args_{i}" for i in range(len(specs))]
    return [s.name or p for s, p in zip(specs, params)]


def _input_keys(cf) -> list:
    names = [s.name for s in cf.inputs]
    if all(names) and len(set(names)) == len(names):
        return names
    return [n or f"args_{i}" for i, n in enumerate(names)]


def _output_specs(outputs):
    def spec(t):
        if hasattr(t, "shape") and hasattr(t, "dtype") and not isinstance(t, Variable):
            return TensorSpec(t.shape, t.dtype, None)
        return t

    return nest.map_structure(spec, outputs)


def write_export(export: Export, export_dir) -> None:
    """Writes ``export`` as the SavedModel directory ``export_dir`` (atomically)."""
    writer = _Writer(export)
    asset_nodes = []
    for index, asset in enumerate(_assets_by_file(writer)):
        nodes, assign, read = serving_graph.asset_path(index)
        writer.graph_nodes.extend(nodes)
        asset_nodes.append(f"^{assign}")
        writer.asset_reads[id(asset)] = read
    for path, concretes in export.functions.items():
        if concretes:
            writer.add_function(path, concretes)
    writer.add_aliases()
    signature_defs = {}
    if export.signatures:
        sig_map = len(writer.nodes)
        writer.nodes.append(SavedNode(USER_OBJECT, identifier="signature_map"))
        writer.nodes[0].children.append(("signatures", sig_map))
        for key, (cf, input_keys) in export.signatures.items():
            node, signature_defs[key] = writer.add_signature(key, cf, input_keys)
            writer.nodes[sig_map].children.append((key, node))
    signature_defs[constants.INIT_OP_SIGNATURE_KEY] = protos.encode_signature_def(
        {}, {constants.INIT_OP_SIGNATURE_KEY: ("NoOp", None, None)}, ""
    )
    tensors, keys = _checkpoint(writer.nodes)
    restore_nodes, saver_def = serving_graph.restore(
        [
            (writer.handle(var), var, keys[id(var)])
            for var in [*export.variables.values(), *(s[3] for s in export.slot_variables)]
        ]
    )
    graph = MessageWriter()
    for node in writer.graph_nodes + restore_nodes:
        graph.raw(1, node)
    graph.raw(1, serving_graph.node("NoOp", "NoOp", asset_nodes))
    library = MessageWriter()
    for fdef in writer.library:
        library.raw(1, fdef)
    graph.raw(2, library).raw(4, MessageWriter().varint(1, 1))
    graph_bytes = graph.bytes()
    object_graph = encode_object_graph(writer.nodes, writer.concretes)
    meta_info = {
        "tags": [constants.SERVING],
        "tensorflow_version": constants.TENSORFLOW_VERSION,
        "tensorflow_git_version": constants.TENSORFLOW_GIT_VERSION,
    }
    asset_files = [
        (f"asset_path_initializer{f'_{i}' if i else ''}:0", name)
        for i, name in enumerate(writer.asset_files)
    ]
    saved = protos.encode_saved_model(
        meta_info, graph_bytes, signature_defs, object_graph, saver_def, asset_files
    )
    with directory.atomic_directory(export_dir) as tmp:
        variables_dir = os.path.join(tmp, constants.VARIABLES_DIRECTORY)
        os.makedirs(variables_dir)
        os.makedirs(os.path.join(tmp, constants.ASSETS_DIRECTORY))
        _copy_assets(
            writer.asset_sources, os.path.join(tmp, constants.ASSETS_DIRECTORY), export_dir
        )
        prefix = os.path.join(variables_dir, constants.VARIABLES_FILENAME)
        _write_variables(prefix, tensors)
        with open(prefix + ".index", "rb") as f:
            index = f.read()
        for name, data in export.extra_files.items():
            if callable(data):
                data = data(writer.by_path)
            with open(os.path.join(tmp, name), "wb") as f:
                f.write(data)
        with open(os.path.join(tmp, constants.SAVED_MODEL_FILENAME_PB), "wb") as f:
            f.write(saved)
        signature_bytes = b"".join(signature_defs[k].bytes() for k in sorted(signature_defs))
        with open(os.path.join(tmp, constants.FINGERPRINT_FILENAME), "wb") as f:
            f.write(
                protos.encode_fingerprint(saved, graph_bytes, signature_bytes, object_graph, index)
            )


def _assets_by_file(writer) -> list:
    """The saved assets in AssetFileDef order."""
    order = {}
    for node in writer.nodes:
        if node.kind == ASSET:
            order[node.asset_file_def_index] = node.asset
    return [order[i] for i in sorted(order)]


def _write_variables(prefix: str, tensors: dict) -> None:
    from tensorflux.train.tensor_bundle import write_bundle

    write_bundle(prefix, tensors)


def _checkpoint(nodes: list) -> tuple:
    """The checkpoint's tensors: each variable under its object-graph path (a slot under
    its variable's, ``.OPTIMIZER_SLOT`` and its optimizer's), and the
    ``_CHECKPOINTABLE_OBJECT_GRAPH`` of the user objects and variables (TF restores a
    SavedModel's variables by walking it from the root); and each variable's key, by
    variable id."""
    from tensorflux.train import object_graph as og

    tensors, keys = {}, {}
    ids: dict[int, int] = {}
    order = [0]
    ids[0] = 0
    for node_id in order:
        for _, child in nodes[node_id].children:
            if (
                child not in ids
                and nodes[child].kind in (USER_OBJECT, VARIABLE)
                and (nodes[child].kind == VARIABLE or nodes[child].identifier != "signature_map")
            ):
                ids[child] = len(order)
                order.append(child)
    paths = {0: []}
    for node_id in order:
        for name, c in nodes[node_id].children:
            if c in ids and c not in paths:
                paths[c] = paths[node_id] + [name]
    for node_id in list(order):
        for original, slot_name, slot in nodes[node_id].slot_variables:
            ids[slot] = len(order)
            order.append(slot)
            paths[slot] = og.slot_variable_path(
                og.object_path(paths[original]), og.object_path(paths[node_id]), slot_name
            )
    graph = []
    for node_id in order:
        node = nodes[node_id]
        entry = og.TrackableObject(
            children=[og.ObjectReference(ids[c], name) for name, c in node.children if c in ids],
            slot_variables=[
                og.SlotVariableReference(ids[original], slot_name, ids[slot])
                for original, slot_name, slot in node.slot_variables
            ],
        )
        var = getattr(node, "variable", None)
        if var is not None:
            key = og.checkpoint_key(paths[node_id])
            tensors[key] = var.numpy()
            keys[id(var)] = key
            entry.attributes.append(
                og.SerializedTensor(og.VARIABLE_VALUE, var.name.split(":")[0], key)
            )
        graph.append(entry)
    for node_id in reversed(order):
        entry = graph[ids[node_id]]
        entry.has_checkpoint_values = bool(entry.attributes or entry.slot_variables) or any(
            graph[ref.node_id].has_checkpoint_values for ref in entry.children
        )
    tensors[og.OBJECT_GRAPH_KEY] = np.array(og.TrackableObjectGraph(graph).encode(), dtype=object)
    return tensors, keys
