"""The tf.function example programs compute what they claim.

The examples are imported from ``examples/`` and checked by value; each script
also runs as a program in a fresh interpreter.
"""

from __future__ import annotations

import numpy as np
import pytest

import tensorflux as tf
from tests.example_runner import load_example, run_example_script


@pytest.fixture(scope="module")
def linear():
    return load_example("function_linear_map")


@pytest.fixture(scope="module")
def descent():
    return load_example("function_gradient_descent")


@pytest.fixture(scope="module")
def vae():
    return load_example("function_vae_patterns")


def test_linear_map_reads_the_variable_each_call(linear):
    r = linear.run()
    np.testing.assert_array_equal(r["ones"], np.full((20, 1), 21.0))
    np.testing.assert_array_equal(r["twos"], np.full((20, 1), 41.0))
    np.testing.assert_array_equal(r["after_assign"], np.full((20, 1), 3.0))
    assert r["traces"] == 1  # NumPy and tensor inputs of one shape share the trace


def test_decorated_update_step_reaches_the_minimum(descent):
    lines = []
    assert descent.descend(log=lines.append) == pytest.approx(2.0, abs=1e-3)
    assert lines[0] == "iteration  0  x 8.4000  y 64.0000"
    assert descent.do_update.experimental_get_tracing_count() == 1


def test_vae_train_step_lowers_the_loss_with_one_trace(vae):
    model, losses = vae.train(steps=300, log=lambda line: None)
    assert np.mean(losses[-50:]) < np.mean(losses[:50]) - 0.8
    assert vae.train_step.experimental_get_tracing_count() == 1
    # The decoder has learned the two patterns at opposite latent points.
    probs = model.sample(tf.constant([[3.0, 0.0], [-3.0, 0.0]])).numpy()
    assert set(map(tuple, np.round(probs))) == {(1, 1, 1, 0, 0, 0), (0, 0, 0, 1, 1, 1)}


def test_vae_train_step_updates_every_variable_by_gradient_descent(vae):
    model, optimizer = vae.DenseVAE(seed=1), vae.GradientDescent(0.1)
    before = [v.numpy().copy() for v in model.trainable_variables]
    ids = [id(v) for v in model.trainable_variables]
    loss = vae.train_step(model, next(vae.make_batches(1)), optimizer)
    assert np.isfinite(loss.numpy()) and loss.shape == ()
    assert [id(v) for v in model.trainable_variables] == ids
    assert all(
        not np.array_equal(b, v.numpy())
        for b, v in zip(before, model.trainable_variables, strict=True)
    )


def test_vae_sample_draws_new_noise_per_call_with_one_trace(vae):
    model = vae.DenseVAE(seed=2)
    first, second = model.sample(), model.sample()
    assert first.shape == (100, 6)
    assert not np.allclose(first.numpy(), second.numpy())
    assert model.sample.experimental_get_tracing_count() == 1
    eps = tf.zeros([3, 2])
    np.testing.assert_allclose(
        model.sample(eps).numpy(), tf.sigmoid(model.dec_b).numpy()[None].repeat(3, 0), rtol=1e-6
    )
    model.sample(tf.ones([3, 2]))
    assert model.sample.experimental_get_tracing_count() == 2  # eps given: one more trace
    other = vae.DenseVAE(seed=3)
    other.sample()
    assert other.sample.experimental_get_tracing_count() == 1  # per-instance cache


@pytest.mark.parametrize(
    "script, expected",
    [
        ("function_linear_map.py", "L(ones)[:3] = [21. 21. 21.]"),
        ("function_gradient_descent.py", "minimum found at x = 2.000"),
        ("function_vae_patterns.py", "two calls of sample() differ: True"),
    ],
)
def test_script_runs_as_a_program(script, expected):
    run_example_script(script, expected)
