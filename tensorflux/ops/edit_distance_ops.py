"""``tf.edit_distance``: TF's EditDistance op, the Levenshtein distance between the
sequences (last dimension) of two SparseTensors, per position of their other
dimensions."""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import context, dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor

__all__ = ["edit_distance"]


def _sequences(indices, values) -> dict:
    """Each position (all but the last index) -> its values ordered by the last index."""
    groups: dict = {}
    order = np.lexsort(indices.T[::-1]) if indices.size else np.zeros(0, np.int64)
    for k in order:
        groups.setdefault(tuple(indices[k, :-1].tolist()), []).append(values[k])
    return groups


def _levenshtein(a: list, b: list) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != y))
    return row[-1]


def _edit_distance_kernel(h_idx, h_val, h_shape, t_idx, t_val, t_shape, normalize):
    op = "EditDistance"
    if h_shape.size != t_shape.size:
        raise InvalidArgumentError(
            None,
            op,
            f"Expected truth and hypothesis to have matching ranks, but their shapes are: "
            f"[{t_shape.size}] and [{h_shape.size}] [Op:{op}]",
        )
    for what, idx, shape in (("hypothesis", h_idx, h_shape), ("truth", t_idx, t_shape)):
        if idx.size and ((idx < 0).any() or (idx >= shape).any()):
            raise InvalidArgumentError(
                None, op, f"{what} indices are out of the bounds of {what}_shape [Op:{op}]"
            )
    out_shape = tuple(np.maximum(h_shape[:-1], t_shape[:-1]).tolist())
    out = np.zeros(out_shape, np.float32)
    hyp, truth = _sequences(h_idx, h_val), _sequences(t_idx, t_val)
    for loc in set(hyp) | set(truth):
        a, b = hyp.get(loc, []), truth.get(loc, [])
        d = float(_levenshtein(a, b))
        if normalize:
            d = d / len(b) if b else np.inf
        out[loc] = d
    return out


def _edit_distance_infer(h_idx: Spec, h_val: Spec, h_shape: Spec, t_idx: Spec, t_val: Spec,
                         t_shape: Spec, normalize) -> Spec:  # fmt: skip
    rh = h_shape.shape[0] if h_shape.shape.rank == 1 else None
    rt = t_shape.shape[0] if t_shape.shape.rank == 1 else None
    if rh is not None and rt is not None and rh != rt:
        raise ValueError(f"Dimensions {rh} and {rt} are not compatible")
    a, b = h_shape.value, t_shape.value
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b) and None not in a + b:
        return Spec(dtypes.float32, TensorShape([max(x, y) for x, y in zip(a[:-1], b[:-1])]))
    n = h_shape.shape[0] if h_shape.shape.rank == 1 else None
    if n is None and t_shape.shape.rank == 1:
        n = t_shape.shape[0]
    return Spec(dtypes.float32, TensorShape(None if n is None else [None] * (n - 1)))


# A count of edits: TF declares EditDistance not differentiable.
_EDIT_DISTANCE = register(
    "EditDistance",
    kernel=_edit_distance_kernel,
    grad=None,
    infer=_edit_distance_infer,
    shape_inputs=(2, 5),
)


def edit_distance(hypothesis, truth, normalize=True, name="edit_distance") -> Tensor:
    """The Levenshtein distance between each sequence of ``hypothesis`` and of ``truth``
    (SparseTensors whose last dimension holds the sequences), optionally divided by the
    truth's length.

    Args:
        hypothesis: SparseTensor of rank R.
        truth: SparseTensor of rank R, values of ``hypothesis``' dtype.
        normalize: divide by the truth's length (inf where the truth is empty and the
            hypothesis is not).

    Returns:
        float32, rank R - 1: the elementwise maximum of both dense shapes but the last.

    Raises:
        TypeError: arguments that are not SparseTensors.
        InvalidArgumentError: values of different dtypes, or SparseTensors of different
            ranks (ValueError inside ``tf.function``).

    >>> import tensorflux as tf
    >>> h = tf.SparseTensor([[0, 0], [0, 1]], ["a", "b"], [1, 2])
    >>> t = tf.SparseTensor([[0, 0]], ["a"], [1, 1])
    >>> tf.edit_distance(h, t, normalize=False).numpy()
    array([1.], dtype=float32)
    """
    from tensorflux.ops.sparse.sparse_tensor import SparseTensor

    for what, s in (("Hypothesis", hypothesis), ("Truth", truth)):
        if not isinstance(s, SparseTensor):
            raise TypeError(f"{what} must be a SparseTensor.")
    a, b = hypothesis.values.dtype, truth.values.dtype
    if a is not b:
        if context.state.graph is not None:
            raise TypeError(
                f"Input 'truth_values' of 'EditDistance' Op has type {b.name} that does not "
                f"match type {a.name} of argument 'hypothesis_values'."
            )
        names = {"float32": "float", "float64": "double", "float16": "half"}
        raise InvalidArgumentError(
            None,
            "EditDistance",
            f"cannot compute EditDistance as input #4(zero-based) was expected to be a "
            f"{names.get(a.name, a.name)} tensor but is a {names.get(b.name, b.name)} "
            f"tensor [Op:EditDistance]",
        )
    inputs = (
        hypothesis.indices,
        hypothesis.values,
        hypothesis.dense_shape,
        truth.indices,
        truth.values,
        truth.dense_shape,
    )
    return execute(_EDIT_DISTANCE, inputs, {"normalize": bool(normalize)})
