"""tf.train's utilities: ExponentialMovingAverage (against TF's recorded trajectories),
Coordinator, checkpoints_iterator, CheckpointOptions, TrackableView, CheckpointView."""

import json
import os
import threading

import numpy as np
import pytest

import tensorflux as tf

with open(
    os.path.join(os.path.dirname(os.path.dirname(__file__)), "fixtures", "moving_averages.json"),
    encoding="utf-8",
) as _f:
    EMA_FIXTURE = json.load(_f)


@pytest.mark.parametrize("case", EMA_FIXTURE["cases"], ids=lambda c: f"{c['decay']}")
def test_moving_average_trajectory_matches_tf(case):
    steps = None if case["num_updates"] is None else tf.Variable(case["num_updates"])
    ema = tf.train.ExponentialMovingAverage(case["decay"], num_updates=steps)
    var = tf.Variable(EMA_FIXTURE["values"][0])

    def step():
        ema.apply([var])
        return ema.average(var).read_value()

    if case["in_function"]:
        step = tf.function(step)
    for values, expected in zip(EMA_FIXTURE["values"], case["averages"]):
        var.assign(values)
        if steps is not None:
            steps.assign_add(1)
        np.testing.assert_allclose(step().numpy(), expected, rtol=1e-6)
    assert ema.average(var).trainable is False


def test_moving_average_names_are_made_unique_as_tf_does():
    var = tf.Variable(1.0, name="weights")
    first, second = tf.train.ExponentialMovingAverage(0.9), tf.train.ExponentialMovingAverage(0.9)
    expected = first.average_name(var)
    first.apply([var])
    assert first.average(var).name == expected + ":0"
    assert second.average_name(var) != expected
    second.apply([var])
    assert second.average(var).name == second.average_name(var) + ":0"
    assert first.variables_to_restore([var]) == {expected: var}


def test_moving_average_refuses_what_tf_refuses():
    ema = tf.train.ExponentialMovingAverage(0.9)
    with pytest.raises(TypeError, match="non-Variable tensors"):
        ema.apply([tf.constant(1.0)])
    with pytest.raises(TypeError, match="half, float, or double"):
        ema.apply([tf.Variable(1)])
    with pytest.raises(ValueError):
        v = tf.Variable(1.0)
        ema.apply([v, v])
    assert ema.average(tf.Variable(2.0)) is None


def test_coordinator_reraises_the_first_exception_in_join():
    coord = tf.train.Coordinator()

    def failing(message):
        with coord.stop_on_exception():
            raise ValueError(message)

    def polling():
        while not coord.should_stop():
            coord.wait_for_stop(0.01)

    threads = [threading.Thread(target=polling) for _ in range(2)]
    threads.append(threading.Thread(target=failing, args=("first",)))
    for t in threads:
        t.start()
    with pytest.raises(ValueError, match="first"):
        coord.join(threads, stop_grace_period_secs=5)
    assert coord.joined and coord.should_stop()
    coord.clear_stop()
    assert not coord.should_stop() and not coord.joined


def test_coordinator_clean_stops_and_stragglers():
    coord = tf.train.Coordinator()
    with coord.stop_on_exception():
        raise tf.errors.OutOfRangeError(None, None, "end of data")
    assert coord.should_stop()
    coord.join([])
    release = threading.Event()
    straggler = threading.Thread(target=release.wait, name="straggler")
    straggler.start()
    coord = tf.train.Coordinator()
    coord.register_thread(straggler)
    coord.request_stop()
    with pytest.raises(RuntimeError, match="straggler"):
        coord.join(stop_grace_period_secs=0.05)
    release.set()
    straggler.join()
    with pytest.raises(ValueError, match="ex must be a tuple"):
        tf.train.Coordinator().request_stop(ValueError("not being handled"))


def test_checkpoints_iterator_yields_new_checkpoints_then_times_out(tmp_path):
    checkpoint = tf.train.Checkpoint(v=tf.Variable(1.0))
    first = checkpoint.save(str(tmp_path / "ckpt"))
    seen = []
    calls = []

    def timeout_fn():
        calls.append(1)
        if len(calls) == 1:
            checkpoint.save(str(tmp_path / "ckpt"))
            return False
        return True

    for path in tf.train.checkpoints_iterator(str(tmp_path), timeout=0, timeout_fn=timeout_fn):
        seen.append(path)
    assert seen[0] == first and len(seen) == 2 and seen[1].endswith("ckpt-2")


def test_checkpoint_options_write_callbacks_run_after_the_write(tmp_path):
    saved = []
    options = tf.train.CheckpointOptions(
        experimental_write_callbacks=[saved.append, lambda: saved.append("done")]
    )
    path = tf.train.Checkpoint(v=tf.Variable(1.0)).write(str(tmp_path / "c"), options=options)
    assert saved == [path, "done"]
    assert tf.train.CheckpointOptions(experimental_enable_async_checkpoint=True).enable_async
    with pytest.raises(TypeError):
        tf.train.CheckpointOptions(experimental_write_callbacks=["not callable"])


def test_trackable_and_checkpoint_views(tmp_path):
    root = tf.Module()
    root.a = tf.Variable(5.0)
    root.leaf = tf.Module()
    root.leaf.b = tf.Variable(4.0)
    root.items = [tf.Variable(1.0), tf.Variable(2.0)]
    view = tf.train.TrackableView(root)
    assert view.root is root
    assert list(view.children(root)) == ["a", "leaf", "items"]
    assert len(view.descendants()) == 7

    path = tf.train.Checkpoint(root).write(str(tmp_path / "ckpt"))
    saved = tf.train.CheckpointView(path)
    children = saved.children(0)
    assert {"a", "leaf", "items"} <= set(children)
    assert saved.descendants()[0] == 0 and len(saved.descendants()) == len(set(saved.descendants()))

    other = tf.Module()
    other.a = tf.Variable(0.0)
    other.leaf2 = tf.Module()
    matched, only_saved, only_live = saved.diff(other)
    assert matched[children["a"]] is other.a
    assert children["leaf"] in only_saved
    assert any(obj is other.leaf2 for obj in only_live)
    with pytest.raises(ValueError, match="Trackable"):
        saved.match(3)
