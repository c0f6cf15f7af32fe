"""``tf.py_function`` and ``tf.numpy_function``: Python code run as an op.

Eagerly they simply call the function. Inside a traced graph (a ``tf.function``,
or a ``Dataset.map`` function) they become nodes whose kernel calls the Python
function every time the graph runs, on the values of that run: the escape hatch
for code that needs ``.numpy()`` or any Python library.

While tracing, the function is also called once on the trace's example values to
learn its output shapes (TF leaves them unknown). If it fails on those made-up
values (say, it opens a file named by its input), its outputs are traced as
scalars of the declared dtypes; follow the call with ``tf.reshape`` when the
shape matters.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register, trace_call
from tensorflux.framework import context, dtypes
from tensorflux.framework.errors import InvalidArgumentError, OpError, UnknownError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor

__all__ = ["py_function", "numpy_function"]


def _tout_list(Tout):  # noqa: N803 - TF's argument name
    if Tout is None:
        return [], False
    if isinstance(Tout, (list, tuple)):
        return [dtypes.as_dtype(t) for t in Tout], True
    return [dtypes.as_dtype(Tout)], False


def _results(out, touts, op_name):
    if len(touts) == 0:
        return ()
    if len(touts) == 1 and not isinstance(out, (list, tuple)):
        out = [out]
    out = list(out)
    if len(out) != len(touts):
        raise InvalidArgumentError(
            None,
            op_name,
            f"{op_name}: the function returned "
            f"{len(out)} values, but Tout lists {len(touts)} dtypes.",
        )
    return out


# -- py_function ----------------------------------------------------------------


def _py_func_kernel(*arrays, func, Tout, has_effects=True):  # noqa: N803
    """Calls ``func`` on eager tensors and converts its results to the ``Tout`` dtypes."""
    if not Tout and context.state.graph is not None:
        # Tracing runs kernels once on example values to learn output shapes; a function
        # without outputs has none to learn, and TF never calls it while tracing (its
        # side effects, such as a Python metric's update, would happen twice).
        return ()
    args = [Tensor(a, dtypes.from_numpy(np.asarray(a).dtype)) for a in arrays]
    try:
        result = func(*args)
    except OpError:
        raise
    except Exception as e:  # noqa: BLE001 - TF reports the function's error as UnknownError
        raise UnknownError(
            None,
            "EagerPyFunc",
            f"{type(e).__name__}: {e} raised by the "
            f"function passed to tf.py_function [Op:EagerPyFunc]",
        ) from e
    out = _results(result, Tout, "EagerPyFunc")
    return tuple(np.asarray(convert_to_tensor(v, dtype=t)._value) for v, t in zip(out, Tout))


def _py_func_infer(*specs, func, Tout, has_effects=True):  # noqa: N803
    return tuple(Spec(t, TensorShape(None)) for t in Tout)


def _py_func_grad(call, *dys):
    """d inp = the gradient of func(*inp) . dys, from func rerun eagerly under a tape."""
    from tensorflux.engine.tape import GradientTape

    func, touts = call.attrs["func"], call.attrs["Tout"]
    xs = [Tensor(x._value, x._dtype) for x in call.inputs]
    with GradientTape() as tape:
        for x in xs:
            tape.watch(x)
        out = _results(func(*xs), touts, "EagerPyFunc")
        out = [convert_to_tensor(v, dtype=t) for v, t in zip(out, touts)]
    return tape.gradient(out, xs, output_gradients=list(dys))


_EAGER_PY_FUNC = register(
    "EagerPyFunc",
    kernel=_py_func_kernel,
    grad=_py_func_grad,
    infer=_py_func_infer,
    num_outputs=-1,
    stateful=True,
    dynamic_shape=True,
)


# -- numpy_function -------------------------------------------------------------


def _numpy_func_kernel(*arrays, func, Tout, has_effects=False):  # noqa: N803
    """Calls ``func`` on NumPy values; each result must already have its ``Tout`` dtype."""
    args = [a[()] if isinstance(a, np.ndarray) and a.ndim == 0 else a for a in arrays]
    out = _results(func(*args), Tout, "PyFunc")
    results = []
    for i, (v, t) in enumerate(zip(out, Tout)):
        arr = convert_to_tensor(v, dtype=t)._value if t is dtypes.string else np.asarray(v)
        if t is not dtypes.string and arr.dtype != t.as_numpy_dtype:
            raise InvalidArgumentError(
                None,
                "PyFunc",
                f"{i}-th value returned by pyfunc is {arr.dtype}, but expects "
                f"{t.name}. Return values of that dtype, or change Tout.",
            )
        results.append(arr)
    return tuple(results)


_PY_FUNC = register(
    "PyFunc",
    kernel=_numpy_func_kernel,
    grad=None,
    infer=_py_func_infer,
    num_outputs=-1,
    stateful=True,
    dynamic_shape=True,
)
_PY_FUNC_STATELESS = register(
    "PyFuncStateless",
    kernel=_numpy_func_kernel,
    grad=None,
    infer=_py_func_infer,
    num_outputs=-1,
    dynamic_shape=True,
)


def _call(op, func, inp, Tout, stateful: bool):  # noqa: N803
    if not callable(func):
        raise TypeError(f"Expected func to be callable, got func of type {type(func)}.")
    touts, as_list = _tout_list(Tout)
    if inp is None:
        inp = []
    elif not isinstance(inp, (list, tuple)):
        inp = [inp]
    inputs = [convert_to_tensor(x) for x in inp]
    attrs = {"func": func, "Tout": touts, "has_effects": stateful}
    if context.state.graph is None or not touts:
        out = execute(op, inputs, attrs)
    else:
        try:
            out = execute(op, inputs, attrs)
        except Exception:  # noqa: BLE001 - the made-up example values may not suit func
            examples = tuple(
                np.full((), b"", dtype=object)
                if t is dtypes.string
                else np.zeros((), t.as_numpy_dtype)
                for t in touts
            )
            out = trace_call(op, inputs, attrs, examples)
    if out is None:
        out = ()
    out = list(out)
    return out if as_list else (out[0] if out else None)


def py_function(func=None, inp=None, Tout=None, name=None):  # noqa: N803
    """Runs the Python function ``func`` on eager tensors, also inside graphs.

    >>> import tensorflux as tf
    >>> tf.py_function(lambda x: x.numpy() * 2, [tf.constant(3)], tf.int32)
    <tf.Tensor: shape=(), dtype=int32, numpy=6>

    Args:
        func: takes one eager Tensor per element of ``inp``; returns values convertible
            to the ``Tout`` dtypes.
        inp: the input tensors (a list).
        Tout: a dtype (the result is one Tensor) or a list of dtypes (a list of Tensors).

    Raises:
        TypeError: a result that cannot be converted to its ``Tout`` dtype.
    """
    return _call(_EAGER_PY_FUNC, func, inp, Tout, stateful=True)


def numpy_function(func=None, inp=None, Tout=None, stateful=True, name=None):  # noqa: N803
    """Runs the Python function ``func`` on NumPy values, also inside graphs.

    >>> import tensorflux as tf, numpy as np
    >>> tf.numpy_function(lambda x: x + 1, [tf.constant([1, 2])], tf.int32)
    <tf.Tensor: shape=(2,), dtype=int32, numpy=array([2, 3], dtype=int32)>

    Args:
        func: takes one NumPy array (a NumPy scalar for rank 0) per input; returns arrays
            of the ``Tout`` dtypes.
        inp: the input tensors (a list).
        Tout: a dtype or a list of dtypes.
        stateful: False lets a graph compute it once when its inputs are constants.

    Raises:
        InvalidArgumentError: a result whose dtype is not its ``Tout`` dtype.
    """
    return _call(_PY_FUNC if stateful else _PY_FUNC_STATELESS, func, inp, Tout, stateful)
