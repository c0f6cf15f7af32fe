"""``tf.recompute_grad`` and ``tf.grad_pass_through``: functions whose gradients are
computed differently from their forward pass, built on ``tf.custom_gradient``."""

from __future__ import annotations

import functools

from tensorflux.engine.tape import GradientTape, custom_gradient
from tensorflux.framework import nest

__all__ = ["recompute_grad", "grad_pass_through"]


def recompute_grad(f):
    """``f`` with the same values and gradients, whose intermediate results are not kept
    for the backward pass: the gradient runs ``f`` again under a tape (trading compute
    for memory).

    Args:
        f: a function of tensors returning a tensor or a structure of tensors; the
            variables it reads get gradients too.

    Returns:
        A function with ``f``'s signature.

    >>> import tensorflux as tf
    >>> square = tf.recompute_grad(lambda x: x * x)
    >>> x = tf.constant(3.0)
    >>> with tf.GradientTape() as tape:
    ...     tape.watch(x)
    ...     y = square(x)
    >>> float(tape.gradient(y, x))
    6.0
    """

    @functools.wraps(f)
    def inner(*args, **kwargs):
        @custom_gradient
        def recomputed(*xs):
            result = f(*xs, **kwargs)

            def grad(*dresult, variables=None):
                sources = [x for x in xs if _differentiable(x)] + list(variables or ())
                with GradientTape() as tape:
                    tape.watch(sources)
                    again = f(*xs, **kwargs)
                grads = tape.gradient(nest.flatten(again), sources, output_gradients=list(dresult))
                n = len(sources) - len(variables or ())
                it = iter(grads[:n])
                in_grads = [next(it) if _differentiable(x) else None for x in xs]
                in_grads = [g for g, x in zip(in_grads, xs) if _is_tensor(x)]
                if variables is None:
                    return in_grads
                return in_grads, list(grads[n:])

            return result, grad

        return recomputed(*args)

    return inner


def _is_tensor(x) -> bool:
    from tensorflux.framework.tensor import Tensor
    from tensorflux.framework.variables import Variable

    return isinstance(x, (Tensor, Variable))


def _differentiable(x) -> bool:
    return _is_tensor(x) and (x.dtype.is_floating or x.dtype.is_complex)


def grad_pass_through(f):
    """``f`` in the forward pass, the identity in the backward pass: each input gets its
    output's gradient unchanged (a straight-through estimator), e.g. for ``tf.round``
    or an assignment.

    Args:
        f: a function of tensors with as many outputs as tensor inputs.

    Returns:
        A function with ``f``'s signature.

    >>> import tensorflux as tf
    >>> x = tf.constant(2.4)
    >>> with tf.GradientTape() as tape:
    ...     tape.watch(x)
    ...     y = tf.grad_pass_through(tf.round)(x) * 3.0
    >>> float(y), float(tape.gradient(y, x))
    (6.0, 3.0)
    """

    @functools.wraps(f)
    def wrapped(*args, **kwargs):
        @custom_gradient
        def through(*xs):
            def grad(*dys, variables=None):
                if variables is not None:
                    return list(dys), [None] * len(variables)
                return list(dys)

            return f(*xs, **kwargs), grad

        return through(*args)

    return wrapped
