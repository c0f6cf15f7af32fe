"""AutoGraph: Python control flow on tensors inside tf.function becomes graph control flow.

Each converted function is compared with the same Python function run eagerly
(values and gradients), and tracing counts pin that tensor-dependent control flow
is traced once, not unrolled.
"""

import functools

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.engine import autograph

# -- helpers --------------------------------------------------------------------------


def _numpy(x):
    return tf.nest.map_structure(lambda t: np.asarray(t), x)


def assert_like_eager(fn, *args):
    """``tf.function(fn)(*args)`` equals ``fn(*args)`` run eagerly; returns the traced
    Function."""
    traced = tf.function(fn)
    got = traced(*args)
    want = fn(*args)
    tf.nest.map_structure(
        lambda g, w: np.testing.assert_allclose(g, w, rtol=1e-6), _numpy(got), _numpy(want)
    )
    return traced


def grad_of(fn, x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
    return tape.gradient(y, x)


# -- if ---------------------------------------------------------------------------------


def if_else(x):
    if x > 0:
        y = x * x
    else:
        y = -x
    return y


def if_without_else(x):
    y = x
    if tf.reduce_sum(x) > 0:
        y = y * 2.0
    return y


def nested_if(x):
    if x > 0:
        if x > 10:
            y = x * 3.0
        else:
            y = x * 2.0
    elif x > -5:
        y = -x
    else:
        y = x * 0.0
    return y


def if_python_values(x):
    if x > 0:
        scale = 2
    else:
        scale = 3
    return x * tf.cast(scale, tf.float32)


def if_temporary(x):
    # `tmp` only exists in one branch and is not used afterwards: not an output.
    if x > 0:
        tmp = x * 2.0
        y = tmp + 1.0
    else:
        y = x
    return y


def if_bool_ops(x):
    if x > 0 and x < 5 or x < -10:
        y = x + 100.0
    else:
        y = x
    if not x > 3:
        y = y * 2.0
    return y


def if_structure(x):
    pair = (x, x + 1.0)
    if x > 0:
        pair = (pair[1], pair[0])
    return pair[0] - pair[1]


@pytest.mark.parametrize(
    "fn",
    [
        if_else,
        if_without_else,
        nested_if,
        if_python_values,
        if_temporary,
        if_bool_ops,
        if_structure,
    ],
)
@pytest.mark.parametrize("value", [-20.0, -3.0, 2.0, 4.0, 12.0])
def test_if_matches_eager(fn, value):
    x = tf.constant(value)
    traced = assert_like_eager(fn, x)
    np.testing.assert_allclose(grad_of(traced, x), grad_of(fn, x), rtol=1e-6)


def test_if_traces_both_branches_once():
    traces = []

    @tf.function
    def f(x):
        traces.append(1)
        if x > 0:
            y = x + 1.0
        else:
            y = x - 1.0
        return y

    assert float(f(tf.constant(2.0))) == 3.0
    assert float(f(tf.constant(-2.0))) == -3.0
    assert f.experimental_get_tracing_count() == 1
    assert len(traces) == 1


def test_python_condition_runs_as_python():
    branches = []

    @tf.function
    def f(x, flag):
        if flag:
            branches.append("true")
            y = x + 1.0
        else:
            branches.append("false")
            y = "only a Python value can be here"
        return y

    assert float(f(tf.constant(1.0), True)) == 2.0
    assert branches == ["true"]


def test_python_numbers_in_tensor_branches_become_tensors():
    seen = []

    @tf.function
    def f(x):
        if x > 0:
            y = 1
        else:
            y = 2
        seen.append(y)
        return y

    assert int(f(tf.constant(3))) == 1
    assert int(f(tf.constant(-3))) == 2
    assert isinstance(seen[0], tf.Tensor) and seen[0].dtype == tf.int32


def test_none_in_both_branches_stays_none():
    @tf.function
    def f(x):
        y = None
        if x > 0:
            z = x
        else:
            z = -x
        return z, y

    z, y = f(tf.constant(-2.0))
    assert float(z) == 2.0 and y is None


def test_variable_in_condition_and_branches():
    v = tf.Variable(1.0)

    @tf.function
    def f(x):
        if v > 0:
            v.assign_add(x)
        else:
            v.assign_sub(x)
        return v.read_value()

    assert float(f(tf.constant(2.0))) == 3.0
    v.assign(-1.0)
    assert float(f(tf.constant(2.0))) == -3.0
    assert f.experimental_get_tracing_count() == 1


def test_conditional_expression():
    def f(x):
        return x * 2.0 if x > 0 else x * 3.0

    for value in (-1.0, 1.0):
        traced = assert_like_eager(f, tf.constant(value))
    assert traced.experimental_get_tracing_count() == 1


def test_logical_operators_on_tensors_and_python():
    def f(x):
        a = x > 0 and x < 5
        b = x > 4 or x < -1
        c = not x > 0
        d = 0 or 7
        e = x is not None and 3
        return a, b, c, d, e

    for value in (-2.0, 2.0, 6.0):
        traced = assert_like_eager(f, tf.constant(value))
    assert traced.experimental_get_tracing_count() == 1


def test_and_is_lazy_on_tensors():
    @tf.function
    def f(x, i):
        # x[i] would be out of range when i == 3: `and` must not evaluate it then.
        return i < 3 and tf.gather(x, tf.minimum(i, 2)) > 0.0

    x = tf.constant([1.0, -1.0, 1.0])
    assert bool(f(x, tf.constant(0)))
    assert not bool(f(x, tf.constant(1)))
    assert not bool(f(x, tf.constant(3)))


# -- loops ---------------------------------------------------------------------------


def for_range_sum(n):
    s = 0
    for i in tf.range(n):
        s += i * i
    return s


def for_over_tensor(x):
    s = tf.zeros([3])
    for row in x:
        s += row * row
    return s


def while_halving(x):
    n = 0
    while x > 1.0:
        x = x / 2.0
        n += 1
    return x, n


def for_break_continue(n):
    s = 0
    for i in tf.range(n):
        if i > 5:
            break
        if i % 2 == 0:
            continue
        s += i
    return s


def while_break(x):
    i = tf.constant(0)
    while True:
        i += 1
        x = x * 2.0
        if x > 100.0:
            break
    return x, i


def nested_loops(n):
    total = 0
    for i in tf.range(n):
        for j in tf.range(i):
            if (i + j) % 3 == 0:
                continue
            total += i * j
    return total


def while_continue(n):
    i = 0
    s = 0
    while i < n:
        i += 1
        if i % 3 == 0:
            continue
        s += i
    return s


def loop_with_else_on_break(n):
    s = 0
    for i in tf.range(n):
        if i == 4:
            break
        s += 1
    else:
        s += 100
    return s


@pytest.mark.parametrize(
    "fn, args",
    [
        (for_range_sum, (5,)),
        (for_range_sum, (0,)),
        (for_over_tensor, (np.arange(12, dtype=np.float32).reshape(4, 3),)),
        (while_halving, (37.0,)),
        (for_break_continue, (10,)),
        (for_break_continue, (4,)),
        (while_break, (3.0,)),
        (nested_loops, (6,)),
        (while_continue, (10,)),
        (loop_with_else_on_break, (3,)),
        (loop_with_else_on_break, (9,)),
    ],
)
def test_loops_match_eager(fn, args):
    tensors = [tf.constant(a) for a in args]
    traced = assert_like_eager(fn, *tensors)
    assert traced.experimental_get_tracing_count() == 1


def test_tensor_loop_is_traced_once_not_unrolled():
    prints = []

    @tf.function
    def f(n):
        s = tf.constant(0)
        for i in tf.range(n):
            prints.append("body")
            s += i
        return s

    assert int(f(tf.constant(10))) == 45
    assert int(f(tf.constant(100))) == 4950
    assert f.experimental_get_tracing_count() == 1
    assert prints == ["body"]


def test_python_loops_unroll():
    prints = []

    @tf.function
    def f(x):
        for i in range(3):
            prints.append(i)
            x = x * 2.0
        k = 0
        while k < 2:
            k += 1
            x += 1.0
        for w in [1.0, 2.0]:
            x = x + w
        return x

    assert float(f(tf.constant(1.0))) == ((1.0 * 8) + 2.0) + 3.0
    assert prints == [0, 1, 2]


def test_range_of_tensor_becomes_tf_range():
    @tf.function
    def f(n):
        s = 0
        for i in range(n):
            s += i
        return s

    assert int(f(tf.constant(5))) == 10
    assert int(f(tf.constant(6))) == 15
    assert f.experimental_get_tracing_count() == 1


def test_loop_gradients_match_eager():
    def f(x):
        y = x
        for _ in tf.range(3):
            y = y * x
        i = 0
        while i < 2:
            y = tf.sin(y)
            i += 1
        return y

    x = tf.constant(0.7)
    traced = assert_like_eager(f, x)
    np.testing.assert_allclose(grad_of(traced, x), grad_of(f, x), rtol=1e-6)


def test_if_inside_loop_gradient():
    def f(x):
        s = tf.zeros_like(x)
        for i in tf.range(4):
            if i % 2 == 0:
                s += x * tf.cast(i, tf.float32)
            else:
                s -= x * x
        return tf.reduce_sum(s)

    x = tf.constant([0.5, -1.5])
    traced = assert_like_eager(f, x)
    np.testing.assert_allclose(grad_of(traced, x), grad_of(f, x), rtol=1e-6)


def test_variable_first_assigned_in_loop():
    def f(x):
        while x > 0:
            last = x
            x = x - 1
        return last

    assert_like_eager(f, tf.constant(3))


def test_loop_local_temporary_is_not_carried():
    @tf.function
    def f(n):
        tmp = None
        s = 0.0
        for i in tf.range(n):
            tmp = tf.cast(i, tf.float32) * 2.0
            s += tmp
        return s

    assert float(f(tf.constant(4))) == 12.0


def test_set_loop_options_shape_invariants():
    @tf.function
    def f(n):
        s = tf.constant([0.0])
        for _ in tf.range(n):
            tf.autograph.experimental.set_loop_options(
                shape_invariants=[(s, tf.TensorShape([None]))]
            )
            s = tf.concat([s, [1.0]], 0)
        return s

    np.testing.assert_array_equal(f(tf.constant(3)), [0.0, 1.0, 1.0, 1.0])


def test_set_loop_options_maximum_iterations():
    @tf.function
    def f(x):
        while x < 100:
            tf.autograph.experimental.set_loop_options(maximum_iterations=3)
            x += 1
        return x

    assert int(f(tf.constant(0))) == 3


def test_python_loop_with_tensor_break():
    def f(x):
        for _ in range(5):
            if x > 10.0:
                break
            x = x * 3.0
        return x

    for value in (1.0, 2.0, 50.0):
        assert_like_eager(f, tf.constant(value))


# -- return ----------------------------------------------------------------------------


def early_return(x):
    if x > 0:
        return x * 2.0
    return -x


def return_in_both(x):
    if x > 0:
        return x
    else:
        return x * x


def return_nested(x):
    if x > 0:
        if x > 10:
            return x * 10.0
    return x + 1.0


def return_in_loop(n):
    for i in tf.range(n):
        if i * i > 10:
            return i
    return -1


def return_in_while(x):
    while x < 100.0:
        x = x * 2.0
        if x > 30.0:
            return x + 0.5
    return x


@pytest.mark.parametrize(
    "fn, values",
    [
        (early_return, (-2.0, 3.0)),
        (return_in_both, (-2.0, 3.0)),
        (return_nested, (-2.0, 3.0, 30.0)),
        (return_in_loop, (2, 10)),
        (return_in_while, (1.0, 50.0, 200.0)),
    ],
)
def test_return_matches_eager(fn, values):
    traced = tf.function(fn)
    for v in values:
        x = tf.constant(v)
        np.testing.assert_allclose(traced(x), fn(x))
    assert traced.experimental_get_tracing_count() == 1


def test_return_gradient():
    x = tf.constant(1.5)
    traced = tf.function(early_return)
    np.testing.assert_allclose(grad_of(traced, x), grad_of(early_return, x))
    x = tf.constant(-1.5)
    np.testing.assert_allclose(grad_of(traced, x), grad_of(early_return, x))


# -- what gets converted ----------------------------------------------------------------


def _helper_abs(x):
    if x < 0:
        return -x
    return x


def test_called_functions_are_converted():
    @tf.function
    def f(x):
        return _helper_abs(x) + 1.0

    assert float(f(tf.constant(-2.0))) == 3.0
    assert float(f(tf.constant(2.0))) == 3.0


class Model:
    def __init__(self):
        self.scale = 3.0

    def helper(self, x):
        if x > 0:
            return x * self.scale
        return x

    @tf.function
    def __call__(self, x, offset=1.0):
        y = self.helper(x)
        if y > 5.0:
            y = y + offset
        return y


class SubModel(Model):
    def helper(self, x):
        y = super().helper(x)
        if y > 0:
            y = y * 10.0
        return y


def test_methods_defaults_and_super():
    m = Model()
    assert float(m(tf.constant(2.0))) == 7.0
    assert float(m(tf.constant(-2.0))) == -2.0
    assert float(m(tf.constant(1.0), offset=0.0)) == 3.0
    assert float(SubModel()(tf.constant(1.0))) == 31.0


def test_closures_keep_their_cells():
    counter = 0
    scale = tf.constant(2.0)

    def f(x):
        nonlocal counter
        counter += 1
        if x > 0:
            y = x * scale
        else:
            y = x
        return y

    traced = tf.function(f)
    assert float(traced(tf.constant(3.0))) == 6.0
    assert counter == 1
    scale = tf.constant(5.0)  # noqa: F841 - read by f through its closure
    assert float(traced(tf.constant(3.0))) == 6.0  # the cached graph keeps 2.0
    traced2 = tf.function(f)
    assert float(traced2(tf.constant(3.0))) == 15.0
    assert counter == 2


def test_nested_function_definitions_are_converted():
    @tf.function
    def f(x):
        def inner(y):
            if y > 0:
                return y
            return -y

        return inner(x) + inner(x - 10.0)

    assert float(f(tf.constant(3.0))) == 10.0


def test_decorated_with_other_decorators():
    def twice(fn):
        @functools.wraps(fn)
        def wrapper(x):
            return fn(fn(x))

        return wrapper

    @tf.function
    @twice
    def f(x):
        if x > 0:
            x = x - 1.0
        return x

    assert float(f(tf.constant(3.0))) == 1.0
    assert float(f(tf.constant(-3.0))) == -3.0


def test_lambda_is_not_converted_and_errors_helpfully():
    f = tf.function(lambda x: x * 2.0)
    assert float(f(tf.constant(1.0))) == 2.0
    g = tf.function(lambda x: 1.0 if x > 0 else 2.0)
    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError, match="tf.cond"):
        g(tf.constant(1.0))


def test_do_not_convert():
    @tf.autograph.experimental.do_not_convert
    def f(x):
        if x > 0:
            return x
        return -x

    assert autograph.convert(f) is f
    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError, match="symbolic"):
        tf.function(f)(tf.constant(1.0))
    assert float(f(tf.constant(-1.0))) == 1.0


def test_autograph_false_does_not_convert():
    def f(x):
        if x > 0:
            return x
        return -x

    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError):
        tf.function(f, autograph=False)(tf.constant(1.0))


def test_functions_without_source_are_returned_unchanged():
    namespace = {}
    exec("def f(x):\n    return x + 1\n", namespace)
    assert autograph.convert(namespace["f"]) is namespace["f"]
    assert autograph.convert(len) is len
    assert autograph.convert(np.sum) is np.sum


def test_conversion_is_cached_and_keeps_metadata():
    def f(x, k=2):
        """Doc."""
        if x > 0:
            x = x * k
        return x

    converted = tf.autograph.to_graph(f)
    assert tf.autograph.to_graph(f) is converted
    assert converted is not f
    assert converted.__name__ == "f" and converted.__doc__ == "Doc."
    assert converted(3) == 6 and converted(-3) == -3


def test_plain_python_behaviour_is_unchanged():
    def f(items, key=None):
        out = []
        for i, item in enumerate(items):
            if item is None or i in (key or ()):
                continue
            try:
                out.append(item * 2)
            except TypeError:
                out.append(item)
            else:
                pass
            if len(out) > 3:
                break
        total = sum(x for x in out if isinstance(x, int))
        return out, total, not out

    converted = autograph.convert(f)
    for args in ([1, None, "a", 3], [1, 2, 3, 4, 5, 6], []):
        assert converted(args) == f(args)
    assert converted([1, 2, 3], key=[1]) == f([1, 2, 3], key=[1])


def test_undefined_variable_is_unbound_as_in_python():
    @tf.function
    def f(x, flag):
        if flag:
            y = x
        return y

    with pytest.raises(UnboundLocalError, match="'y'"):
        f(tf.constant(1.0), False)


def test_print_runs_at_trace_time(capsys):
    @tf.function
    def f(x):
        print("tracing", x.shape)
        if x > 0:
            print("true branch")
            x = x + 1.0
        return x

    f(tf.constant(1.0))
    f(tf.constant(2.0))
    out = capsys.readouterr().out
    assert out.count("tracing") == 1 and out.count("true branch") == 1


# -- errors (TF's messages) ------------------------------------------------------------


def _raises(fn, args, exc, match):
    with pytest.raises(exc, match=match):
        tf.function(fn)(*[tf.constant(a) for a in args])


def err_one_branch(x):
    if x > 0:
        y = x
    return y


def err_main_branch(x):
    if x > 0:
        pass
    else:
        y = x
    return y


def err_none(x):
    if x > 0:
        y = x
    else:
        y = None
    return y


def err_dtype(x):
    if x > 0:
        y = tf.constant(1)
    else:
        y = tf.constant(1.0)
    return y


def err_int_condition(x):
    if x:
        return 1
    return 2


def err_loop_shape(n):
    s = tf.constant([0.0])
    for _ in tf.range(n):
        s = tf.concat([s, [1.0]], 0)
    return s


def err_loop_dtype(n):
    s = 0
    for _ in tf.range(n):
        s = tf.cast(s, tf.float32) + 0.5
    return s


def err_no_return_in_else(x):
    if x > 0:
        return 1.0


@pytest.mark.parametrize(
    "fn, args, exc, match",
    [
        (err_one_branch, (1.0,), ValueError, "'y' must also be initialized in the else branch"),
        (err_main_branch, (1.0,), ValueError, "'y' must also be initialized in the main branch"),
        (err_none, (1.0,), ValueError, "'y' is None at the end of the else branch"),
        (
            err_dtype,
            (1.0,),
            TypeError,
            "'y' has dtype int32 in the main branch, but dtype float32 in the else branch",
        ),
        (
            err_int_condition,
            (3,),
            ValueError,
            "condition of if statement expected to be `tf.bool` scalar",
        ),
        (
            err_loop_shape,
            (3,),
            ValueError,
            r"'s' has shape \(1,\) before the loop, but shape \(2,\) after one iteration. "
            r"Use tf.autograph.experimental.set_loop_options",
        ),
        (
            err_loop_dtype,
            (3,),
            TypeError,
            "'s' has dtype int32 before the loop, but dtype float32 after one iteration",
        ),
        (err_no_return_in_else, (1.0,), ValueError, "every path must return a value"),
    ],
)
def test_error_messages(fn, args, exc, match):
    _raises(fn, args, exc, match)


def test_iterating_a_scalar_tensor_fails():
    def f(x):
        for _ in x:
            pass
        return x

    _raises(f, (1.0,), TypeError, "scalar tensor")
