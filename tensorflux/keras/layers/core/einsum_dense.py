"""``keras.layers.EinsumDense``: a dense layer whose product is any einsum."""

from __future__ import annotations

import re

from tensorflux.framework.shape import TensorShape
from tensorflux.keras import activations, constraints, initializers, regularizers
from tensorflux.keras.layers.layer import Layer
from tensorflux.ops import math_ops
from tensorflux.ops.linalg_ops import einsum

__all__ = ["EinsumDense"]

# The three forms Keras accepts ("0" stands for "..."): no ellipsis, an ellipsis
# leading the input and the output, or one trailing them.
_FORMS = (
    (re.compile(r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)"), False),
    (re.compile(r"0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)"), True),
    (re.compile(r"([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0"), False),
)


class EinsumDense(Layer):
    """Computes ``activation(einsum(equation, inputs, kernel) + bias)``: ``equation``
    names the axes of the inputs, the kernel and the output (``"ab,bc->ac"`` is
    ``Dense``); the kernel's sizes come from the input's and ``output_shape``'s.

    >>> import tensorflux as tf
    >>> layer = tf.keras.layers.EinsumDense("abc,cd->abd", output_shape=(None, 4),
    ...                                     bias_axes="d")
    >>> layer(tf.ones((2, 3, 5))).shape
    TensorShape([2, 3, 4])
    >>> [w.shape for w in layer.weights]
    [TensorShape([5, 4]), TensorShape([4])]

    Args:
        equation: ``"in,kernel->out"`` with single-letter axes, optionally ``...``
            leading (``"...b,bc->...c"``) or trailing both input and output.
        output_shape: the output's shape without the batch axis (an int for one
            axis); ``None`` where it equals the input's size.
        activation: applied to the result (default none).
        bias_axes: letters of output axes that get a bias (default no bias).
        kernel_initializer ... bias_constraint: as ``Dense``'s.

    Raises:
        ValueError: when built, an equation not of these forms, an output size that
            differs from the input's on a shared axis, or an output, kernel or bias
            axis that cannot be sized.
    """

    def __init__(
        self,
        equation,
        output_shape,
        activation=None,
        bias_axes=None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.equation = equation
        self.partial_output_shape = (
            [output_shape] if isinstance(output_shape, int) else list(output_shape)
        )
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def build(self, input_shape) -> None:
        kernel_shape, bias_shape, self.full_output_shape = _weight_shapes(
            self.equation, self.bias_axes, TensorShape(input_shape), self.partial_output_shape
        )
        self.kernel = self.add_weight(
            "kernel",
            shape=kernel_shape,
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.bias = None
        if bias_shape is not None:
            self.bias = self.add_weight(
                "bias",
                shape=bias_shape,
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        self.built = True

    def call(self, inputs):
        outputs = einsum(self.equation, inputs, self.kernel)
        if self.bias is not None:
            outputs = math_ops.add(outputs, self.bias)
        return self.activation(outputs)

    def compute_output_shape(self, input_shape) -> TensorShape:
        # Keras answers with the shape found when building, whatever is asked.
        return TensorShape(self.full_output_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "output_shape": self.partial_output_shape,
                "equation": self.equation,
                "activation": activations.serialize(self.activation),
                "bias_axes": self.bias_axes,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
            }
        )
        return config


def _weight_shapes(equation, bias_axes, input_shape, partial_output_shape):
    """``(kernel shape, bias shape or None, full output shape)`` for ``equation`` on
    inputs of ``input_shape``, the way Keras 2 sizes them."""
    marked = equation.replace("...", "0")
    found = [(m, leading) for pattern, leading in _FORMS if (m := pattern.match(marked))]
    if not found:
        raise ValueError(
            f"Invalid einsum equation '{equation}'. Equations must be in the form "
            "[X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]...."
        )
    match, leading = found[0]
    in_spec, kernel_spec, out_spec = match.groups()
    dims = input_shape.as_list()
    rank = len(dims)
    elided = rank - len(in_spec)
    out = [dims[0]] + list(partial_output_shape)
    if elided > 0 and leading:
        # Keras inserts each elided axis right after the batch axis, in turn.
        for i in range(1, elided):
            out.insert(1, dims[i])
    elif elided > 0:
        out.extend(dims[rank - elided :])
    shift = elided if leading else 0
    in_index = {d: i + shift - (rank if leading else 0) for i, d in enumerate(in_spec)}
    out_index = {d: i + shift for i, d in enumerate(out_spec)}
    for d in in_spec:
        if d in out_index:
            size, wanted = dims[in_index[d]], out[out_index[d]]
            if wanted is not None and wanted != size:
                raise ValueError(
                    "Input shape and output shape do not match at shared dimension "
                    f"'{d}'. Input shape is {size}, and output shape is {wanted}."
                )
    for d in out_spec:
        if d not in in_spec and d not in kernel_spec:
            raise ValueError(
                f"Dimension '{d}' was specified in the output '{out_spec}' but has no "
                f"corresponding dim in the input spec '{in_spec}' or weight spec "
                f"'{out_spec}'"
            )
    kernel_shape = []
    for d in kernel_spec:
        if d in in_index:
            kernel_shape.append(dims[in_index[d]])
        elif d in out_index:
            kernel_shape.append(out[out_index[d]])
        else:
            raise ValueError(
                f"Weight dimension '{d}' did not have a match in either the input "
                f"spec '{in_spec}' or the output spec '{out_spec}'. For this layer, "
                "the weight must be fully specified."
            )
    if bias_axes is None:
        return kernel_shape, None, out
    for d in bias_axes:
        if d not in out_spec:
            raise ValueError(
                f"Bias dimension '{d}' was requested, but is not part of the output "
                f"spec '{out_spec}'"
            )
    # The bias covers the output axes from the first biased one on (size 1 where not
    # biased), so that it broadcasts against the trailing axes.
    first = min(out_spec.find(d) for d in bias_axes)
    bias_shape = [out[i + shift] if d in bias_axes else 1 for i, d in enumerate(out_spec)][first:]
    if not leading:
        bias_shape += [1] * max(elided, 0)
    return kernel_shape, bias_shape, out
