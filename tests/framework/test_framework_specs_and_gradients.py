"""Framework-level ``tf.*`` names, second part: tf.TypeSpec and the specs,
tf.RegisterGradient/no_gradient/Operation and tf.CriticalSection, against TF 2.21's
recorded behaviour (``record_framework_names_fixtures.py``)."""

import json
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


# -- type specs ----------------------------------------------------------------------------

_SPEC_VALUES = {
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


@pytest.mark.parametrize("name", sorted(_SPEC_VALUES))
def test_type_spec_from_value_matches_tf(name):
    got = outcome(lambda: repr(tf.type_spec_from_value(_SPEC_VALUES[name]())))
    assert got == FIX["type_specs"][name]


def test_type_spec_from_value_inside_function():
    @tf.function
    def f(x):
        return tf.constant(repr(tf.type_spec_from_value(x)))

    assert (
        f(tf.constant([1.0, 2.0])).numpy() == b"TensorSpec(shape=(2,), dtype=tf.float32, name=None)"
    )


def test_type_spec_classes_match_tf():
    want = FIX["type_specs"]["specs"]
    assert repr(tf.IndexedSlicesSpec()) == want["indexed_default"]
    full = tf.IndexedSlicesSpec([None, 3], tf.float64, tf.int32, tf.int64, [4])
    assert repr(full) == want["indexed_full"]
    assert repr(tf.NoneTensorSpec()) == want["none"]
    assert repr(tf.TensorArraySpec([2], tf.float32)) == want["tensor_array"]
    assert repr(tf.TensorArraySpec()) == want["tensor_array_default"]
    assert outcome(lambda: tf.TypeSpec()) == want["abstract"]
    supertype = tf.TensorSpec([2], tf.float32).most_specific_common_supertype(
        [tf.TensorSpec([3], tf.float32)]
    )
    assert repr(supertype) == want["supertype"]
    assert (
        tf.IndexedSlicesSpec([None, 3]).is_compatible_with(tf.IndexedSlicesSpec([2, 3]))
        == want["indexed_compatible"]
    )
    assert (
        tf.IndexedSlicesSpec([None, 3]).is_compatible_with(tf.IndexedSlicesSpec([2, 4]))
        == want["indexed_incompatible"]
    )
    classes = (tf.TensorSpec, tf.SparseTensorSpec, tf.RaggedTensorSpec, tf.IndexedSlicesSpec)
    assert [issubclass(c, tf.TypeSpec) for c in classes] == want["subclasses"]
    assert tf.IndexedSlicesSpec([2, 3]) == tf.IndexedSlicesSpec([2, 3])
    assert len({tf.IndexedSlicesSpec([2, 3]), tf.IndexedSlicesSpec([2, 3])}) == 1
    assert tf.NoneTensorSpec().is_compatible_with(None)
    assert tf.TensorArraySpec().value_type is tf.TensorArray
    assert tf.IndexedSlicesSpec().value_type is tf.IndexedSlices
    assert tf.TensorSpec([1]).value_type is tf.Tensor
    ta = tf.TensorArray(tf.float32, size=1, element_shape=[2])
    assert tf.TensorArraySpec([2], tf.float32).is_compatible_with(ta)
    assert tf.TensorSpec([None]).is_subtype_of(tf.TensorSpec(None))
    assert not tf.TensorSpec(None).is_subtype_of(tf.TensorSpec([None]))


# -- RegisterGradient / no_gradient / Operation ------------------------------------------------


def _registration_prefix(result):
    if "message" in result:
        result = dict(result, message=result["message"].split(" (Previous registration")[0])
    return result


def test_gradient_registrations_refused_as_in_tf():
    want = FIX["gradient_registry"]
    cases = {
        "not_string": lambda: tf.RegisterGradient(3),
        "no_gradient_not_string": lambda: tf.no_gradient(3),
        "taken": lambda: tf.RegisterGradient("Relu")(lambda op, g: g),
        "not_differentiable_taken": lambda: tf.RegisterGradient("ArgMax")(lambda op, g: g),
        "no_gradient_taken": lambda: tf.no_gradient("Relu"),
    }
    for name, fn in cases.items():
        assert _registration_prefix(outcome(fn)) == want[name], name


def test_registered_gradient_is_used_eagerly_and_in_functions(monkeypatch):
    from tensorflux.engine import gradient_registry, registry

    op = registry.get("TruncateMod")
    monkeypatch.setattr(op, "grad", None)
    monkeypatch.setattr(op, "differentiable", False)
    monkeypatch.setattr(gradient_registry, "_registered", {})
    want = FIX["gradient_registry"]
    assert outcome(lambda: tf.no_gradient("MyLookupOp")) == want["no_gradient_new"]
    seen = {}

    @tf.RegisterGradient("TruncateMod")
    def _truncate_mod_grad(op, grad):
        assert isinstance(op, tf.Operation)
        seen["type"] = op.type
        seen["inputs"] = len(op.inputs)
        seen["outputs"] = len(op.outputs)
        return [grad * 2.0, None]

    @tf.function
    def f(x, y):
        return tf.gradients(tf.truncatemod(x, y) * 3.0, [x, y])

    gx, gy = f(tf.constant([5.0, 7.0]), tf.constant([3.0, 4.0]))
    assert [as_list(gx), gy] == want["traced"]
    x = tf.constant([5.0, 7.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        z = tf.truncatemod(x, tf.constant([3.0, 4.0]))
    assert as_list(tape.gradient(z, x)) == want["eager"]
    assert seen == want["seen"]
    again = outcome(lambda: tf.RegisterGradient("TruncateMod")(lambda op, g: g))
    assert _registration_prefix(again) == want["registered_twice"]


def test_operation_view_attributes():
    from tensorflux.engine import registry
    from tensorflux.engine.gradient_registry import Operation

    call = registry.OpCall(
        registry.get("MatMul"),
        (tf.constant([[1.0]]), tf.constant([[2.0]])),
        (tf.constant([[2.0]]),),
        {"transpose_a": False, "transpose_b": False},
    )
    op = Operation(call)
    assert op.type == "MatMul" and op.get_attr("transpose_a") is False
    assert len(op.inputs) == 2 and len(op.outputs) == 1 and op.graph is None
    with pytest.raises(ValueError, match="has no attr named 'nope'"):
        op.get_attr("nope")


# -- CriticalSection ------------------------------------------------------------------------------


def test_critical_section_runs_functions_exclusively():
    import threading

    section = tf.CriticalSection()
    counter = tf.Variable(0)
    first = section.execute(lambda: counter.assign_add(1))
    assert isinstance(first, tf.Tensor) and first.numpy() == 1
    assert section.execute(lambda: 5).numpy() == 5
    with pytest.raises(AttributeError, match="Tensor.op is undefined"):
        _ = section.name

    def work():
        for _ in range(50):
            section.execute(lambda: counter.assign(counter.read_value() + 1))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert counter.numpy() == 201
    with pytest.raises(ValueError, match="in which we are already running"):
        section.execute(lambda: section.execute(lambda: 1))

    @tf.function
    def bump():
        return section.execute(lambda: counter.assign_add(10))

    assert bump().numpy() == 211 and bump().numpy() == 221


def test_critical_section_trace_time_checks():
    v = tf.Variable(0)
    one, two = tf.CriticalSection(), tf.CriticalSection()

    @tf.function
    def nested():
        return one.execute(lambda: one.execute(lambda: v.read_value()))

    with pytest.raises(ValueError, match="in which we are already running"):
        nested()

    @tf.function
    def shared():
        one.execute(lambda: v.assign_add(1))
        return two.execute(lambda: v.assign_add(1))

    with pytest.raises(ValueError, match="requested exclusive resource access"):
        shared()

    @tf.function
    def shared_ok():
        one.execute(lambda: v.assign_add(1), exclusive_resource_access=False)
        return two.execute(lambda: v.assign_add(1), exclusive_resource_access=False)

    assert shared_ok().numpy() == 2
    with pytest.raises(ValueError, match="critical_section_def` is not supported"):
        tf.CriticalSection(critical_section_def=object())
