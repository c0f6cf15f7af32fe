"""TF's gradient ops of the rectifiers: ReluGrad, Relu6Grad and LeakyReluGrad.

Primitives because a rectifier's gradient is a mask applied to ``dy``: as one op it is
one pass and needs only the activation (TF passes relu's and relu6's OUTPUT, so the
pre-activation need not be kept), where a ``where(x > 0, dy, 0)`` composition costs a
comparison, a boolean temporary and a select (NumPy's ``where`` is also several times
slower than arithmetic on a mask of random signs). ReluGrad and Relu6Grad compute TF's
product ``gradients * mask`` exactly: a NaN gradient under a closed mask stays NaN and a
negative one gives -0.0, as TF's do; LeakyReluGrad is TF's select between
``gradients`` and ``gradients * alpha``. oneDNN runs large float32 ReluGrad and
Relu6Grad calls (``kernels/onednn/eltwise.py``).
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import FLOATING, REAL, Spec, execute, register
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.creation_ops import zeros_like

__all__ = ["relu_grad", "relu6_grad", "leaky_relu_grad", "leaky_select"]


def _check_shapes(op: str, gradients, features) -> None:
    if gradients.shape != features.shape:
        raise InvalidArgumentError(
            None,
            op,
            f"Inputs to operation {op} of type {op} must have the same size and shape.  "
            f"Input 0: {list(gradients.shape)} != input 1: {list(features.shape)} "
            f"[Op:{op}]. Pass the gradient of the activation's output and that output.",
        )


def _mask_grad_infer(op: str):
    def infer(gradients: Spec, features: Spec, **attrs) -> Spec:
        if not gradients.shape.is_compatible_with(features.shape):
            raise InvalidArgumentError(
                None,
                op,
                f"Inputs to operation {op} must have the same size and shape: gradients "
                f"{gradients.shape} and features {features.shape}.",
            )
        return Spec(gradients.dtype, gradients.shape.merge_with(features.shape))

    infer.__name__ = f"_{op}_infer"
    return infer


def _relu_grad_kernel(gradients, features):
    _check_shapes("ReluGrad", gradients, features)
    # The comparison is written straight into the result's dtype (0 or 1), then
    # multiplied in place: two plain passes, no boolean temporary, no mixed-type loop.
    out = np.greater(features, 0, out=np.empty_like(gradients), casting="unsafe")
    return np.multiply(out, gradients, out=out)


def _relu_grad_grad(call, dy):
    """d ReluGrad(g, f) = (ReluGrad(dy, f), 0): linear in g, piecewise constant in f."""
    features = call.inputs[1]
    return relu_grad(dy, features), zeros_like(features)


_RELU_GRAD = register(
    "ReluGrad",
    kernel=_relu_grad_kernel,
    grad=_relu_grad_grad,
    infer=_mask_grad_infer("ReluGrad"),
    same_dtype=True,
    allowed=REAL,
)


def relu_grad(gradients, features) -> Tensor:
    """``gradients * (features > 0)``: the gradient of ``relu`` (TF's ReluGrad).

    Args:
        gradients: the gradient of relu's output.
        features: relu's input or output (the same mask); TF passes the output.

    Returns:
        A tensor of ``gradients``' dtype and shape.

    Raises:
        InvalidArgumentError: inputs of different shapes or dtypes.

    >>> import tensorflux as tf
    >>> from tensorflux.ops.activation_grad_ops import relu_grad
    >>> relu_grad([1.0, 2.0, 3.0], [-1.0, 0.0, 5.0]).numpy()
    array([0., 0., 3.], dtype=float32)
    """
    return execute(_RELU_GRAD, (gradients, features))


def _relu6_grad_kernel(gradients, features):
    _check_shapes("Relu6Grad", gradients, features)
    inside = np.greater(features, 0)
    inside &= np.less(features, 6)
    return np.multiply(gradients, inside, dtype=gradients.dtype)


def _relu6_grad_grad(call, dy):
    """d Relu6Grad(g, f) = (Relu6Grad(dy, f), 0): linear in g, piecewise constant in f."""
    features = call.inputs[1]
    return relu6_grad(dy, features), zeros_like(features)


_RELU6_GRAD = register(
    "Relu6Grad",
    kernel=_relu6_grad_kernel,
    grad=_relu6_grad_grad,
    infer=_mask_grad_infer("Relu6Grad"),
    same_dtype=True,
    allowed=REAL,
)


def relu6_grad(gradients, features) -> Tensor:
    """``gradients * (0 < features < 6)``: the gradient of ``relu6`` (TF's Relu6Grad).

    Args:
        gradients: the gradient of relu6's output.
        features: relu6's input or output (the same mask); TF passes the output.

    Returns:
        A tensor of ``gradients``' dtype and shape.

    Raises:
        InvalidArgumentError: inputs of different shapes or dtypes.

    >>> import tensorflux as tf
    >>> from tensorflux.ops.activation_grad_ops import relu6_grad
    >>> relu6_grad([1.0, 2.0, 3.0], [0.0, 3.0, 6.0]).numpy()
    array([0., 2., 0.], dtype=float32)
    """
    return execute(_RELU6_GRAD, (gradients, features))


def leaky_select(features, values, alpha):
    """``values`` where ``features > 0``, else ``values * alpha`` (alpha rounded to float32
    as TF's attr, then to the values' dtype): TF's LeakyRelu (``values = features``) and
    LeakyReluGrad, bit for bit.

    Computed as ``values * factor`` with a factor of exactly 1 or alpha, built from the
    0/1 mask as ``(1 - m) * alpha + m`` (one term is always 0), because NumPy's ``where``
    is several times slower on a mask of random signs.
    """
    # Overflow to inf for float16 is TF's cast too.
    with np.errstate(over="ignore"):
        slope = values.dtype.type(np.float32(alpha))
    mask = np.greater(features, 0, out=np.empty_like(values), casting="unsafe")
    if np.isfinite(slope):
        factor = np.subtract(1, mask, out=np.empty_like(mask))
        factor *= slope
        factor += mask
    else:
        factor = np.array([slope, 1], values.dtype).take(mask.astype(np.intp))
    return np.multiply(factor, values, out=factor)


def _leaky_relu_grad_kernel(gradients, features, alpha=0.2):
    _check_shapes("LeakyReluGrad", gradients, features)
    return leaky_select(features, gradients, alpha)


def _leaky_relu_grad_grad(call, dy):
    """d LeakyReluGrad(g, f) = (LeakyReluGrad(dy, f), 0): linear in g, flat in f."""
    features = call.inputs[1]
    return leaky_relu_grad(dy, features, call.attrs.get("alpha", 0.2)), zeros_like(features)


_LEAKY_RELU_GRAD = register(
    "LeakyReluGrad",
    kernel=_leaky_relu_grad_kernel,
    grad=_leaky_relu_grad_grad,
    infer=_mask_grad_infer("LeakyReluGrad"),
    same_dtype=True,
    allowed=FLOATING,
)


def leaky_relu_grad(gradients, features, alpha=0.2) -> Tensor:
    """``gradients`` where ``features > 0``, else ``gradients * alpha``: the gradient of
    ``leaky_relu`` (TF's LeakyReluGrad).

    Args:
        gradients: the gradient of leaky_relu's output.
        features: leaky_relu's input.
        alpha: the slope below zero.

    Returns:
        A tensor of ``gradients``' dtype and shape.

    Raises:
        InvalidArgumentError: inputs of different shapes or dtypes, or not floating.

    >>> import tensorflux as tf
    >>> from tensorflux.ops.activation_grad_ops import leaky_relu_grad
    >>> leaky_relu_grad([1.0, 2.0], [-1.0, 3.0], alpha=0.5).numpy()
    array([0.5, 2. ], dtype=float32)
    """
    return execute(_LEAKY_RELU_GRAD, (gradients, features), {"alpha": float(alpha)})
