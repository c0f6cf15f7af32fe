"""Records TF 2.21's behaviour of the framework-level names (dtypes, DeviceSpec,
tf.gradients, check numerics, tf.config settings...) into
``tests/fixtures/framework_names.json``.

    /path/to/tf-venv/bin/python tests/framework/record_framework_names_fixtures.py
"""

import json
import os

import numpy as np
import tensorflow as tf

OUT = os.path.join(os.path.dirname(__file__), "..", "fixtures", "framework_names.json")


def outcome(fn):
    """``{"value": ...}`` or ``{"error": type name, "message": text}``."""
    try:
        value = fn()
    except Exception as e:  # noqa: BLE001 - the error is what is recorded
        return {"error": type(e).__name__, "message": str(e)}
    return {"value": value}


def as_list(x):
    return None if x is None else np.asarray(tf.convert_to_tensor(x)).tolist()


def dtypes_record():
    rows = {}
    for name in ("qint8", "qint16", "qint32", "quint8", "quint16", "resource", "variant"):
        d = getattr(tf, name)
        rows[name] = {
            "enum": d.as_datatype_enum,
            "str": str(d),
            "repr": repr(d),
            "is_quantized": d.is_quantized,
            "is_numeric": d.is_numeric,
            "is_integer": d.is_integer,
            "is_floating": d.is_floating,
            "size": d.size,
            "min": outcome(lambda d=d: d.min),
            "max": outcome(lambda d=d: d.max),
            "numpy": outcome(lambda d=d: str(d.as_numpy_dtype)),
        }
    rows["quantized"] = sorted(d.name for d in tf.dtypes.QUANTIZED_DTYPES if "_ref" not in d.name)
    return rows


DEVICE_STRINGS = [
    "/job:w/replica:0/task:1/device:GPU:2",
    "/cpu:0",
    "CPU:1",
    "/device:GPU:*",
    "/task:3",
    "",
    "gpu",
    "/job:a/job:b",
    "/job:w/device:cpu:0",
    "/device:tpu_system:0",
    "/foo:1",
    "/device:GPU:x",
    "/replica:x",
    "/gpu:0:1",
    "/gpu:0/cpu:0",
]


def _enter(name):
    with tf.device(name):
        pass


def device_record():
    spec = tf.DeviceSpec.from_string("/job:w/replica:0/task:1/device:GPU:2")
    return {
        "parse": {
            s: outcome(lambda s=s: tf.DeviceSpec.from_string(s).to_string()) for s in DEVICE_STRINGS
        },
        "repr": repr(spec),
        "replace": spec.replace(job="x", device_index=None).to_string(),
        "merged": spec.make_merged_spec(tf.DeviceSpec(job="z", device_type="CPU")).to_string(),
        "merged_keeps_index": tf.DeviceSpec(device_type="CPU", device_index=0)
        .make_merged_spec(tf.DeviceSpec(device_type="GPU"))
        .to_string(),
        "lowercase_type": tf.DeviceSpec(device_type="cpu").device_type,
        "device_errors": {repr(arg): outcome(lambda arg=arg: _enter(arg)) for arg in ("foo", 3)},
    }


def gradients_record():
    rows = {}

    @tf.function
    def second(x):
        g = tf.gradients(tf.matmul(x, x), x)[0]
        return tf.gradients(tf.reduce_sum(g * g), x)

    rows["second_order"] = as_list(second(tf.constant([[1.0, 2.0], [3.0, 4.0]]))[0])

    @tf.function
    def weighted(x, y):
        return tf.gradients([x * y, x], [x, y], grad_ys=[tf.constant(2.0), tf.constant(1.0)])

    rows["grad_ys"] = [as_list(g) for g in weighted(tf.constant(3.0), tf.constant(4.0))]

    @tf.function
    def hess(x):
        return tf.hessians(tf.reduce_sum(x**3 * tf.reverse(x, [0])), x)

    rows["hessian"] = as_list(hess(tf.constant([1.0, 2.0, 0.5]))[0])

    @tf.function
    def hess2d(x):
        return tf.hessians(tf.reduce_sum(tf.sin(x) * x), x)

    rows["hessian_2d"] = as_list(hess2d(tf.constant([[0.5, 1.0], [1.5, 2.0]]))[0])

    @tf.function
    def through_cond(x):
        y = tf.cond(x > 0, lambda: x * x * x, lambda: -x)
        return tf.gradients(y, x)

    rows["cond"] = [
        as_list(through_cond(tf.constant(2.0))[0]),
        as_list(through_cond(tf.constant(-2.0))[0]),
    ]

    v = tf.Variable(2.0)

    @tf.function
    def with_variable(x):
        return tf.gradients(v * v * x, [v, x])

    rows["variable"] = [as_list(g) for g in with_variable(tf.constant(3.0))]
    rows["eager"] = outcome(lambda: tf.gradients(tf.constant(1.0), tf.constant(1.0)))
    rows["eager_hessians"] = outcome(lambda: tf.hessians(tf.constant(1.0), tf.constant(1.0)))
    return rows


def check_numerics_record():
    rows = {}
    tf.debugging.enable_check_numerics()
    cases = {
        "log": lambda: tf.math.log(tf.constant([0.0, 1.0])),
        "div": lambda: tf.constant([1.0, -1.0]) / tf.constant([0.0, 0.0]),
        "sqrt": lambda: tf.sqrt(tf.constant([-1.0, 4.0])),
    }
    for name, fn in cases.items():
        rows[name] = outcome(fn)
    rows["finite"] = outcome(lambda: as_list(tf.sqrt(tf.constant([4.0]))))
    rows["integer"] = outcome(lambda: as_list(tf.constant([1]) // tf.constant([1])))
    tf.debugging.disable_check_numerics()
    rows["disabled"] = outcome(lambda: as_list(tf.math.log(tf.constant([0.0]))))
    return rows


def debugging_record():
    same = tf.debugging.assert_same_float_dtype
    proper = tf.debugging.assert_proper_iterable
    return {
        "same_float": {
            "two_float32": outcome(lambda: same([tf.constant(1.0), tf.constant(2.0)]).name),
            "nothing": outcome(lambda: same().name),
            "dtype_only": outcome(lambda: same(None, tf.float64).name),
            "int_dtype": outcome(lambda: same(None, tf.int32)),
            "mixed": outcome(lambda: same([tf.constant(1.0), tf.constant(2.0, tf.float64)])),
            "ints": outcome(lambda: same([tf.constant(1), tf.constant(2)])),
            "against_dtype": outcome(lambda: same([tf.constant(1.0)], tf.float64)),
            "variable": outcome(lambda: same([tf.Variable(1.0)]).name),
        },
        "proper_iterable": {
            "list": outcome(lambda: proper([1, 2])),
            "str": outcome(lambda: proper("ab")),
            "bytes": outcome(lambda: proper(b"ab")),
            "int": outcome(lambda: proper(3)),
            "generator": outcome(lambda: proper(x for x in [])),
        },
    }


def config_record():
    opt = tf.config.optimizer
    rows = {"jit_default": opt.get_jit(), "options_default": opt.get_experimental_options()}
    opt.set_jit(True)
    rows["jit_true"] = opt.get_jit()
    opt.set_jit("foo")
    rows["jit_foo"] = opt.get_jit()
    opt.set_jit("autoclustering")
    rows["jit_autoclustering"] = opt.get_jit()
    opt.set_jit(False)
    opt.set_experimental_options({"constant_folding": True, "min_graph_nodes": 3, "foo": True})
    rows["options_set"] = opt.get_experimental_options()
    opt.set_experimental_options(
        {"remapping": False, "disable_meta_optimizer": True, "auto_parallel": True}
    )
    rows["options_more"] = opt.get_experimental_options()
    rows["ldc_repr"] = repr(tf.config.LogicalDeviceConfiguration())
    cpu = tf.config.list_physical_devices("CPU")[0]
    rows["ldc_unset"] = repr(tf.config.get_logical_device_configuration(cpu))
    rows["ldc_bad_device"] = outcome(lambda: tf.config.get_logical_device_configuration("x"))
    rows["ldc_memory"] = outcome(
        lambda: tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration(memory_limit=10)]
        )
    )
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()]
    )
    rows["logical_after_split"] = [d.name for d in tf.config.list_logical_devices()]
    rows["ldc_after_init"] = outcome(
        lambda: tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration()]
        )
    )
    rows["connect_cluster"] = outcome(lambda: tf.config.experimental_connect_to_cluster(None))
    rows["connect_host"] = outcome(lambda: tf.config.experimental_connect_to_host(None))
    return rows


def variables_record():
    return {
        "aggregation": [repr(a) for a in tf.VariableAggregation],
        "synchronization": [repr(s) for s in tf.VariableSynchronization],
        "aggregation_method": {
            k: getattr(tf.AggregationMethod, k)
            for k in ("ADD_N", "DEFAULT", "EXPERIMENTAL_TREE", "EXPERIMENTAL_ACCUMULATE_N")
        },
        "bad_aggregation": outcome(lambda: tf.Variable(1.0, aggregation="sum")),
        "bad_synchronization": outcome(lambda: tf.Variable(1.0, synchronization="x")),
        "int_aggregation": outcome(lambda: tf.Variable(1.0, aggregation=3).aggregation.name),
        "on_read_trainable": tf.Variable(
            1.0, synchronization=tf.VariableSynchronization.ON_READ
        ).trainable,
    }


def type_specs_record():
    values = {
        "tensor": lambda: tf.constant([1.0, 2.0]),
        "numpy": lambda: np.array([1, 2]),
        "int": lambda: 3,
        "list": lambda: [1, 2],
        "str": lambda: "a",
        "none": lambda: None,
        "variable": lambda: tf.Variable([1.0]),
        "sparse": lambda: tf.sparse.eye(2),
        "ragged": lambda: tf.ragged.constant([[1], [2, 3]]),
        "indexed_slices": lambda: tf.IndexedSlices(
            tf.constant([[1.0]]), tf.constant([0]), tf.constant([3, 1])
        ),
        "indexed_slices_no_shape": lambda: tf.IndexedSlices(
            tf.constant([[1.0, 2.0]]), tf.constant([0], tf.int64)
        ),
        "tensor_array": lambda: tf.TensorArray(tf.float32, size=2),
        "tensor_array_shaped": lambda: tf.TensorArray(
            tf.int32, size=0, dynamic_size=True, element_shape=[3]
        ),
        "dict": lambda: {"a": 1},
    }
    rows = {
        name: outcome(lambda make=make: repr(tf.type_spec_from_value(make())))
        for name, make in values.items()
    }
    rows["specs"] = {
        "indexed_default": repr(tf.IndexedSlicesSpec()),
        "indexed_full": repr(tf.IndexedSlicesSpec([None, 3], tf.float64, tf.int32, tf.int64, [4])),
        "none": repr(tf.NoneTensorSpec()),
        "tensor_array": repr(tf.TensorArraySpec([2], tf.float32)),
        "tensor_array_default": repr(tf.TensorArraySpec()),
        "abstract": outcome(lambda: tf.TypeSpec()),
        "supertype": repr(
            tf.TensorSpec([2], tf.float32).most_specific_common_supertype(
                [tf.TensorSpec([3], tf.float32)]
            )
        ),
        "indexed_compatible": tf.IndexedSlicesSpec([None, 3]).is_compatible_with(
            tf.IndexedSlicesSpec([2, 3])
        ),
        "indexed_incompatible": tf.IndexedSlicesSpec([None, 3]).is_compatible_with(
            tf.IndexedSlicesSpec([2, 4])
        ),
        "subclasses": [
            issubclass(c, tf.TypeSpec)
            for c in (tf.TensorSpec, tf.SparseTensorSpec, tf.RaggedTensorSpec, tf.IndexedSlicesSpec)
        ],
    }
    return rows


def _without_location(result):
    """The outcome with TF's "(Previous registration was in <file>)" cut off."""
    if "message" in result:
        result["message"] = result["message"].split(" (Previous registration")[0]
    return result


def gradient_registry_record():
    rows = {
        "not_string": outcome(lambda: tf.RegisterGradient(3)),
        "no_gradient_not_string": outcome(lambda: tf.no_gradient(3)),
        "taken": outcome(lambda: tf.RegisterGradient("Relu")(lambda op, g: g)),
        "not_differentiable_taken": outcome(lambda: tf.RegisterGradient("ArgMax")(lambda op, g: g)),
        "no_gradient_taken": outcome(lambda: tf.no_gradient("Relu")),
        "no_gradient_new": outcome(lambda: tf.no_gradient("MyLookupOp")),
    }
    seen = {}

    @tf.RegisterGradient("TruncateMod")
    def _truncate_mod_grad(op, grad):
        seen["type"] = op.type
        seen["inputs"] = len(op.inputs)
        seen["outputs"] = len(op.outputs)
        return [grad * 2.0, None]

    @tf.function
    def f(x, y):
        return tf.gradients(tf.truncatemod(x, y) * 3.0, [x, y])

    gx, gy = f(tf.constant([5.0, 7.0]), tf.constant([3.0, 4.0]))
    rows["traced"] = [as_list(gx), gy]
    x = tf.constant([5.0, 7.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        z = tf.truncatemod(x, tf.constant([3.0, 4.0]))
    rows["eager"] = as_list(tape.gradient(z, x))
    rows["seen"] = seen
    rows["registered_twice"] = outcome(lambda: tf.RegisterGradient("TruncateMod")(lambda op, g: g))
    return {name: _without_location(r) if isinstance(r, dict) else r for name, r in rows.items()}


def keras_weights_record():
    import tf_keras

    layer = tf_keras.layers.Layer()

    def modes(w):
        return [w.trainable, repr(w.synchronization), repr(w.aggregation)]

    on_read = layer.add_weight("a", shape=(), synchronization=tf.VariableSynchronization.ON_READ)
    mean = layer.add_weight("c", shape=(), aggregation=tf.VariableAggregation.MEAN)
    return {
        "on_read": modes(on_read),
        "mean": modes(mean),
        "on_read_trainable": outcome(
            lambda: layer.add_weight(
                "b", shape=(), synchronization=tf.VariableSynchronization.ON_READ, trainable=True
            )
        ),
        "aggregation_string": outcome(lambda: layer.add_weight("d", shape=(), aggregation="sum")),
    }


def main():
    # First: TF's logical devices can be split only before any op runs.
    config = config_record()
    record = {
        "config": config,
        "dtypes": dtypes_record(),
        "device": device_record(),
        "gradients": gradients_record(),
        "check_numerics": check_numerics_record(),
        "debugging": debugging_record(),
        "variables": variables_record(),
        "type_specs": type_specs_record(),
        "gradient_registry": gradient_registry_record(),
        "keras_weights": keras_weights_record(),
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(record, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
