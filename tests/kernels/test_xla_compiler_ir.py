"""``Function.experimental_get_compiler_ir``: the XLA program of a jit_compile=True
function at each of TF's stages, and TF's errors (checked against TF 2.21)."""

import numpy as np
import pytest

jax = pytest.importorskip("jax", reason="needs the xla extra: pip install tensorflux[xla]")

import tensorflux as tf  # noqa: E402


def test_each_stage_gives_the_program():
    f = tf.function(lambda x: tf.nn.relu(x) * 2.0, jit_compile=True)
    ir = f.experimental_get_compiler_ir(tf.constant([1.0, -2.0]))
    hlo = ir()
    assert hlo.startswith("HloModule") and "f32[2]" in hlo
    assert ir(stage="optimized_hlo").startswith("HloModule")
    assert ir(stage="optimized_hlo_dot").startswith("digraph G")
    for stage in ("hlo_serialized", "optimized_hlo_serialized"):
        assert isinstance(ir(stage=stage), bytes) and ir(stage=stage)
    with pytest.raises(ValueError, match="Invalid stage selected: 'bad'"):
        ir(stage="bad")
    # Asking for the program runs nothing.
    np.testing.assert_array_equal(f(tf.constant([1.0, -2.0])).numpy(), [2.0, 0.0])


def test_variables_and_random_draws_are_arguments_and_nothing_changes():
    v = tf.Variable(1.0)
    f = tf.function(lambda x: v.assign_add(x * tf.random.uniform([])), jit_compile=True)
    assert "HloModule" in f.experimental_get_compiler_ir(tf.constant(1.0))()
    assert float(v.numpy()) == 1.0


def test_errors_as_tf():
    with pytest.raises(ValueError, match="only be returned for functions marked with"):
        tf.function(lambda x: x).experimental_get_compiler_ir(tf.constant(1.0))
    refused = tf.function(tf.strings.length, jit_compile=True)
    with pytest.raises(ValueError, match="Failed getting HLO text: 'Detected unsupported"):
        refused.experimental_get_compiler_ir(tf.constant(["a"]))()

    def first_of_each(x):
        return tf.unique(x)[0]

    with pytest.warns(UserWarning, match="Unique"):
        falls_back = tf.function(first_of_each, jit_compile=True)
        falls_back(tf.constant([1, 1]))
    with pytest.raises(tf.errors.UnimplementedError, match="runs on tensorflux's executor"):
        falls_back.experimental_get_compiler_ir(tf.constant([1, 1]))()
