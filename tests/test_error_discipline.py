"""Error discipline: every case of ``error_cases.py`` behaves as in TensorFlow.

For each bad call TensorFlow rejects, tensorflux raises the same exception class (TF's
``tf.errors`` classes map to ours), with a message of its own (never a raw NumPy or
Python error escaping from inside the package) that names the op or layer where the
table asks for it. For each call TensorFlow accepts, tensorflux accepts it too and
returns the same value. The expectations come from ``fixtures/tf_errors.json``,
recorded by ``record_error_fixtures.py``.
"""

import builtins
import contextlib
import json
import os
import re
import traceback

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.framework import errors
from tests.error_cases import CASES, SAME_MESSAGE, describe, describe_error, run_case

_FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "tf_errors.json")
with open(_FIXTURE) as _f:
    _RECORDED = json.load(_f)["cases"]

# Where TF itself lets an internal Python error escape (an AttributeError about a
# missing ``.shape``, an IndexError from a tuple), a clear error of a public kind is
# what we raise instead; the same class is accepted too.
_INTERNAL = {
    "AttributeError",
    "IndexError",
    "KeyError",
    "AssertionError",
    "numpy.exceptions.AxisError",
}
_CLEAR = (TypeError, ValueError, errors.InvalidArgumentError)
# Kinds that a Python error from deep inside the package would have.
_RAW = (
    IndexError,
    AttributeError,
    KeyError,
    ZeroDivisionError,
    AssertionError,
    MemoryError,
    OverflowError,
)


# Where TF accepts a call that can only be a mistake (and fails later, or silently does
# something else), tensorflux refuses it at once with a clear error. Code -> why.
STRICTER = {
    "tf.reshape(tf.ones([0]), [-1, 0])": "-1 is ambiguous when the other sizes multiply to 0; TF picks 1",
    "tf.squeeze(tf.ones([2, 1]), axis=1.0)": "TF truncates a float axis",
    "tf.stack([tf.ones([2]), tf.ones([2])], axis=0.5)": "TF truncates a float axis",
    "f = tf.function(lambda x: x + 1)\nc = f.get_concrete_function(tf.TensorSpec([2], "
    "tf.float32))\nresult = c(tf.ones([3]))": "TF runs a ConcreteFunction traced for shape (2,) on a tensor of shape (3,)",
    "tf.numpy_function(lambda x: x, [1.0], tf.int32)": "TF eagerly returns a float64 although Tout says int32",
    "tf.keras.layers.Dense(3, kernel_regularizer='nope')": "TF keeps the unknown name and fails only when the weights are built",
    "tf.keras.regularizers.get('nope')": "TF returns the unknown name unresolved",
    "tf.keras.losses.deserialize('nope')": "TF returns the unknown name unresolved",
    "tf.keras.metrics.get('nope')": "TF returns the unknown name unresolved",
    "tf.keras.layers.deserialize({'class_name': 'Nope', 'config': {}})": "TF returns the unknown class name unresolved",
    "tf.keras.layers.deserialize(5)": "TF returns the number unresolved",
    "tf.keras.layers.Dropout(0.5)('abc')": "TF passes a Python string through Dropout",
    "small_model().fit(X, Y, verbose='x')": "TF takes any truthy verbose",
    "small_model().fit(X, Y, validation_split=1.5, verbose=0)": "TF silently trains on nothing held out",
    "small_model().fit(X, Y, validation_data=(X,), verbose=0)": "TF silently skips validation without labels",
    "opt = tf.keras.optimizers.SGD()\nv = tf.Variable(1.0)\n"
    "result = opt.minimize(lambda: v * v, var_list=[])": "nothing to minimize is a mistake; TF silently does nothing",
    "tf.keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=0, decay_rate=0.5)(1)": "TF divides by zero and returns a learning rate of 0",
    "tf.random.set_seed('a')": "TF stores the string and fails at the first random op",
}

# Where tensorflux raises another class than TF, on purpose. Code -> (class, why).
DIFFERENT = {
    "tf.linspace('a', 1.0, 3)": (
        "UnimplementedError",
        "the string start is cast to a float, which TF's own Cast refuses with this class",
    ),
    "tf.truncatediv(1, 0)": (
        "InvalidArgumentError",
        "TF's CPU kernel reports an internal "
        "error; tensorflux names the bad divisor, as FloorDiv does",
    ),
    "tf.truncatemod(5, 0)": ("InvalidArgumentError", "as truncatediv"),
    "tf.einsum('ij->ijk', tf.ones([2, 3]))": (
        "InvalidArgumentError",
        "the equation is checked by the Einsum kernel",
    ),
    "@tf.function\ndef f(x):\n    return x[5]\nresult = f(tf.ones([2]))": (
        "InvalidArgumentError",
        "slice bounds are checked by the kernel during tracing",
    ),
    "first(tf.data.Dataset.from_tensor_slices([[1, 2, 3]]).map(lambda x: x[7]))": (
        "InvalidArgumentError",
        "as in tf.function",
    ),
    "tf.data.Dataset.from_tensors(None)": (
        "ValueError",
        "TF's message is about an attr of its dataset op; None cannot become a tensor",
    ),
    "tf.data.Dataset.range(3).reduce(0.0, lambda a, b: a + b)": (
        "InvalidArgumentError",
        "reduce_func runs eagerly, where a dtype mismatch is this",
    ),
    "tf.keras.layers.Activation('relu')('abc')": ("TypeError", "layers take tensors"),
    "tf.keras.layers.Add()([tf.ones([2, 3]), 'a'])": ("TypeError", "layers take tensors"),
    "tf.keras.layers.Reshape((4,))(tf.ones([2, 3]))": (
        "ValueError",
        "the layer checks target_shape against its input when called",
    ),
    "tf.keras.layers.Reshape((-1, -1))(tf.ones([2, 4]))": (
        "ValueError",
        "the layer checks target_shape when called",
    ),
    "tf.keras.layers.Multiply()([tf.ones([2, 3]), tf.ones([3, 3])])": (
        "InvalidArgumentError",
        "eager shapes are checked by the Mul kernel",
    ),
    "tf.keras.Input(shape=(3,), batch_size=2.5)": (
        "TypeError",
        "a float batch size is a type error, as a float dimension is",
    ),
    "tf.keras.initializers.Zeros()((-1,))": (
        "ValueError",
        "the shape is checked as a TensorShape, which TF refuses the same way",
    ),
    "m = small_model()\nresult = m.compile(optimizer='sgd', loss='mse', metrics=['nope'])\n"
    "m.fit(X, Y, verbose=0)": (
        "ValueError",
        "an unknown metric name is reported as such; TF fails calling the string",
    ),
    "m = tf.keras.metrics.BinaryAccuracy(threshold='a')\nm.update_state([1.0], [0.5])\n"
    "result = m.result()": ("TypeError", "the threshold is checked when the metric is made"),
}


def _expected_class(name: str):
    if name.startswith("tf.errors."):
        return getattr(errors, name[len("tf.errors.") :])
    return getattr(builtins, name, None)


def _raised_from_numpy(error: BaseException) -> bool:
    frames = traceback.extract_tb(error.__traceback__)
    return bool(frames) and f"{os.sep}numpy{os.sep}" in frames[-1].filename


def _same_value(want: dict, got: dict, path="value") -> list:
    if want["kind"] != got["kind"]:
        return [f"{path}: TF returned {want}, tensorflux {got}"]
    kind = want["kind"]
    if kind == "array":
        if want["dtype"] != got["dtype"] or want["shape"] != got["shape"]:
            return [
                f"{path}: TF returned {want['dtype']}{want['shape']}, "
                f"tensorflux {got['dtype']}{got['shape']}"
            ]
        a, b = want["value"], got["value"]
        if want["dtype"] in ("string", "bool") or "int" in want["dtype"]:
            return [] if a == b else [f"{path}: TF returned {a}, tensorflux {b}"]
        fa = np.array([np.nan if v == "nan" else v for v in a], dtype=float)
        fb = np.array([np.nan if v == "nan" else v for v in b], dtype=float)
        ok = np.allclose(fa, fb, rtol=1e-5, atol=1e-6, equal_nan=True)
        return [] if ok else [f"{path}: TF returned {a}, tensorflux {b}"]
    if kind == "py":
        a, b = want["value"], got["value"]
        if isinstance(a, float) and isinstance(b, (int, float)) and not isinstance(b, bool):
            return [] if np.isclose(a, b) else [f"{path}: TF returned {a!r}, tensorflux {b!r}"]
        return (
            []
            if a == b and type(a) is type(b)
            else [f"{path}: TF returned {a!r}, tensorflux {b!r}"]
        )
    if kind in ("list", "tuple"):
        if len(want["items"]) != len(got["items"]):
            return [
                f"{path}: TF returned {len(want['items'])} items, tensorflux {len(got['items'])}"
            ]
        out = []
        for i, (w, g) in enumerate(zip(want["items"], got["items"])):
            out += _same_value(w, g, f"{path}[{i}]")
        return out
    if kind in ("dict", "dict_keys"):
        return (
            []
            if want["keys"] == got["keys"]
            else [f"{path}: TF returned keys {want['keys']}, tensorflux {got['keys']}"]
        )
    if kind == "symbolic":
        return (
            []
            if want["dtype"] == got["dtype"]
            else [f"{path}: TF returned a {want['dtype']} value, tensorflux {got['dtype']}"]
        )
    return []


@contextlib.contextmanager
def _global_state_kept():
    """Runs a case without leaking the process-wide settings some cases change (the
    Keras epsilon and floatx, the global random seed) into later tests."""
    from tensorflux.ops import random_seed

    backend = tf.keras.backend
    epsilon, floatx = backend.epsilon(), backend.floatx()
    seed = random_seed.snapshot()
    # Cases start unseeded, as in the recording process (other tests may have set a seed).
    random_seed.set_seed(None)
    try:
        yield
    finally:
        backend.set_epsilon(epsilon)
        backend.set_floatx(floatx)
        random_seed.restore(seed)


def check_case(code: str, mention) -> list:
    """What tensorflux does differently from TF on one case (empty when nothing)."""
    with _global_state_kept():
        return _check_case(code, mention)


def _check_case(code: str, mention) -> list:
    want = dict(_RECORDED[code])
    if code in STRICTER:
        want.update(
            error="ValueError|TypeError|tf.errors.InvalidArgumentError|tf.errors.UnimplementedError"
        )
    elif code in DIFFERENT:
        cls = DIFFERENT[code][0]
        want.update(
            error=("tf.errors." + cls) if cls.endswith("Error") and hasattr(errors, cls) else cls
        )
    tf.keras.backend.clear_session()
    try:
        value = run_case(tf, np, code)
    except Exception as e:  # noqa: BLE001 - the exception is what is checked
        if want["error"] is None:
            return [
                f"TF accepts it (returning {want['value']}), tensorflux raised "
                f"{type(e).__name__}: {e}"
            ]
        problems = []
        expected = tuple(
            c for c in (_expected_class(n) for n in want["error"].split("|")) if c is not None
        )
        if want["error"] in _INTERNAL:
            ok = isinstance(e, _CLEAR) or isinstance(e, expected)
        else:
            ok = bool(expected) and isinstance(e, expected)
        if not ok:
            problems.append(
                f"TF raises {want['error']}, tensorflux raised "
                f"{type(e).__module__}.{type(e).__name__}: {e}"
            )
        if isinstance(e, _RAW) and want["error"] not in _INTERNAL | {type(e).__name__}:
            problems.append(f"raw internal {type(e).__name__}: {e}")
        if _raised_from_numpy(e):
            problems.append(f"NumPy's error escaped unwrapped: {type(e).__name__}: {e}")
        if not str(e).strip() and not isinstance(e, StopIteration):
            problems.append(f"{type(e).__name__} without a message")
        if isinstance(e, errors.OpError) and e.op and e.op not in str(e):
            problems.append(f"the message does not name its op {e.op!r}: {e}")
        if mention and mention.lower() not in str(e).lower():
            problems.append(f"the message does not name {mention!r}: {e}")
        return problems
    if want["error"] is not None:
        return [
            f"TF raises {want['error']} ({want['message'][:200]}), tensorflux returned "
            f"{describe(value)}"
        ]
    return _same_value(want["value"], describe(value))


@pytest.mark.parametrize(
    "group,code,mention", CASES, ids=[f"{g}-{i}" for i, (g, _, _) in enumerate(CASES)]
)
def test_case_behaves_as_in_tensorflow(group, code, mention):
    problems = check_case(code, mention)
    assert not problems, f"{code!r}:\n  " + "\n  ".join(problems)


def test_the_table_is_large_and_recorded():
    assert len(CASES) >= 300
    codes = {code for _, code, _ in CASES}
    assert len(codes) == len(CASES)
    assert all(code in _RECORDED for code in codes)
    # Every deliberate difference is a case of the table, and only TF-accepted cases are
    # listed as stricter.
    assert set(STRICTER) <= codes and set(DIFFERENT) <= codes
    assert all(_RECORDED[code]["error"] is None for code in STRICTER)


if __name__ == "__main__":
    failing = 0
    for group, code, mention in CASES:
        problems = check_case(code, mention)
        if problems:
            failing += 1
            print(f"[{group}] {code!r}\n  " + "\n  ".join(p[:300] for p in problems))
    print(f"{len(CASES)} cases, {failing} differ from TensorFlow")


def _message_core(message: str) -> str:
    """A message without TF's ``{{function_node ...}}`` prefix and ``[Op:X]`` suffix."""
    message = re.sub(r"^\{\{function_node [^}]*\}\} ", "", message)
    # The recorded message may be cut inside the suffix.
    return re.sub(r" ?\[(O(p(:\w*\]?)?)?)?( name:.*)?$", "", message)


@pytest.mark.parametrize("code", sorted(SAME_MESSAGE))
def test_message_begins_as_tensorflows(code):
    want = _message_core(_RECORDED[code]["message"])
    with _global_state_kept(), pytest.raises(Exception) as info:
        run_case(tf, np, code)
    got = _message_core(describe_error(info.value)["message"])
    # The recorded message is cut at 200 characters: compare what both have.
    assert got[: len(want)] == want


def test_error_codes_are_tensorflows():
    assert (tf.errors.OK, tf.errors.INVALID_ARGUMENT, tf.errors.UNAUTHENTICATED) == (0, 3, 16)
    assert tf.errors.InvalidArgumentError(None, None, "x").error_code == tf.errors.INVALID_ARGUMENT
    assert tf.errors.DataLossError(None, None, "x").error_code == 15
    assert tf.errors.OpError(None, None, "x").error_code == tf.errors.UNKNOWN
