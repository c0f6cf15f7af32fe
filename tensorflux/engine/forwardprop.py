"""``tf.autodiff.ForwardAccumulator``: Jacobian-vector products (forward-mode autodiff).

The accumulator records the operations run inside its ``with`` block on a persistent
tape that watches the primals. A JVP ``J v`` is then computed by the double-VJP
trick, as TensorFlow does where it lacks a forward rule: the backward pass
``g(u) = J^T u`` is linear in the output cotangent ``u``, so differentiating ``v . g(u)``
with respect to ``u`` gives ``J v``. Both passes are ordinary recorded ops, so JVPs
nest (forward over forward), run under a GradientTape (backward over forward, for
Hessian-vector products) and are themselves recorded by an enclosing accumulator
(forward over backward).
"""

from __future__ import annotations

from tensorflux.engine.tape import (
    GradientTape,
    UnconnectedGradients,
    _differentiable,
    _zeros_like,
)
from tensorflux.framework import nest
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.framework.variables import Variable

__all__ = ["ForwardAccumulator"]


def _check_primal(primal) -> None:
    if not isinstance(primal, (Tensor, Variable)):
        # TF reads the primal's dtype and fails there.
        raise AttributeError(
            f"'{type(primal).__name__}' object has no attribute 'dtype': the primals of "
            f"ForwardAccumulator must be tensors or variables (tf.constant(...) or "
            f"tf.Variable(...)), got {primal!r}."
        )


class ForwardAccumulator:
    """Computes Jacobian-vector products of the operations run inside its context.

    >>> import tensorflux as tf
    >>> x = tf.constant([1.0, 2.0])
    >>> with tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 0.0])) as acc:
    ...     y = tf.reduce_sum(x ** 3)
    >>> acc.jvp(y).numpy()
    np.float32(3.0)

    Hessian-vector product, forward over backward:

    >>> with tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 0.0])) as acc:
    ...     with tf.GradientTape() as tape:
    ...         tape.watch(x)
    ...         y = tf.reduce_sum(x ** 3)
    ...     backward = tape.gradient(y, x)
    >>> acc.jvp(backward).numpy()
    array([6., 0.], dtype=float32)

    Args:
        primals: a tensor or variable, or a nested structure of them, to differentiate
            with respect to.
        tangents: the direction ``v``: a structure like ``primals``, each converted to
            its primal's dtype.

    Raises:
        ValueError: structures that differ, a tangent whose dtype or shape is not its
            primal's, or a primal given twice.
    """

    def __init__(self, primals, tangents):
        self._primals = nest.flatten(primals)
        if len({id(p) for p in self._primals}) < len(self._primals):
            # TF's message, with its unfilled placeholder.
            raise ValueError(
                "Tensor {} was specified as a primal multiple times. This may indicate "
                "an error. If it was intended, please sum the corresponding tangents."
            )
        nest.assert_same_structure(primals, tangents)
        self._tangents = []
        for primal, tangent in zip(self._primals, nest.flatten(tangents)):
            _check_primal(primal)
            tangent = convert_to_tensor(tangent, dtype=primal.dtype)
            if not tangent.shape.is_compatible_with(primal.shape):
                raise ValueError(
                    f"Shapes must be equal: the tangent has shape {tangent.shape} but its "
                    f"primal has shape {primal.shape}. Give each primal a tangent of its "
                    f"own shape."
                )
            self._tangents.append(tangent)
        self._tape = GradientTape(persistent=True, watch_accessed_variables=False)
        self._tape.watch(self._primals)

    def __enter__(self):
        self._tape.__enter__()
        return self

    def __exit__(self, exc_type, exc, tb):
        return self._tape.__exit__(exc_type, exc, tb)

    def jvp(self, primals, unconnected_gradients=UnconnectedGradients.NONE):
        """The JVPs of ``primals`` (tensors computed inside the context), in their
        structure.

        Args:
            primals: a tensor, or nested structure of tensors, computed inside the
                accumulator's context (a watched primal gives its own tangent).
            unconnected_gradients: what a tensor that does not depend on the watched
                primals gets: ``"none"`` (None) or ``"zero"`` (zeros of its shape).

        Raises:
            ValueError: an unknown ``unconnected_gradients``.
        """
        unconnected = UnconnectedGradients(unconnected_gradients)
        return nest.map_structure(lambda t: self._jvp(t, unconnected), primals)

    def _jvp(self, target, unconnected: UnconnectedGradients):
        for primal, tangent in zip(self._primals, self._tangents):
            if target is primal:
                return tangent  # integer primals too, as TF
        if isinstance(target, Variable):
            target = target.value()
        jvp = None
        if _differentiable(target):
            u = _zeros_like(target)
            with GradientTape() as dual:
                dual.watch(u)
                vjps = self._tape.gradient(target, self._primals, output_gradients=u)
            connected = [(g, v) for g, v in zip(vjps, self._tangents) if g is not None]
            if connected:
                jvp = dual.gradient(
                    [g for g, _ in connected],
                    u,
                    output_gradients=[v for _, v in connected],
                    unconnected_gradients=UnconnectedGradients.ZERO,
                )
        if jvp is None and unconnected is UnconnectedGradients.ZERO:
            jvp = _zeros_like(target)
        return jvp
