"""How a ConcreteFunction prints its signature, as TF's ``pretty_printed_signature``:
each parameter with its kind and spec (Python values as ``Literal[...]``), the type of
the outputs and the captured variables."""

from __future__ import annotations

import inspect

from tensorflux.framework.tensor import Tensor
from tensorflux.framework.tensor_spec import TensorSpec

__all__ = ["pretty_printed_signature", "short_signature"]


def _value_type(value) -> str:
    """An input or output leaf as TF's type annotation shows it."""
    if isinstance(value, TensorSpec):
        return repr(value)
    if isinstance(value, Tensor):
        return repr(TensorSpec(value.shape, value.dtype))
    if hasattr(value, "_type_spec"):
        return repr(value._type_spec)
    if isinstance(value, dict):
        return "Dict[" + ", ".join(f"[{k!r}, {_value_type(v)}]" for k, v in value.items()) + "]"
    if isinstance(value, tuple):
        return "Tuple[" + ", ".join(_value_type(v) for v in value) + "]"
    if isinstance(value, list):
        return "List[" + ", ".join(_value_type(v) for v in value) + "]"
    return f"Literal[{value!r}]"


def _parameters(python_function, signature) -> list:
    """``(name, kind, value)`` per parameter: the call's values, defaults filled in; a
    ``*args`` makes the positional ones POSITIONAL_ONLY and is spread as ``args_i``."""
    args, kwargs = signature
    params = inspect.signature(python_function).parameters
    var_positional = any(p.kind is p.VAR_POSITIONAL for p in params.values())
    out = []
    position = 0
    for name, p in params.items():
        if p.kind is p.VAR_POSITIONAL:
            for i, value in enumerate(args[position:]):
                out.append((f"{name}_{i}", "POSITIONAL_ONLY", value))
            position = len(args)
        elif p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            if position < len(args):
                value = args[position]
                position += 1
            elif name in kwargs:
                value = kwargs[name]
            elif p.default is not p.empty:
                value = p.default
            else:
                continue
            kind = "POSITIONAL_ONLY" if var_positional else p.kind.name
            out.append((name, kind, value))
        elif p.kind is p.KEYWORD_ONLY:
            value = kwargs.get(name, p.default)
            if value is not p.empty:
                out.append((name, "KEYWORD_ONLY", value))
    return out


def pretty_printed_signature(concrete, verbose: bool = True) -> str:
    """TF's text for ``ConcreteFunction.pretty_printed_signature``."""
    if not verbose:
        return short_signature(concrete)
    lines = ["Input Parameters:"]
    for name, kind, value in _parameters(concrete._python_function, concrete._call_signature):
        lines.append(f"  {name} ({kind}): {_value_type(value)}")
    lines += ["Output Type:", f"  {_value_type(concrete.structured_outputs)}", "Captures:"]
    captured = list(concrete.graph.variables.values())
    if not captured:
        lines.append("  None")
    for v in captured:
        lines.append(f"  {id(v)}: TensorSpec(shape=(), dtype=tf.resource, name=None)")
    return "\n".join(lines)


def short_signature(concrete) -> str:
    """``(x: TensorSpec(...), /, *, k: Literal[3]) -> ...``, as in TF's repr."""
    parts = []
    params = _parameters(concrete._python_function, concrete._call_signature)
    kinds = [kind for _, kind, _ in params]
    for i, (name, kind, value) in enumerate(params):
        if kind == "KEYWORD_ONLY" and (i == 0 or kinds[i - 1] != "KEYWORD_ONLY"):
            if i and kinds[i - 1] == "POSITIONAL_ONLY":
                parts.append("/")
            parts.append("*")
        parts.append(f"{name}: {_value_type(value)}")
        if kind == "POSITIONAL_ONLY" and (i + 1 == len(params)):
            parts.append("/")
    return f"({', '.join(parts)}) -> {_value_type(concrete.structured_outputs)}"
