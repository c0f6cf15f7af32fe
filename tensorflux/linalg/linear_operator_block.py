"""Linear operators assembled from others: block diagonal, block lower-triangular,
Kronecker product and low-rank update (``tf.linalg.LinearOperatorBlockDiag`` and the
rest)."""

from __future__ import annotations

import numpy as np

from tensorflux.linalg.linear_operator import LinearOperator, _check_same_dtype
from tensorflux.ops.common import to_tensor
from tensorflux.ops.creation_ops import zeros
from tensorflux.ops.joining_ops import concat
from tensorflux.ops.linalg_ops import diag, einsum
from tensorflux.ops.math_ops import add, matmul, multiply, pow
from tensorflux.ops.shape_ops import broadcast_to, reshape

__all__ = [
    "LinearOperatorBlockDiag",
    "LinearOperatorBlockLowerTriangular",
    "LinearOperatorKronecker",
    "LinearOperatorLowRankUpdate",
]


def _batch_of(operators) -> list:
    return list(np.broadcast_shapes(*[tuple(o._shape()[:-2]) for o in operators]))


def _dense_in_batch(op: LinearOperator, batch: list):
    d = op.to_dense()
    want = batch + op._shape()[-2:]
    return d if list(d._value.shape) == want else broadcast_to(d, want)


class _Blocks(LinearOperator):
    """Operators laid out in a square grid of blocks; ``_block(i, j)`` is the operator in
    block row i, column j, or None for zeros."""

    def _row_sizes(self):
        return [self._block(i, i)._shape()[-2] for i in range(self._n)]

    def _col_sizes(self):
        return [self._block(i, i)._shape()[-1] for i in range(self._n)]

    def _shape(self):
        return self._batch + [sum(self._row_sizes()), sum(self._col_sizes())]

    def _to_dense(self):
        rows = []
        for i, r in enumerate(self._row_sizes()):
            cells = []
            for j, c in enumerate(self._col_sizes()):
                op = self._block(i, j)
                if op is None:
                    cells.append(zeros(self._batch + [r, c], dtype=self.dtype))
                else:
                    cells.append(_dense_in_batch(op, self._batch))
            rows.append(concat(cells, axis=-1))
        return concat(rows, axis=-2)

    def _determinant(self):
        out = self._block(0, 0).determinant()
        for i in range(1, self._n):
            out = multiply(out, self._block(i, i).determinant())
        return out

    def _log_abs_determinant(self):
        out = self._block(0, 0).log_abs_determinant()
        for i in range(1, self._n):
            out = add(out, self._block(i, i).log_abs_determinant())
        return out

    def _diag_part(self):
        parts = []
        for i in range(self._n):
            d = self._block(i, i).diag_part()
            want = self._batch + list(d._value.shape[-1:])
            parts.append(d if list(d._value.shape) == want else broadcast_to(d, want))
        return concat(parts, axis=-1)


def _hint_all(operators, attr: str):
    return True if all(getattr(o, attr) for o in operators) else None


class LinearOperatorBlockDiag(_Blocks):
    """The block-diagonal operator ``diag(A1, ..., Ak)`` (``tf.linalg.LinearOperatorBlockDiag``).

    >>> import tensorflux as tf
    >>> a = tf.linalg.LinearOperatorDiag([1.0, 2.0])
    >>> b = tf.linalg.LinearOperatorFullMatrix([[3.0]])
    >>> tf.linalg.LinearOperatorBlockDiag([a, b]).to_dense().numpy()
    array([[1., 0., 0.],
           [0., 2., 0.],
           [0., 0., 3.]], dtype=float32)

    Raises:
        ValueError: an empty list.
        TypeError: operators of different dtypes.
    """

    def __init__(
        self,
        operators,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=True,
        name=None,
    ):
        operators = list(operators)
        if not operators:
            raise ValueError(f"Expected a non-empty list of operators. Found: {operators}")
        _check_same_dtype(operators)
        self._operators = operators
        self._n = len(operators)
        self._batch = _batch_of(operators)
        super().__init__(
            operators[0].dtype,
            is_non_singular
            if is_non_singular is not None
            else _hint_all(operators, "is_non_singular"),
            is_self_adjoint
            if is_self_adjoint is not None
            else _hint_all(operators, "is_self_adjoint"),
            is_positive_definite
            if is_positive_definite is not None
            else _hint_all(operators, "is_positive_definite"),
            is_square,
            name or "_ds_".join(o.name for o in operators),
            {"operators": operators},
        )

    @property
    def operators(self):
        return list(self._operators)

    def _block(self, i, j):
        return self._operators[i] if i == j else None

    def _split_apply(self, x, adjoint, adjoint_arg, solve: bool):
        from tensorflux.ops.matrix_diag_ops import adjoint as adj

        x = adj(x) if adjoint_arg else x
        sizes = self._row_sizes() if (adjoint != solve) else self._col_sizes()
        outs, start = [], 0
        for op, size in zip(self._operators, sizes):
            part = x[..., start : start + size, :]
            start += size
            outs.append(
                op.solve(part, adjoint=adjoint) if solve else op.matmul(part, adjoint=adjoint)
            )
        batch = list(np.broadcast_shapes(*[tuple(o._value.shape[:-2]) for o in outs]))
        outs = [
            o
            if list(o._value.shape[:-2]) == batch
            else broadcast_to(o, batch + list(o._value.shape[-2:]))
            for o in outs
        ]
        return concat(outs, axis=-2)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return self._split_apply(x, adjoint, adjoint_arg, solve=False)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return self._split_apply(rhs, adjoint, adjoint_arg, solve=True)


class LinearOperatorBlockLowerTriangular(_Blocks):
    """A block lower-triangular operator from rows of operators: row ``i`` lists the
    ``i + 1`` blocks ``A_i0 ... A_ii`` (``tf.linalg.LinearOperatorBlockLowerTriangular``).

    >>> import tensorflux as tf
    >>> d = tf.linalg.LinearOperatorDiag([2.0])
    >>> f = tf.linalg.LinearOperatorFullMatrix([[1.0]])
    >>> tf.linalg.LinearOperatorBlockLowerTriangular([[d], [f, d]]).to_dense().numpy()
    array([[2., 0.],
           [1., 2.]], dtype=float32)

    Raises:
        ValueError: rows of the wrong lengths, or an empty list.
    """

    def __init__(
        self,
        operators,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name="LinearOperatorBlockLowerTriangular",
    ):
        rows = [list(r) for r in operators]
        if not rows:
            raise ValueError(f"Expected a non-empty list of operators. Found: {operators}")
        for i, row in enumerate(rows):
            if len(row) != i + 1:
                raise ValueError(
                    f"Argument operators[{i}] must contain {i + 1} blocks. Found {len(row)} blocks."
                )
        flat = [o for row in rows for o in row]
        _check_same_dtype(flat)
        self._rows = rows
        self._n = len(rows)
        self._batch = _batch_of(flat)
        super().__init__(
            flat[0].dtype,
            is_non_singular
            if is_non_singular is not None
            else _hint_all([r[-1] for r in rows], "is_non_singular"),
            is_self_adjoint,
            is_positive_definite,
            True,
            name,
            {"operators": rows},
        )

    @property
    def operators(self):
        return [list(r) for r in self._rows]

    def _block(self, i, j):
        return self._rows[i][j] if j <= i else None


class LinearOperatorKronecker(LinearOperator):
    """The Kronecker product ``A1 kron A2 kron ... kron Ak``
    (``tf.linalg.LinearOperatorKronecker``).

    >>> import tensorflux as tf
    >>> a = tf.linalg.LinearOperatorDiag([1.0, 2.0])
    >>> b = tf.linalg.LinearOperatorFullMatrix([[0.0, 1.0], [1.0, 0.0]])
    >>> float(tf.linalg.LinearOperatorKronecker([a, b]).determinant())
    4.0

    Raises:
        ValueError: an empty list.
        TypeError: operators of different dtypes.
    """

    def __init__(
        self,
        operators,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name=None,
    ):
        operators = list(operators)
        if not operators:
            raise ValueError(f"Expected a non-empty list of operators. Found: {operators}")
        _check_same_dtype(operators)
        self._operators = operators
        self._batch = _batch_of(operators)
        super().__init__(
            operators[0].dtype,
            is_non_singular
            if is_non_singular is not None
            else _hint_all(operators, "is_non_singular"),
            is_self_adjoint
            if is_self_adjoint is not None
            else _hint_all(operators, "is_self_adjoint"),
            is_positive_definite,
            is_square,
            name or "_x_".join(o.name for o in operators),
            {"operators": operators},
        )

    @property
    def operators(self):
        return list(self._operators)

    def _shape(self):
        rows = int(np.prod([o._shape()[-2] for o in self._operators]))
        cols = int(np.prod([o._shape()[-1] for o in self._operators]))
        return self._batch + [rows, cols]

    def _to_dense(self):
        out = _dense_in_batch(self._operators[0], self._batch)
        for op in self._operators[1:]:
            nxt = _dense_in_batch(op, self._batch)
            r1, c1 = out._value.shape[-2:]
            r2, c2 = nxt._value.shape[-2:]
            prod = einsum("...ij,...kl->...ikjl", out, nxt)
            out = reshape(prod, self._batch + [r1 * r2, c1 * c2])
        return out

    def _determinant(self):
        if not all(o.is_square for o in self._operators):
            return super()._determinant()
        total = self._shape()[-1]
        out = None
        for op in self._operators:
            power = to_tensor(total // op._shape()[-1], self.dtype)
            term = pow(op.determinant(), power)
            out = term if out is None else multiply(out, term)
        return out

    def _log_abs_determinant(self):
        if not all(o.is_square for o in self._operators):
            return super()._log_abs_determinant()
        total = self._shape()[-1]
        out = None
        for op in self._operators:
            logdet = op.log_abs_determinant()
            term = multiply(to_tensor(total // op._shape()[-1], logdet.dtype), logdet)
            out = term if out is None else add(out, term)
        return out


class LinearOperatorLowRankUpdate(LinearOperator):
    """``A + U diag(d) V^H`` for a base operator ``A`` (``V = U`` by default, ``d = 1``)
    (``tf.linalg.LinearOperatorLowRankUpdate``).

    >>> import tensorflux as tf
    >>> base = tf.linalg.LinearOperatorDiag([1.0, 1.0])
    >>> op = tf.linalg.LinearOperatorLowRankUpdate(base, [[1.0], [0.0]])
    >>> op.to_dense().numpy()
    array([[2., 0.],
           [0., 1.]], dtype=float32)

    Raises:
        TypeError: ``u``, ``diag_update`` or ``v`` of a dtype other than the base's.
    """

    def __init__(
        self,
        base_operator,
        u,
        diag_update=None,
        v=None,
        is_diag_update_positive=None,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name="LinearOperatorLowRankUpdate",
    ):
        u_t = to_tensor(u)
        for what, t in (("u", u_t),):
            if t.dtype != base_operator.dtype:
                raise TypeError(
                    f"Expected {what} to have dtype {base_operator.dtype.name}, got {t.dtype.name}"
                )
        self._base = base_operator
        self._u = u_t
        self._v = u_t if v is None else to_tensor(v, u_t.dtype)
        self._diag_update = None if diag_update is None else to_tensor(diag_update, u_t.dtype)
        if v is None and is_self_adjoint is None and base_operator.is_self_adjoint:
            is_self_adjoint = True
        super().__init__(
            base_operator.dtype,
            is_non_singular,
            is_self_adjoint,
            is_positive_definite,
            is_square,
            name,
            {"base_operator": base_operator, "u": u_t, "diag_update": diag_update, "v": v},
        )

    @property
    def base_operator(self):
        return self._base

    @property
    def u(self):
        return self._u

    @property
    def v(self):
        return self._v

    @property
    def diag_update(self):
        return self._diag_update

    def _shape(self):
        s = self._base._shape()
        batch = np.broadcast_shapes(tuple(s[:-2]), tuple(self._u._value.shape[:-2]))
        return list(batch) + s[-2:]

    def _to_dense(self):
        u = self._u
        if self._diag_update is not None:
            u = matmul(u, diag(self._diag_update))
        return add(self._base.to_dense(), matmul(u, self._v, adjoint_b=True))
