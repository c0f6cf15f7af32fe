"""Checks an op's inference rule against its kernel: the inference contract.

Every op's ``infer`` must give exactly the dtype and shape its kernel's outputs have
when the input shapes are fully known, and, when some input dimensions (or a whole
input's rank) are unknown, a partial shape compatible with them. A rule that raises on
valid input breaks the contract: tracing and Keras symbolic building rely on the rule
alone for what they do not know.

``check_inference(op_name, sample)`` runs one sample (see ``op_samples``) through
both and raises ``AssertionError`` naming the op, the variant and the mismatch.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine import registry
from tensorflux.engine.registry import Spec
from tensorflux.framework import dtypes
from tensorflux.framework.shape import TensorShape

__all__ = ["check_inference", "partial_variants"]


def _spec_of(array, with_value: bool = False) -> Spec:
    array = np.asarray(array) if not isinstance(array, np.ndarray) else array
    dtype = dtypes.from_numpy(array.dtype)
    # As tracing gives a rule the value of a small integer constant (``Spec.value``).
    value = array.tolist() if with_value and dtype.is_integer and array.ndim <= 1 else None
    return Spec(dtype, TensorShape._from_tuple(array.shape), value)


def _as_tuple(out, what: str, op_name: str) -> tuple:
    if isinstance(out, Spec):
        return (out,)
    if isinstance(out, (tuple, list)):
        return tuple(out)
    raise AssertionError(
        f"{op_name}: {what} returned {type(out).__name__}, not a Spec or a tuple of them"
    )


def partial_variants(specs: list) -> list:
    """``(description, specs)`` for each way of forgetting part of the input shapes:
    each dimension of each input made unknown, then each input's rank."""
    variants = []
    for i, spec in enumerate(specs):
        dims = spec.shape.as_list()
        for j in range(len(dims)):
            forgot = dims[:j] + [None] + dims[j + 1 :]
            variants.append(
                (
                    f"input {i} dim {j} unknown",
                    specs[:i] + [Spec(spec.dtype, TensorShape(forgot))] + specs[i + 1 :],
                )
            )
        if dims:
            variants.append(
                (
                    f"input {i} rank unknown",
                    specs[:i] + [Spec(spec.dtype, TensorShape(None))] + specs[i + 1 :],
                )
            )
    return variants


def check_inference(op_name: str, sample) -> None:
    """Asserts that ``op_name``'s inference rule agrees with its kernel on ``sample``
    (shapes known: equal, unless the op's output shape depends on input values; for
    ops whose output shape follows from their ``shape_inputs``, equal once those
    values are known; partly known: compatible), and never raises."""
    op = registry.get(op_name)
    inputs = [np.asarray(x) if not isinstance(x, np.ndarray) else x for x in sample.inputs]
    out = op.kernel(*inputs, **sample.attrs)
    outputs = (out,) if op.num_outputs == 1 else () if op.num_outputs == 0 else tuple(out)
    wanted = [_spec_of(o) for o in outputs]
    specs = [_spec_of(x) for x in inputs]
    variants = [
        ("all shapes and values known", [_spec_of(x, True) for x in inputs]),
        ("all shapes known", specs),
    ] + partial_variants(specs)
    for description, variant in variants:
        try:
            inferred = _as_tuple(op.infer(*variant, **sample.attrs), "infer", op_name)
        except Exception as e:
            shapes = ", ".join(str(s.shape) for s in variant)
            raise AssertionError(
                f"{op_name}: the inference rule raised on valid input "
                f"({description}; shapes {shapes}): "
                f"{type(e).__name__}: {e}"
            ) from e
        assert len(inferred) == len(wanted), (
            f"{op_name} ({description}): infer gives {len(inferred)} outputs, the kernel "
            f"{len(wanted)}"
        )
        # Where values decide the shape (``tf.range(n)``), a rule sees dtypes and shapes
        # only, so it may leave dims unknown even when every input shape is known.
        exact = not op.dynamic_shape and (
            description == "all shapes and values known"
            or (description == "all shapes known" and not op.shape_inputs)
        )
        for k, (got, want) in enumerate(zip(inferred, wanted)):
            assert got.dtype == want.dtype, (
                f"{op_name} ({description}) output {k}: infer says dtype {got.dtype.name}, "
                f"the kernel gives {want.dtype.name}"
            )
            shape = TensorShape(got.shape)
            if exact:
                ok = shape.is_fully_defined() and shape.as_list() == want.shape.as_list()
            else:
                ok = shape.is_compatible_with(want.shape)
            assert ok, (
                f"{op_name} ({description}) output {k}: infer says shape {shape}, "
                f"the kernel gives {want.shape}"
            )
