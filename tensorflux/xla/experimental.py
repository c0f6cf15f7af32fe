"""``tf.xla.experimental``: ``jit_scope`` and ``compile``, TF 1's ways of asking for XLA
compilation.

tensorflux has no XLA; XLA compilation only changes how fast a graph runs, not what it
computes, so inside ``tf.function`` both run their ops as usual. Outside a function
they behave as TF 2.21's: ``jit_scope`` refuses eager mode and ``compile`` runs the
computation once.
"""

from __future__ import annotations

import contextlib

from tensorflux.framework import context, nest
from tensorflux.framework.tensor import convert_to_tensor

__all__ = ["compile", "jit_scope"]


@contextlib.contextmanager
def jit_scope(compile_ops=True, separate_compiled_gradients=False):
    """Marks the ops built inside it for XLA compilation (inside ``tf.function``).

    Raises:
        RuntimeError: used eagerly, as in TF.

    >>> import tensorflux as tf
    >>> @tf.function
    ... def double(x):
    ...     with tf.xla.experimental.jit_scope():
    ...         return x * 2
    >>> double(tf.constant(3.0)).numpy()
    np.float32(6.0)
    """
    if context.state.graph is None:
        raise RuntimeError(
            "xla.experimental.jit_scope is not supported when eager execution is enabled. "
            "Try use it inside tf.function."
        )
    yield


def compile(computation, inputs=None):  # noqa: A001 - TF's public name
    """Runs ``computation(*inputs)`` as one compiled cluster and returns its outputs as a
    list (TF 1's API; ``tf.function(jit_compile=True)`` replaces it).

    >>> import tensorflux as tf
    >>> tf.xla.experimental.compile(lambda a: a + 1, [tf.constant(1.0)])[0].numpy()
    np.float32(2.0)
    """
    outputs = computation(*(inputs or []))
    if outputs is None:
        return []
    return [None if t is None else convert_to_tensor(t) for t in nest.flatten(outputs)]
