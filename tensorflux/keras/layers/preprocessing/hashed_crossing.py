"""``keras.layers.HashedCrossing``: crosses categorical features into hashed bins."""

from __future__ import annotations

from tensorflux.framework import dtypes
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.keras import backend
from tensorflux.keras.layers.layer import Layer
from tensorflux.ops import array_ops, math_ops
from tensorflux.ops.sparse.conversion_ops import from_dense, to_dense
from tensorflux.ops.sparse.cross_ops import cross_hashed
from tensorflux.ops.sparse.sparse_tensor import SparseTensor

__all__ = ["HashedCrossing"]

_MODES = ("int", "one_hot")


class HashedCrossing(Layer):
    """Combines one value from each of several categorical inputs (integers or
    strings) into a bin in ``[0, num_bins)`` by TF's feature-cross hash
    (``tf.sparse.cross_hashed``: FarmHash Fingerprint64 of each value, chained by
    FingerprintCat64), so the bins equal TF's.

    >>> import tensorflux as tf
    >>> layer = tf.keras.layers.HashedCrossing(num_bins=5)
    >>> layer((tf.constant(["A", "B"]), tf.constant([1, 2]))).shape
    TensorShape([2])

    Args:
        num_bins: the number of bins.
        output_mode: ``"int"`` (the bin) or ``"one_hot"`` (a row of ``num_bins``).
        sparse: with ``"one_hot"``, return a SparseTensor.

    Raises:
        ValueError: an unknown ``output_mode``, or an ``"int"`` layer with a
            non-integer ``dtype``; when called, not a list of at least two dense
            integer or string inputs of one shape ``[]``, ``[batch]`` or
            ``[batch, 1]``.
    """

    def __init__(self, num_bins, output_mode="int", sparse=False, **kwargs):
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = dtypes.int64 if output_mode == "int" else backend.floatx()
        super().__init__(**kwargs)
        if output_mode == "int" and not dtypes.as_dtype(self.compute_dtype).is_integer:
            raise ValueError(
                "When `output_mode='int'`, `dtype` should be an integer type. "
                f"Received: dtype={kwargs['dtype']}"
            )
        if not isinstance(output_mode, str) or output_mode not in _MODES:
            raise ValueError(
                "Unkown value for `output_mode` argument of layer HashedCrossing. "
                f"Allowed values are: or one of the following values: {_MODES}. "
                f"Received: {output_mode}"
            )
        # Keras casts floating inputs only to a floating compute dtype: float features
        # must reach the dtype check, not become int64.
        self._autocast = self._autocast and dtypes.as_dtype(self.compute_dtype).is_floating
        self.num_bins = num_bins
        self.output_mode = output_mode
        self.sparse = sparse

    def call(self, inputs):
        _check_list(inputs)
        inputs = [x if isinstance(x, SparseTensor) else convert_to_tensor(x) for x in inputs]
        _check_inputs(inputs)
        rank = inputs[0].shape.rank
        columns = [array_ops.reshape(x, [-1, 1]) for x in inputs]
        bins = to_dense(cross_hashed(columns, self.num_bins))
        bins = array_ops.reshape(bins, [-1, 1] if rank == 2 else [-1] if rank == 1 else [])
        if self.output_mode == "int":
            return math_ops.cast(bins, self.compute_dtype)
        # One bin per row: the rows' last axis (if any) gives way to the bins axis.
        ids = array_ops.reshape(bins, [-1]) if rank else bins
        out = array_ops.one_hot(ids, self.num_bins, dtype=self.compute_dtype)
        return from_dense(out) if self.sparse else out

    def compute_output_shape(self, input_shapes) -> TensorShape:
        _check_list(input_shapes)
        shape = TensorShape(input_shapes[0]).as_list()
        if self.output_mode == "int":
            return TensorShape(shape)
        return TensorShape(shape[:1] + [self.num_bins])

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {"num_bins": self.num_bins, "output_mode": self.output_mode, "sparse": self.sparse}
        )
        return config


def _check_list(inputs) -> None:
    if not isinstance(inputs, (list, tuple)):
        raise ValueError(
            "`HashedCrossing` should be called on a list or tuple of inputs. "
            f"Received: inputs={inputs}"
        )
    if len(inputs) < 2:
        raise ValueError(
            f"`HashedCrossing` should be called on at least two inputs. Received: inputs={inputs}"
        )


def _check_inputs(inputs) -> None:
    first = inputs[0].shape.as_list()
    if len(first) > 2 or (len(first) == 2 and first[-1] != 1):
        raise ValueError(
            "All `HashedCrossing` inputs should have shape `[]`, `[batch_size]` or "
            f"`[batch_size, 1]`. Received: inputs={inputs}"
        )
    if not all(x.shape.as_list() == first for x in inputs[1:]):
        raise ValueError(
            f"All `HashedCrossing` inputs should have equal shape. Received: inputs={inputs}"
        )
    if any(isinstance(x, SparseTensor) for x in inputs):
        raise ValueError(
            f"All `HashedCrossing` inputs should be dense tensors. Received: inputs={inputs}"
        )
    if not all(x.dtype.is_integer or x.dtype == dtypes.string for x in inputs):
        raise ValueError(
            "All `HashedCrossing` inputs should have an integer or string dtype. "
            f"Received: inputs={inputs}"
        )
