"""Imports inside the package run one way: framework <- engine <- ops <- data <- keras.

The rule, checked on every ``import`` statement of the package (those inside functions
too: a deferred import is still a dependency):

- Each module belongs to a layer by its first folder under ``tensorflux/``:
  ``framework`` (0), ``engine`` (1), ``ops``, ``kernels``, ``ragged`` and ``lookup``
  (2: the fast kernels that the registry dispatches to, beside the reference ones;
  ragged tensors and lookup tables, composed of ops), ``data``, ``train``,
  ``saved_model``, ``summary`` and ``distribute`` (3: pipelines, checkpoints,
  SavedModel, event files and strategies), ``keras`` (4). A module may import from its
  own layer and the layers below it, never from a layer above (Keras uses tf.data;
  tf.data never uses Keras).
- The facade is ``tensorflux/__init__.py`` and the other modules directly under
  ``tensorflux/`` (``math.py``, ``nn.py``, ... which assemble the public namespaces),
  and ``tensorflux/testing`` (harnesses over the whole package). Facade modules may
  import anything; no layer module imports the facade (``import tensorflux``,
  ``from tensorflux import nn``, ``tensorflux.math``...): it imports the module that
  defines what it needs, e.g. ``tensorflux.ops.math_ops``.
- The ``ops`` modules' module-level imports form no cycle.
- Where a lower layer needs an upper one at run time, the upper one installs itself
  (``ops.operators`` sets Tensor's operators and ``framework.tensor.op_hooks``) or the
  lower one reaches an op by name through the registry (``registry.get("Log")``).

``KNOWN_UPWARD`` lists the upward imports that remain, each still to be removed; the
test fails when a new one appears and when a listed one is gone (delete it from the
list), so the list stays true.
"""

from __future__ import annotations

import ast
import pathlib

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "tensorflux"
LAYERS = {
    "framework": 0,
    "engine": 1,
    "ops": 2,
    "kernels": 2,
    "ragged": 2,
    "lookup": 2,
    "data": 3,
    "train": 3,
    "saved_model": 3,
    "summary": 3,
    "distribute": 3,
    "keras": 4,
}

KNOWN_UPWARD = {
    # A TFOpLambda from a saved config names its function as "math.exp": it is looked
    # up in the public namespace by that name.
    ("tensorflux.keras.models.tf_op_layer", "tensorflux"),
    # A MirroredStrategy's devices are the logical CPUs, whose configuration lives in the
    # tf.config facade module (config_devices) rather than in framework.
    ("tensorflux.distribute.mirrored_strategy", "tensorflux"),
}


def _module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str):
    """The layer's rank, or None for the facade."""
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in LAYERS:
        return LAYERS[parts[1]]
    return None


def _imports(tree: ast.AST, module_level_only: bool = False):
    """(imported module, line) for each tensorflux import in ``tree``."""
    nodes = tree.body if module_level_only else ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "tensorflux":
                    yield alias.name, node.lineno
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and node.module
            and (node.module.split(".")[0] == "tensorflux")
        ):
            if node.module == "tensorflux":
                # ``from tensorflux import ops`` names a layer package; anything else
                # (``from tensorflux import nn``) is the facade.
                for alias in node.names:
                    target = f"tensorflux.{alias.name}"
                    yield (target if alias.name in LAYERS else "tensorflux"), node.lineno
            else:
                yield node.module, node.lineno


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield _module_name(path), ast.parse(path.read_text(encoding="utf-8"))


def _upward_imports() -> dict:
    found: dict = {}
    for module, tree in _modules():
        source = _layer(module)
        if source is None:
            continue
        for target, line in _imports(tree):
            rank = _layer(target)
            if rank is None or rank > source:
                found.setdefault((module, target), []).append(line)
    return found


def test_layers_import_only_downward():
    found = _upward_imports()
    new = {pair: lines for pair, lines in found.items() if pair not in KNOWN_UPWARD}
    assert not new, "upward imports (see this file's docstring for the rule): " + "; ".join(
        f"{m} line {lines[0]} imports {t}" for (m, t), lines in sorted(new.items())
    )
    gone = KNOWN_UPWARD - set(found)
    assert not gone, f"no longer imported, remove from KNOWN_UPWARD: {sorted(gone)}"


def test_framework_imports_nothing_above_it():
    assert not [pair for pair in _upward_imports() if pair[0].startswith("tensorflux.framework")]


def test_ops_modules_have_no_import_cycle():
    graph: dict = {}
    for module, tree in _modules():
        if module.startswith("tensorflux.ops."):
            graph[module] = {
                t
                for t, _ in _imports(tree, module_level_only=True)
                if t.startswith("tensorflux.ops.") and t != module
            }
    visiting, done = set(), set()

    def visit(module, path):
        if module in done:
            return
        assert module not in visiting, "import cycle: " + " -> ".join(
            path[path.index(module) :] + [module]
        )
        visiting.add(module)
        for target in sorted(graph.get(module, ())):
            visit(target, path + [module])
        visiting.discard(module)
        done.add(module)

    for module in sorted(graph):
        visit(module, [])


def test_the_rule_catches_an_upward_and_a_facade_import():
    tree = ast.parse(
        "import tensorflux as tf\nfrom tensorflux import nn, ops\n"
        "def f():\n    from tensorflux.keras import layers\n"
    )
    assert sorted(_imports(tree)) == [
        ("tensorflux", 1),
        ("tensorflux", 2),
        ("tensorflux.keras", 4),
        ("tensorflux.ops", 2),
    ]
    assert _layer("tensorflux.ops.math_ops") == 2 and _layer("tensorflux.nn") is None
