"""Complex rows for the complex gradient contract: every differentiable TF op that
may take complex128, run on the rows of the op table with their floating inputs made
complex, through ``tf.raw_ops`` in TensorFlow (the recorder) and the registry here.

The loss is the one of ``test_gradient_contract``: ``Re(sum(out * conj(w)))`` with
fixed random weights ``w`` per output, so TF's gradient of it is ``w * conj(f'(z))``
for a holomorphic ``f`` (TF's convention) and equals the central differences in the
real and imaginary parts of each entry.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from pathlib import Path

import numpy as np

import tensorflux.ops
from tensorflux.engine import registry
from tensorflux.framework import dtypes
from tensorflux.testing import op_samples

for _module in pkgutil.iter_modules(tensorflux.ops.__path__):
    importlib.import_module(f"tensorflux.ops.{_module.name}")

RAW_DEFS = json.loads(
    (Path(tensorflux.__file__).parent / "framework" / "raw_op_defs.json").read_text()
)

# Ops whose later outputs are saved workspaces of the forward pass, not results.
RESULT_OUTPUTS = {"SoftmaxCrossEntropyWithLogits": 1, "SparseSoftmaxCrossEntropyWithLogits": 1}

# Ops this contract leaves out: their gradients are checked elsewhere.
LEFT_OUT = {
    "EagerPyFunc": "runs a Python function",
    "If": "built by tracing; tests/engine/test_control_flow.py",
    "While": "built by tracing; tests/engine/test_control_flow.py",
    "WhileGrad": "built by tracing; tests/engine/test_control_flow.py",
    "PreventGradient": "raises LookupError by design",
    "Cholesky": "differentiates within Hermitian inputs (one entry perturbed is not one)",
    "SelfAdjointEigV2": "differentiates within Hermitian inputs",
    "Eig": "eigenvectors are defined up to a phase",
    "Svd": "singular vectors are defined up to a phase",
}

_MAX_ENTRIES = 256


def complex_ops() -> list[str]:
    """The differentiable TF ops whose registered dtypes admit complex128."""
    names = []
    for name, op in sorted(registry.registered_ops().items()):
        if op.grad is None or name not in RAW_DEFS or name in LEFT_OUT:
            continue
        if op.allowed is None or dtypes.complex128 in op.allowed:
            names.append(name)
    return names


def _complex_inputs(name: str, inputs: list) -> list[int]:
    """Indices of the inputs that share the first floating input's type attr (all of
    them take the complex dtype together)."""
    floating = [i for i, x in enumerate(inputs) if x.dtype.kind == "f"]
    if not floating:
        return []
    spec = RAW_DEFS[name]["inputs"]
    if any(entry[1] for entry in spec) or len(spec) != len(inputs):
        first = inputs[floating[0]].dtype
        return [i for i in floating if inputs[i].dtype == first]
    attr = spec[floating[0]][2]
    return [i for i in floating if spec[i][2] == attr]


def rows(name: str):
    """``(row, attrs, inputs, complex_indices)`` for each usable row of ``name``."""
    for row, sample in enumerate(op_samples.samples(name)):
        if any(isinstance(v, dtypes.DType) for v in sample.attrs.values()):
            continue
        inputs = [np.array(x) for x in sample.inputs]
        made_complex = _complex_inputs(name, inputs)
        if not made_complex or any(inputs[i].size > _MAX_ENTRIES for i in made_complex):
            continue
        rng = np.random.default_rng(row)
        for i in made_complex:
            real = inputs[i].astype(np.float64)
            inputs[i] = real + 1j * rng.uniform(0.2, 0.5, real.shape)
        yield row, dict(sample.attrs), inputs, made_complex


# OpDef input names that ``tf.raw_ops`` calls ``axis`` (the registry's attr too).
_AXIS_INPUTS = {"dim", "split_dim", "reduction_indices"}
_ATTR_NAMES = {"keepdims": "keep_dims"}


def raw_op_arguments(name: str, inputs: list, attrs: dict) -> dict:
    """``tf.raw_ops.<name>`` keywords for the registry's flat ``inputs`` and ``attrs``:
    a TF input the registry takes as an attr comes from ``attrs``, list inputs share
    the entries the other inputs leave."""
    spec = [
        ("axis" if arg in _AXIS_INPUTS else arg, number, type_attr)
        for arg, number, type_attr in RAW_DEFS[name]["inputs"]
    ]
    counts = {number.split(":")[1] for _, number, _ in spec if number}
    attrs = {k: v for k, v in attrs.items() if k not in counts}
    from_attrs = {arg: attrs.pop(arg) for arg, _, _ in spec if arg in attrs}
    if from_attrs.get("axis", 0) is None:  # the registry's "every axis"
        from_attrs["axis"] = list(range(np.ndim(inputs[0])))
    positional = [entry for entry in spec if entry[0] not in from_attrs]
    listed = [entry for entry in positional if entry[1]]
    per_list = (len(inputs) - (len(positional) - len(listed))) // max(len(listed), 1)
    kwargs, position = {}, 0
    for arg, number, _ in spec:
        if arg in from_attrs:
            kwargs[arg] = from_attrs[arg]
        elif number:
            kwargs[arg] = list(inputs[position : position + per_list])
            position += per_list
        else:
            kwargs[arg] = inputs[position]
            position += 1
    kwargs.update({_ATTR_NAMES.get(k, k): v for k, v in attrs.items()})
    return kwargs


def output_weights(k: int, shape) -> np.ndarray:
    rng = np.random.default_rng(k + 1)
    return rng.normal(size=shape) + 1j * rng.normal(size=shape)


def to_pairs(a) -> list:
    return [[float(v.real), float(v.imag)] for v in np.asarray(a, np.complex128).ravel()]


def from_pairs(pairs, shape) -> np.ndarray:
    return np.array([complex(re, im) for re, im in pairs], np.complex128).reshape(shape)
