"""Records the interface of TensorFlow 2.21's raw ops that tensorflux registers: their
Python names, inputs, attributes (with defaults) and outputs.

Run with TensorFlow 2.21 installed, from the repository root:

    python tests/record_raw_op_defs.py

It writes ``tensorflux/framework/raw_op_defs.json``, which ``tf.raw_ops`` reads to call
tensorflux's ops with TF's keyword arguments. Re-run it after registering new ops, or
record just those into the existing table (the others' entries are left as they are):

    python tests/record_raw_op_defs.py --only BiasAddGrad ReluGrad
"""

import importlib
import json
import os
import pkgutil
import sys

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import tensorflow as tf  # noqa: E402
from tensorflow.python.framework import op_def_registry  # noqa: E402

import tensorflux.ops  # noqa: E402
from tensorflux.engine import registry  # noqa: E402

OUT = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    "tensorflux",
    "framework",
    "raw_op_defs.json",
)


def _registered_names() -> list:
    for module in pkgutil.iter_modules(tensorflux.ops.__path__):
        importlib.import_module(f"tensorflux.ops.{module.name}")
    importlib.import_module("tensorflux.summary.summary_ops")
    return sorted(registry.registered_ops())


def _default(attr):
    """An attr's default as JSON: dtypes by name, shapes as lists (None: unknown)."""
    value = attr.default_value
    kind = value.WhichOneof("value")
    if kind == "type":
        return tf.dtypes.as_dtype(value.type).name
    if kind == "shape":
        return None if value.shape.unknown_rank else [d.size for d in value.shape.dim]
    if kind == "list":
        items = value.list
        if items.type:
            return [tf.dtypes.as_dtype(t).name for t in items.type]
        for field in ("s", "i", "f", "b"):
            values = list(getattr(items, field))
            if values:
                return [v.decode() if isinstance(v, bytes) else v for v in values]
        return []
    if kind == "s":
        return value.s.decode()
    return getattr(value, kind)


def _arg(arg) -> list:
    """``[name, list kind, the type attr it sets]``: the list kind is "number:<attr>" or
    "types:<attr>" for list arguments, else None."""
    if arg.number_attr:
        return [arg.name, f"number:{arg.number_attr}", arg.type_attr or None]
    if arg.type_list_attr:
        return [arg.name, f"types:{arg.type_list_attr}", arg.type_list_attr]
    return [arg.name, None, arg.type_attr or None]


def main():
    only = sys.argv[sys.argv.index("--only") + 1 :] if "--only" in sys.argv else None
    table = {}
    if only:
        with open(OUT, encoding="utf-8") as f:
            table = json.load(f)
    registered = _registered_names()
    for name in only or registered:
        if name not in registered:
            raise SystemExit(f"{name} is not a registered tensorflux op")
        if not hasattr(tf.raw_ops, name):
            continue
        op_def = op_def_registry.get(name)
        table[name] = {
            "function": getattr(tf.raw_ops, name).__name__,
            "inputs": [_arg(a) for a in op_def.input_arg],
            "outputs": [_arg(a) for a in op_def.output_arg],
            "attrs": [
                [a.name, a.type] + ([_default(a)] if a.HasField("default_value") else [])
                for a in op_def.attr
            ],
        }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(table, f, separators=(",", ":"), sort_keys=True)
        f.write("\n")
    print(f"wrote {len(table)} ops to {OUT}")


if __name__ == "__main__":
    main()
