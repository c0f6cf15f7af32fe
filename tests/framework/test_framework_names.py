"""Framework-level ``tf.*`` names (dtypes, DeviceSpec/device, variable modes and creator
scopes, tensor conversion functions, function scopes, tf.gradients/hessians, check
numerics, tf.config settings, tf.autograph tools) against TF 2.21's recorded
behaviour (``record_framework_names_fixtures.py``)."""

import json
import logging
import os

import numpy as np
import pytest

import tensorflux as tf

with open(
    os.path.join(os.path.dirname(__file__), "..", "fixtures", "framework_names.json"),
    encoding="utf-8",
) as _f:
    FIX = json.load(_f)


def outcome(fn):
    try:
        value = fn()
    except Exception as e:  # noqa: BLE001 - the error is what is compared
        return {"error": type(e).__name__, "message": str(e)}
    return {"value": value}


def as_list(x):
    return None if x is None else np.asarray(tf.convert_to_tensor(x)).tolist()


# -- dtypes -----------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["qint8", "qint16", "qint32", "quint8", "quint16", "resource", "variant"]
)
def test_new_dtypes_match_tf(name):
    want, d = FIX["dtypes"][name], getattr(tf, name)
    assert d is getattr(tf.dtypes, name)
    assert d.as_datatype_enum == want["enum"]
    assert (str(d), repr(d)) == (want["str"], want["repr"])
    assert (d.is_quantized, d.is_numeric, d.is_integer, d.is_floating, d.size) == (
        want["is_quantized"],
        want["is_numeric"],
        want["is_integer"],
        want["is_floating"],
        want["size"],
    )
    assert outcome(lambda: d.min) == want["min"]
    assert outcome(lambda: d.max) == want["max"]
    got = outcome(lambda: str(d.as_numpy_dtype))
    assert got.keys() == want["numpy"].keys()
    if "value" in got:
        assert got == want["numpy"]
    assert tf.as_dtype(name) is d and tf.as_dtype(d.as_datatype_enum) is d


def test_quantized_dtypes_set_and_dtypes_namespace():
    assert sorted(d.name for d in tf.dtypes.QUANTIZED_DTYPES) == FIX["dtypes"]["quantized"]
    assert not tf.float32.is_quantized
    assert tf.as_dtype(tf.qint8.as_numpy_dtype) is tf.qint8
    assert tf.qint8 != tf.int8
    assert tf.dtypes.complex is tf.complex
    assert tf.dtypes.cast is tf.cast and tf.dtypes.saturate_cast is tf.saturate_cast
    ragged = tf.dtypes.saturate_cast(tf.ragged.constant([[-1.5], [2.5, 300.0]]), tf.uint8)
    assert ragged.to_list() == [[0], [2, 255]]
    assert tf.as_dtype(1) is tf.float32


# -- DeviceSpec and tf.device -----------------------------------------------


@pytest.mark.parametrize("spec", sorted(FIX["device"]["parse"]))
def test_device_spec_parsing(spec):
    assert (
        outcome(lambda: tf.DeviceSpec.from_string(spec).to_string()) == FIX["device"]["parse"][spec]
    )


def test_device_spec_fields_and_merging():
    want = FIX["device"]
    spec = tf.DeviceSpec.from_string("/job:w/replica:0/task:1/device:GPU:2")
    assert repr(spec) == want["repr"]
    assert (spec.job, spec.replica, spec.task, spec.device_type, spec.device_index) == (
        "w",
        0,
        1,
        "GPU",
        2,
    )
    assert spec.replace(job="x", device_index=None).to_string() == want["replace"]
    merged = spec.make_merged_spec(tf.DeviceSpec(job="z", device_type="CPU"))
    assert merged.to_string() == want["merged"]
    keeps = tf.DeviceSpec(device_type="CPU", device_index=0).make_merged_spec(
        tf.DeviceSpec(device_type="GPU")
    )
    assert keeps.to_string() == want["merged_keeps_index"]
    assert tf.DeviceSpec(device_type="cpu").device_type == want["lowercase_type"]
    assert tf.DeviceSpec.from_string("/cpu:0") == tf.DeviceSpec.from_string("/device:CPU:0")
    assert hash(spec) == hash(tf.DeviceSpec.from_string(spec.to_string()))
    with pytest.raises(AttributeError):
        spec.job = "q"


def _enter(name):
    with tf.device(name):
        pass


@pytest.mark.parametrize("arg", ["foo", 3])
def test_device_refuses_what_tf_refuses(arg):
    assert outcome(lambda: _enter(arg)) == FIX["device"]["device_errors"][repr(arg)]


def test_device_scopes_run_ops_eagerly_and_in_functions():
    with pytest.raises(RuntimeError, match="does not support functions"):
        tf.device(lambda op: "/cpu:0")

    @tf.function
    def f(x):
        with tf.device("/GPU:0"):
            y = x + 1
        with tf.device(None):
            return y * 2

    with tf.device("/job:localhost/replica:0/task:0/device:CPU:0"):
        assert f(tf.constant(1.0)).numpy() == 4.0


def test_device_scopes_nest_as_tf_merges_them():
    from tensorflux.framework import context

    assert context.state.device is None
    with tf.device("/gpu:1"):
        assert context.state.device == ("GPU", 1)
        # A name without a device type keeps the outer device.
        with tf.device("/job:localhost"):
            assert context.state.device == ("GPU", 1)
        with tf.device("/CPU:0"):
            assert context.state.device == ("CPU", 0)
        with tf.device(None):
            assert context.state.device is None
        assert context.state.device == ("GPU", 1)
    with pytest.raises(ValueError):
        with tf.device("/device:GPU:0/CPU:0"):
            pass
    assert context.state.device is None


# -- variables ----------------------------------------------------------------


def test_variable_modes_match_tf():
    want = FIX["variables"]
    assert [repr(a) for a in tf.VariableAggregation] == want["aggregation"]
    assert [repr(s) for s in tf.VariableSynchronization] == want["synchronization"]
    for name, value in want["aggregation_method"].items():
        assert getattr(tf.AggregationMethod, name) == value
    assert outcome(lambda: tf.Variable(1.0, aggregation="sum")) == want["bad_aggregation"]
    assert outcome(lambda: tf.Variable(1.0, synchronization="x")) == want["bad_synchronization"]
    assert (
        outcome(lambda: tf.Variable(1.0, aggregation=3).aggregation.name) == want["int_aggregation"]
    )
    on_read = tf.Variable(1.0, synchronization=tf.VariableSynchronization.ON_READ)
    assert on_read.trainable == want["on_read_trainable"]
    v = tf.Variable(1.0, aggregation=tf.VariableAggregation.MEAN)
    assert v.aggregation is tf.VariableAggregation.MEAN
    assert v.synchronization is tf.VariableSynchronization.AUTO
    assert tf.Variable(1.0).aggregation is tf.VariableAggregation.NONE


def test_keras_add_weight_takes_the_modes_as_tf_keras():
    want = FIX["keras_weights"]
    layer = tf.keras.layers.Layer()

    def modes(w):
        return [w.trainable, repr(w.synchronization), repr(w.aggregation)]

    on_read = layer.add_weight("a", shape=(), synchronization=tf.VariableSynchronization.ON_READ)
    mean = layer.add_weight("c", shape=(), aggregation=tf.VariableAggregation.MEAN)
    assert modes(on_read) == want["on_read"] and modes(mean) == want["mean"]
    assert layer.non_trainable_weights == [on_read] and layer.trainable_weights == [mean]
    on_read_trainable = outcome(
        lambda: layer.add_weight(
            "b", shape=(), synchronization=tf.VariableSynchronization.ON_READ, trainable=True
        )
    )
    assert on_read_trainable == want["on_read_trainable"]
    aggregation_string = outcome(lambda: layer.add_weight("d", shape=(), aggregation="sum"))
    assert aggregation_string == want["aggregation_string"]


def test_variable_creator_scope_sees_arguments_and_chains():
    seen, order = [], []

    def freeze(next_creator, **kwargs):
        seen.append(dict(kwargs))
        order.append("outer")
        kwargs["trainable"] = False
        return next_creator(**kwargs)

    def inner(next_creator, **kwargs):
        order.append("inner")
        return next_creator(**kwargs)

    with tf.variable_creator_scope(freeze):
        with tf.variable_creator_scope(inner):
            v = tf.Variable(1.0, name="a")
    assert order == ["inner", "outer"]
    assert not v.trainable and v.name == "a:0"
    assert sorted(seen[0]) == sorted(
        [
            "initial_value",
            "trainable",
            "validate_shape",
            "caching_device",
            "name",
            "variable_def",
            "dtype",
            "import_scope",
            "constraint",
            "synchronization",
            "aggregation",
            "shape",
            "experimental_enable_variable_lifting",
        ]
    )
    assert seen[0]["aggregation"] is tf.VariableAggregation.NONE
    assert seen[0]["trainable"] is None
    with tf.variable_creator_scope(lambda next_creator, **kw: "replaced"):
        assert tf.Variable(1.0) == "replaced"
    assert isinstance(tf.Variable(1.0), tf.Variable)


# -- tensor conversion functions -----------------------------------------------


class _Meters:
    def __init__(self, n):
        self.n = n


class _Refuses:
    pass


class _Wrong:
    pass


tf.register_tensor_conversion_function(
    _Meters, lambda value, dtype=None, name=None, as_ref=False: tf.constant(value.n, dtype=dtype)
)
tf.register_tensor_conversion_function(
    _Refuses, lambda value, dtype=None, name=None, as_ref=False: NotImplemented
)
tf.register_tensor_conversion_function(
    _Wrong, lambda value, dtype=None, name=None, as_ref=False: tf.constant(1)
)


def test_registered_conversion_functions_are_used_by_ops():
    assert tf.convert_to_tensor(_Meters(3)).numpy() == 3
    assert tf.convert_to_tensor(_Meters(3), dtype=tf.float32).dtype == tf.float32
    assert tf.add(_Meters(2), 1).numpy() == 3
    assert (tf.constant(1) + _Meters(2)).numpy() == 3
    assert tf.function(lambda: tf.convert_to_tensor(_Meters(7)) * 2)().numpy() == 14
    with pytest.raises(ValueError, match="unsupported type"):
        tf.convert_to_tensor(_Refuses())
    with pytest.raises(RuntimeError, match="returned incompatible dtype: requested = float32"):
        tf.convert_to_tensor(_Wrong(), dtype=tf.float32)


def test_register_tensor_conversion_function_refusals():
    conv = lambda value, dtype=None, name=None, as_ref=False: None  # noqa: E731
    with pytest.raises(TypeError, match="must be a type or a tuple of types"):
        tf.register_tensor_conversion_function(3, conv)
    with pytest.raises(TypeError, match="Python numeric types and NumPy"):
        tf.register_tensor_conversion_function(int, conv)
    with pytest.raises(TypeError, match="Python numeric types and NumPy"):
        tf.register_tensor_conversion_function(np.ndarray, conv)
    with pytest.raises(TypeError, match="must be callable"):
        tf.register_tensor_conversion_function(_Meters, 3)


# -- function scopes -----------------------------------------------------------


def test_scopes_and_questions_eager_and_traced():
    assert not tf.inside_function() and tf.get_current_name_scope() == ""
    assert not tf.is_symbolic_tensor(tf.constant(1.0)) and not tf.is_symbolic_tensor(1)
    seen = {}

    @tf.function
    def f(x):
        seen["symbolic"] = tf.is_symbolic_tensor(x)
        seen["inside"] = tf.inside_function()
        with tf.init_scope():
            seen["eager_in_init_scope"] = tf.executing_eagerly()
            seen["inside_in_init_scope"] = tf.inside_function()
        with tf.name_scope("a"):
            with tf.name_scope("b"):
                return tf.get_current_name_scope()

    assert f(tf.constant(1.0)).numpy() == b"a/b"
    assert seen == {
        "symbolic": True,
        "inside": True,
        "eager_in_init_scope": True,
        "inside_in_init_scope": False,
    }
    logger = tf.get_logger()
    assert logger is logging.getLogger("tensorflow")


def test_control_dependencies():
    calls = []
    with tf.control_dependencies([lambda: calls.append(1), tf.constant(1)]):
        pass
    assert calls == [1]
    with tf.control_dependencies(None):
        pass
    v = tf.Variable(1.0)

    @tf.function
    def bump():
        with tf.control_dependencies([v.assign_add(1.0)]):
            return v.read_value()

    assert bump().numpy() == 2.0 and bump().numpy() == 3.0

    @tf.function
    def bad(x):
        with tf.control_dependencies([None]):
            return x

    with pytest.raises(TypeError, match="Can not convert a NoneType into a Tensor or Operation"):
        bad(tf.constant(1))


# -- tf.gradients / tf.hessians ---------------------------------------------------


def test_gradients_only_inside_functions():
    want = FIX["gradients"]
    assert outcome(lambda: tf.gradients(tf.constant(1.0), tf.constant(1.0))) == want["eager"]
    assert (
        outcome(lambda: tf.hessians(tf.constant(1.0), tf.constant(1.0))) == want["eager_hessians"]
    )


def test_gradients_values_match_tf():
    want = FIX["gradients"]

    @tf.function
    def second(x):
        g = tf.gradients(tf.matmul(x, x), x)[0]
        return tf.gradients(tf.reduce_sum(g * g), x)

    np.testing.assert_allclose(
        as_list(second(tf.constant([[1.0, 2.0], [3.0, 4.0]]))[0]), want["second_order"]
    )

    @tf.function
    def weighted(x, y):
        return tf.gradients([x * y, x], [x, y], grad_ys=[tf.constant(2.0), tf.constant(1.0)])

    assert [as_list(g) for g in weighted(tf.constant(3.0), tf.constant(4.0))] == want["grad_ys"]

    @tf.function
    def through_cond(x):
        y = tf.cond(x > 0, lambda: x * x * x, lambda: -x)
        return tf.gradients(y, x)

    assert [
        as_list(through_cond(tf.constant(2.0))[0]),
        as_list(through_cond(tf.constant(-2.0))[0]),
    ] == want["cond"]
    v = tf.Variable(2.0)

    @tf.function
    def with_variable(x):
        return tf.gradients(v * v * x, [v, x])

    assert [as_list(g) for g in with_variable(tf.constant(3.0))] == want["variable"]


def test_gradients_unconnected_stopped_and_sparse():
    @tf.function
    def f(x, y):
        return (
            tf.gradients(x * 2.0, [x, y]),
            tf.gradients(x * 2.0, [x, y], unconnected_gradients="zero"),
            tf.gradients(tf.cast(x, tf.int32), x),
        )

    plain, zeros, integer = f(tf.constant(3.0), tf.constant(4.0))
    assert plain[1] is None and zeros[1].numpy() == 0.0 and integer == [None]

    @tf.function
    def stopped(x):
        y = x * x
        return tf.gradients(y + x, x, stop_gradients=[y])

    assert stopped(tf.constant(3.0))[0].numpy() == 1.0

    @tf.function
    def gathered(x):
        return tf.gradients(tf.reduce_sum(tf.gather(x, [0, 0])), x)[0]

    g = gathered(tf.constant([3.0, 4.0]))
    assert isinstance(g, tf.IndexedSlices)
    assert tf.convert_to_tensor(g).numpy().tolist() == [2.0, 0.0]

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def partial(x):
        return tf.gradients(tf.reduce_sum(tf.sin(x) * x), x)[0]

    x = np.array([1.0, 2.0, 3.0], np.float32)
    np.testing.assert_allclose(
        partial(tf.constant(x)).numpy(), np.sin(x) + x * np.cos(x), rtol=1e-5
    )
    np.testing.assert_allclose(
        partial(tf.constant(x[:2])).numpy(), (np.sin(x) + x * np.cos(x))[:2], rtol=1e-5
    )


def test_hessians_match_tf():
    want = FIX["gradients"]

    @tf.function
    def hess(x):
        return tf.hessians(tf.reduce_sum(x**3 * tf.reverse(x, [0])), x)

    np.testing.assert_allclose(
        as_list(hess(tf.constant([1.0, 2.0, 0.5]))[0]), want["hessian"], rtol=1e-6
    )

    @tf.function
    def hess2d(x):
        return tf.hessians(tf.reduce_sum(tf.sin(x) * x), x)

    got = hess2d(tf.constant([[0.5, 1.0], [1.5, 2.0]]))[0]
    assert got.shape == (2, 2, 2, 2)
    np.testing.assert_allclose(as_list(got), want["hessian_2d"], rtol=1e-5, atol=1e-7)


# -- check numerics -----------------------------------------------------------------


def _core(message):
    start = message.index("!!!")
    return message[start : message.index("[Op:CheckNumericsV2]")]


def test_check_numerics_names_the_op_as_tf():
    want = FIX["check_numerics"]
    cases = {
        "log": lambda: tf.math.log(tf.constant([0.0, 1.0])),
        "div": lambda: tf.constant([1.0, -1.0]) / tf.constant([0.0, 0.0]),
        "sqrt": lambda: tf.sqrt(tf.constant([-1.0, 4.0])),
    }
    tf.debugging.enable_check_numerics()
    try:
        for name, fn in cases.items():
            got = outcome(fn)
            assert got["error"] == want[name]["error"] == "InvalidArgumentError"
            assert _core(got["message"]) == _core(want[name]["message"])
        assert outcome(lambda: as_list(tf.sqrt(tf.constant([4.0])))) == want["finite"]
        assert outcome(lambda: as_list(tf.constant([1]) // tf.constant([1]))) == want["integer"]

        @tf.function
        def traced(x):
            return tf.math.log(x)

        with pytest.raises(tf.errors.InvalidArgumentError, match='op "Log"'):
            traced(tf.constant([0.0]))
    finally:
        tf.debugging.disable_check_numerics()
    assert outcome(lambda: as_list(tf.math.log(tf.constant([0.0])))) == want["disabled"]


# -- tf.debugging ---------------------------------------------------------------------


def test_assert_same_float_dtype_and_proper_iterable_match_tf():
    want = FIX["debugging"]
    same = tf.debugging.assert_same_float_dtype
    proper = tf.debugging.assert_proper_iterable
    got_same = {
        "two_float32": outcome(lambda: same([tf.constant(1.0), tf.constant(2.0)]).name),
        "nothing": outcome(lambda: same().name),
        "dtype_only": outcome(lambda: same(None, tf.float64).name),
        "int_dtype": outcome(lambda: same(None, tf.int32)),
        "mixed": outcome(lambda: same([tf.constant(1.0), tf.constant(2.0, tf.float64)])),
        "ints": outcome(lambda: same([tf.constant(1), tf.constant(2)])),
        "against_dtype": outcome(lambda: same([tf.constant(1.0)], tf.float64)),
        "variable": outcome(lambda: same([tf.Variable(1.0)]).name),
    }
    assert got_same == want["same_float"]
    got_proper = {
        "list": outcome(lambda: proper([1, 2])),
        "str": outcome(lambda: proper("ab")),
        "bytes": outcome(lambda: proper(b"ab")),
        "int": outcome(lambda: proper(3)),
        "generator": outcome(lambda: proper(x for x in [])),
    }
    assert got_proper == want["proper_iterable"]
    for value in (tf.constant([1]), np.array([1]), tf.sparse.eye(2)):
        with pytest.raises(TypeError, match='to be a "proper" iterable'):
            proper(value)


# -- tf.config --------------------------------------------------------------------------


def test_config_optimizer_matches_tf(monkeypatch):
    from tensorflux import config_optimizer

    monkeypatch.setattr(config_optimizer, "_state", {"jit": False, "options": {}})
    want = FIX["config"]
    opt = tf.config.optimizer
    assert opt.get_jit() == want["jit_default"]
    assert opt.get_experimental_options() == want["options_default"]
    opt.set_jit(True)
    assert opt.get_jit() == want["jit_true"]
    opt.set_jit("foo")
    assert opt.get_jit() == want["jit_foo"]
    opt.set_jit("autoclustering")
    assert opt.get_jit() == want["jit_autoclustering"]
    opt.set_jit(False)
    opt.set_experimental_options({"constant_folding": True, "min_graph_nodes": 3, "foo": True})
    assert opt.get_experimental_options() == want["options_set"]
    opt.set_experimental_options(
        {"remapping": False, "disable_meta_optimizer": True, "auto_parallel": True}
    )
    assert opt.get_experimental_options() == want["options_more"]


def test_config_logical_devices_match_tf(monkeypatch):
    from tensorflux import config_devices

    monkeypatch.setattr(config_devices, "_state", {"virtual": {}, "initialized": False})
    want = FIX["config"]
    config = tf.config
    assert repr(config.LogicalDeviceConfiguration()) == want["ldc_repr"]
    cpu = config.list_physical_devices("CPU")[0]
    assert repr(config.get_logical_device_configuration(cpu)) == want["ldc_unset"]
    assert outcome(lambda: config.get_logical_device_configuration("x")) == want["ldc_bad_device"]
    assert (
        outcome(
            lambda: config.set_logical_device_configuration(
                cpu, [config.LogicalDeviceConfiguration(memory_limit=10)]
            )
        )
        == want["ldc_memory"]
    )
    two = [config.LogicalDeviceConfiguration(), config.LogicalDeviceConfiguration()]
    config.set_logical_device_configuration(cpu, two)
    assert [d.name for d in config.list_logical_devices()] == want["logical_after_split"]
    assert config.get_logical_device_configuration(cpu) == two
    assert (
        outcome(
            lambda: config.set_logical_device_configuration(
                cpu, [config.LogicalDeviceConfiguration()]
            )
        )
        == want["ldc_after_init"]
    )
    config.set_logical_device_configuration(cpu, two)  # unchanged: accepted
    with tf.device("/CPU:1"):
        assert (tf.constant(1.0) + 1.0).numpy() == 2.0


def test_config_cluster_and_eager_switches():
    want = FIX["config"]
    assert (
        outcome(lambda: tf.config.experimental_connect_to_cluster(None)) == want["connect_cluster"]
    )
    assert outcome(lambda: tf.config.experimental_connect_to_host(None)) == want["connect_host"]
    with pytest.raises(tf.errors.UnavailableError):
        tf.config.experimental_connect_to_host("localhost:1234")
    assert not tf.config.experimental_functions_run_eagerly()
    tf.config.experimental_run_functions_eagerly(True)
    try:
        assert tf.config.functions_run_eagerly()
        assert tf.config.experimental_functions_run_eagerly()
    finally:
        tf.config.experimental_run_functions_eagerly(False)


# -- tf.autograph -------------------------------------------------------------------------


def test_autograph_tools(capsys):
    def relu(x):
        if x > 0:
            return x
        return 0.0

    code = tf.autograph.to_code(relu)
    assert code.startswith("def relu(x):") and "ag__.if_stmt" in code
    assert "ag__" in tf.autograph.to_code(tf.function(relu))
    with pytest.raises(ValueError, match="Cannot apply autograph"):
        tf.autograph.to_code(len)
    tf.autograph.trace("step", 1)
    assert capsys.readouterr().out == "step 1\n"
    tf.autograph.set_verbosity(3, alsologtostdout=True)
    tf.autograph.set_verbosity(0)
