"""tf.distribute: the default, one-device, mirrored and multi-worker strategies.

Two replicas in one process need the CPU split into logical CPUs before any device is
listed, and several workers need ``mpiexec``: those cases run ``distribute_programs.py``
in fresh processes and compare with TensorFlow's numbers (fixtures/distribute.json,
from record_distribute_fixtures.py) or with one worker on the same global batches.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import socket
import subprocess
import sys

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.distribute.collective import MPICollective, launched_by_mpi

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PROGRAMS = os.path.join(HERE, "distribute_programs.py")
with open(os.path.join(os.path.dirname(HERE), "fixtures", "distribute.json")) as f:
    TF = json.load(f)


def _env(**extra):
    env = dict(os.environ)
    env.pop("TF_CONFIG", None)
    env.update(extra)
    env["PYTHONPATH"] = os.pathsep.join([ROOT, env.get("PYTHONPATH", "")])
    return env


def _mpiexec():
    """The mpiexec of this Python's environment (the mpich wheel puts it there)."""
    beside = os.path.join(os.path.dirname(sys.executable), "mpiexec")
    return beside if os.path.exists(beside) else shutil.which("mpiexec")


needs_mpi = pytest.mark.skipif(
    importlib.util.find_spec("mpi4py") is None or _mpiexec() is None,
    reason="mpi4py or mpiexec is missing: `pip install tensorflux[distributed]` runs these",
)


def _close(actual, expected, atol=1e-6):
    np.testing.assert_allclose(np.asarray(actual), np.asarray(expected), atol=atol)


def _close_weights(actual, expected, atol=1e-6):
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected):
        _close(a, e, atol)


# -- one replica, in this process ------------------------------------------------------


def test_default_strategy_outside_any_scope():
    strategy = tf.distribute.get_strategy()
    assert strategy.num_replicas_in_sync == 1
    assert not tf.distribute.has_strategy()
    assert not tf.distribute.in_cross_replica_context()
    assert tf.distribute.get_replica_context().replica_id_in_sync_group == 0
    assert strategy.run(lambda x: x * 2, args=(3,)) == 6


def test_one_device_strategy_scope_run_and_reduce():
    strategy = tf.distribute.OneDeviceStrategy("/cpu:0")
    assert strategy.extended.worker_devices == ("/job:localhost/replica:0/task:0/device:CPU:0",)
    with strategy.scope():
        assert tf.distribute.get_strategy() is strategy
        assert tf.distribute.has_strategy()
        assert tf.distribute.in_cross_replica_context()
        assert tf.distribute.get_replica_context() is None
        v = tf.Variable(1.0)

        def replica_fn():
            context = tf.distribute.get_replica_context()
            loss = tf.nn.compute_average_loss(tf.constant([2.0, 4.0]))
            return context.replica_id_in_sync_group, tf.distribute.in_cross_replica_context(), loss

        rid, cross, loss = strategy.run(replica_fn)
    assert strategy.extended.variable_created_in_scope(v)
    assert int(rid) == 0 and cross is False and float(loss) == 3.0
    assert float(strategy.reduce("MEAN", tf.constant([1.0, 2.0, 4.0]), axis=0)) == pytest.approx(
        7 / 3
    )
    _close(strategy.reduce(tf.distribute.ReduceOp.SUM, tf.constant([1.0, 2.0]), axis=None), [1, 2])
    assert strategy.experimental_local_results(5) == (5,)


def test_bad_reduce_op_and_mixed_scopes_fail_as_tf():
    strategy = tf.distribute.OneDeviceStrategy("/cpu:0")
    with pytest.raises(ValueError, match="'PROD' is not a valid ReduceOp"):
        strategy.reduce("PROD", tf.constant(1.0), axis=None)
    with strategy.scope():
        with pytest.raises(RuntimeError, match="Mixing different tf.distribute.Strategy"):
            with tf.distribute.MirroredStrategy(["/cpu:0"]).scope():
                pass


def test_devices_this_machine_lacks_still_make_replicas_as_tf():
    # TF's soft placement runs a GPU program's replicas on a CPU-only machine.
    strategy = tf.distribute.MirroredStrategy(["/gpu:0", "/gpu:1"])
    assert strategy.num_replicas_in_sync == 2
    assert strategy.extended.worker_devices[1] == "/job:localhost/replica:0/task:0/device:GPU:1"
    assert float(strategy.reduce("SUM", strategy.run(lambda: tf.constant(1.5)), axis=None)) == 3.0
    with pytest.raises(AssertionError, match="No duplicates allowed in `devices` argument"):
        tf.distribute.MirroredStrategy(["/cpu:0", "/device:CPU:0"])


def test_input_options_print_as_tf():
    assert repr(tf.distribute.InputOptions()) == (
        "InputOptions(experimental_fetch_to_device=True, experimental_replication_mode="
        "<InputReplicationMode.PER_WORKER: 'PER_WORKER'>, "
        "experimental_place_dataset_on_device=False, experimental_per_replica_buffer_size=1)"
    )


def test_input_context_refuses_an_indivisible_global_batch():
    context = tf.distribute.InputContext(2, 1, 4)
    assert context.get_per_replica_batch_size(8) == 2
    with pytest.raises(ValueError, match="`global_batch_size` 5 is not divisible by"):
        context.get_per_replica_batch_size(5)


def test_a_model_made_in_the_scope_keeps_its_strategy():
    strategy = tf.distribute.OneDeviceStrategy("/cpu:0")
    with strategy.scope():
        model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(3,))])
    model.compile("sgd", "mse")
    assert model.distribute_strategy is strategy
    plain = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(3,))])
    assert plain.distribute_strategy is tf.distribute.get_strategy()


def test_compile_refuses_a_model_built_outside_the_scope():
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(3,))])
    strategy = tf.distribute.MirroredStrategy(["/cpu:0"])
    with strategy.scope():
        with pytest.raises(ValueError, match="was not created in the distribution strategy scope"):
            model.compile("sgd", "mse")


def test_updating_a_variable_from_outside_the_scope_in_run_fails_as_tf():
    v = tf.Variable(1.0)
    strategy = tf.distribute.OneDeviceStrategy("/cpu:0")
    with strategy.scope():
        opt = tf.keras.optimizers.SGD()
    with pytest.raises(ValueError, match="`colocate_vars_with` must only be passed a variable"):
        strategy.run(lambda: opt.apply_gradients([(tf.constant(1.0), v)]))
    assert float(v) == 1.0


def test_fit_under_a_one_replica_strategy_matches_tf():
    x = np.arange(24, dtype="float32").reshape(8, 3) / 10
    y = np.arange(8, dtype="float32").reshape(8, 1) / 10
    strategy = tf.distribute.MirroredStrategy(["/cpu:0"])
    with strategy.scope():
        model = tf.keras.Sequential(
            [tf.keras.layers.Dense(1, input_shape=(3,), kernel_initializer="ones")]
        )
        model.compile(tf.keras.optimizers.SGD(0.1), "mse", metrics=["mae"])
    history = model.fit(x, y, batch_size=4, epochs=2, verbose=0, shuffle=False)
    assert model.distribute_strategy is strategy
    _close_weights(model.get_weights(), TF["fit_1_replica"]["weights"])
    _close(history.history["loss"], TF["fit_1_replica"]["history"]["loss"], 1e-5)


def test_tf_config_is_read_and_bad_json_fails(monkeypatch):
    config = {"cluster": {"worker": ["localhost:12345", "localhost:23456"]}}
    config["task"] = {"type": "worker", "index": 1}
    monkeypatch.setenv("TF_CONFIG", json.dumps(config))
    resolver = tf.distribute.cluster_resolver.TFConfigClusterResolver()
    assert resolver.cluster_spec().as_dict() == config["cluster"]
    assert (resolver.task_type, resolver.task_id) == ("worker", 1)
    assert resolver.master() == "localhost:23456"
    if not launched_by_mpi():
        # Worker 1 connects to the chief over TCP; nobody listens there.
        options = tf.distribute.experimental.CommunicationOptions(timeout_seconds=0.5)
        with pytest.raises(tf.errors.UnavailableError, match="worker 1 of 2 failed"):
            tf.distribute.MultiWorkerMirroredStrategy(communication_options=options)
    monkeypatch.setenv("TF_CONFIG", "{bad")
    with pytest.raises(json.JSONDecodeError, match="Expecting property name"):
        tf.distribute.MultiWorkerMirroredStrategy()


def test_a_cluster_without_this_task_fails_as_tf(monkeypatch):
    message = "When `cluster_spec` is given, you must also specify `task_type` and `task_id`."
    monkeypatch.setenv("TF_CONFIG", json.dumps({"cluster": {"worker": ["localhost:1", "h:2"]}}))
    with pytest.raises(ValueError, match=re.escape(message)):
        tf.distribute.MultiWorkerMirroredStrategy()
    monkeypatch.delenv("TF_CONFIG")
    spec = tf.train.ClusterSpec({"worker": ["localhost:1"]})
    resolver = tf.distribute.cluster_resolver.SimpleClusterResolver(spec)
    with pytest.raises(ValueError, match=re.escape(message)):
        tf.distribute.MultiWorkerMirroredStrategy(cluster_resolver=resolver)


def test_missing_mpi4py_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "mpi4py", None)
    with pytest.raises(ImportError, match=r"pip install tensorflux\[distributed\]"):
        MPICollective()


def test_tpu_strategy_fails_as_on_a_machine_without_tpu():
    with pytest.raises(ValueError, match="Please provide a TPU Name to connect to."):
        tf.distribute.TPUStrategy()


# -- two replicas in one process (logical CPUs) ----------------------------------------


@pytest.fixture(scope="module")
def two_replicas():
    out = subprocess.run(
        [sys.executable, PROGRAMS, "local2"],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_two_replicas_run_reduce_gather_and_split_batches_as_tf(two_replicas):
    r = two_replicas
    assert r["default_replicas"] == 2
    assert r["local"] == [[1.0, 2.0], [2.0, 3.0]]
    assert r["all_reduce"] == [3.0, 3.0]
    assert r["reduce_sum"] == [3.0, 5.0]
    assert r["reduce_mean_axis0"] == 2.0
    assert r["gather"] == [1.0, 2.0, 2.0, 3.0]
    # Replicas that do not all reach an all-reduce fail instead of waiting forever.
    assert "did not all call the same synchronising operations" in r["mismatch"]
    # Dataset.range(7).batch(3) on two replicas, as TF rebatches it.
    assert r["batches"] == [[[0, 1], [2]], [[3, 4], [5]], [[6], []]]


@pytest.mark.parametrize(
    "case", ["fit_2_replicas", "fit_2_replicas_batch_3", "batch_norm_2_replicas"]
)
def test_two_replica_fit_matches_tf(two_replicas, case):
    _close_weights(two_replicas[case]["weights"], TF[case]["weights"])
    for name, values in TF[case]["history"].items():
        _close(two_replicas[case]["history"][name], values, 1e-5)


def test_two_replicas_update_mirrored_variables_and_draw_as_tf(two_replicas):
    got, want = two_replicas["replica_updates"], TF["replica_updates_2_replicas"]
    # Each aggregation's combined update (or TF's ValueError), eagerly and traced.
    assert got["updates"] == want["updates"]
    assert got["modes"] == want["modes"]
    # A step counter moves by one a step, not one a replica.
    assert got["counter"] == want["counter"] == 2
    # A generator made in the scope: each replica its own numbers, the state moved once.
    assert got["state"] == want["state"]
    for got_step, want_step in zip(got["draws"], want["draws"]):
        for got_draw, want_draw in zip(got_step, want_step):
            _close(got_draw, want_draw, 1e-6)
    # Distributed batches go into a tf.function as composites: one trace for all.
    assert got["sums"] == want["sums"]
    assert got["traces"] == want["traces"] == 1
    # PerReplicaSpec leaves, the number of steps, get_next_as_optional, a loop inside a
    # tf.function, and integer means that are float64.
    assert got["inputs_and_means"] == want["inputs_and_means"]


def test_two_replica_evaluate_and_predict_split_every_batch(two_replicas):
    split, alone = two_replicas["rows_2_replicas"], two_replicas["rows_no_strategy"]
    # Batches of 3, 3 and 1: each replica runs its shard (an empty one included).
    assert split["evaluate_rows"] == split["predict_rows"] == [0, 1, 1, 1, 2, 2]
    assert alone["evaluate_rows"] == alone["predict_rows"] == [1, 3, 3]
    for name, value in alone["evaluate"].items():
        _close(split["evaluate"][name], value, 1e-6)
    _close(split["predict"], alone["predict"], 1e-6)


def test_two_replicas_run_a_tf_function(two_replicas):
    # Each replica's loss is 2 * w; their gradients (2 each) add up: w = 1 - 0.1 * 4.
    losses, w = two_replicas["run_tf_function"]
    assert losses == [2.0, 2.0]
    assert w == pytest.approx(0.6)


def test_two_replica_custom_loop_matches_tf(two_replicas):
    ours, theirs = two_replicas["custom_loop_2_replicas"], TF["custom_loop_2_replicas"]
    _close(ours["losses"], theirs["losses"], 1e-5)
    _close(ours["w"], theirs["w"])


# -- two workers under mpiexec ---------------------------------------------------------


def _run_workers(folder):
    out = subprocess.run(
        [_mpiexec(), "-n", "2", sys.executable, PROGRAMS, "workers", str(folder)],
        capture_output=True,
        text=True,
        env=_env(TF_COLLECTIVE_TIMEOUT="60"),
        timeout=300,
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-3000:]
    return [json.loads((folder / f"result-{rank}.json").read_text()) for rank in (0, 1)]


def _run_tf_config_workers(folder):
    """Two workers started one by one, each with its TF_CONFIG (connected over TCP)."""
    ports = []
    for _ in range(2):
        with socket.socket() as probe:
            probe.bind(("localhost", 0))
            ports.append(probe.getsockname()[1])
    cluster = {"worker": [f"localhost:{port}" for port in ports]}
    processes = [
        subprocess.Popen(
            [sys.executable, PROGRAMS, "workers", str(folder)],
            env=_env(
                TF_CONFIG=json.dumps({"cluster": cluster, "task": {"type": "worker", "index": i}}),
                TF_COLLECTIVE_TIMEOUT="60",
            ),
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(2)
    ]
    for process in processes:
        try:
            error = process.communicate(timeout=300)[1]
        finally:
            process.kill()
        assert process.returncode == 0, error[-3000:]
    return [json.loads((folder / f"result-{rank}.json").read_text()) for rank in (0, 1)]


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory):
    """The same program as one MultiWorkerMirroredStrategy worker (one replica)."""
    folder = tmp_path_factory.mktemp("one")
    out = subprocess.run(
        [sys.executable, PROGRAMS, "workers", str(folder)],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads((folder / "result-0.json").read_text())


@pytest.mark.parametrize(
    "launch", [pytest.param("mpiexec", marks=needs_mpi), pytest.param("tf_config")]
)
def test_two_workers_train_as_one_worker_and_only_the_chief_writes(tmp_path, launch, one_worker):
    two = tmp_path / "two"
    two.mkdir()
    workers = _run_workers(two) if launch == "mpiexec" else _run_tf_config_workers(two)
    alone = one_worker
    assert [w["chief"] for w in workers] == [True, False]
    for worker in workers:
        assert worker["replicas"] == 2
        assert worker["reduce_sum"] == 3.0
        assert worker["gather"] == [1.0, 2.0]
        for model in ("dense", "cnn"):
            _close_weights(worker[model]["weights"], alone[model]["weights"], 1e-5)
            for name, values in alone[model]["history"].items():
                _close(worker[model]["history"][name], values, 1e-5)
        _close(worker["custom_loop"]["losses"], alone["custom_loop"]["losses"], 1e-5)
        _close(worker["custom_loop"]["w"], alone["custom_loop"]["w"], 1e-6)
        # evaluate and predict: the metrics of the whole data, every prediction in order.
        for model in ("dense", "cnn", "rows"):
            for name, value in alone[model]["evaluate"].items():
                _close(worker[model]["evaluate"][name], value, 1e-5)
            _close(worker[model]["predict"], alone[model]["predict"], 1e-5)
        # The metric objects hold the whole run's state afterwards, on every worker.
        for model in ("dense", "cnn"):
            results = worker[model]["evaluate_metric_results"]
            assert results.keys() == worker[model]["evaluate"].keys()
            for name, value in alone[model]["evaluate"].items():
                _close(results[name], value, 1e-5)
        for name, value in alone["dense"]["history"].items():
            _close(worker["dense"]["fit_metric_results"][name], value[-1], 1e-5)
    # Each worker ran only its replica's shards: batches of 3, 3 and 1 split 2 + 1 each.
    assert alone["rows"]["evaluate_rows"] == alone["rows"]["predict_rows"] == [1, 3, 3]
    assert [w["rows"]["evaluate_rows"] for w in workers] == [[1, 2, 2], [0, 1, 1]]
    assert [w["rows"]["predict_rows"] for w in workers] == [[1, 2, 2], [0, 1, 1]]
    # The one-worker run is TF's single-replica training.
    _close_weights(alone["dense"]["weights"], TF["fit_1_replica"]["weights"])
    # The chief's checkpoint and event file only: worker 1's temporary copies are gone.
    assert sorted(os.listdir(two / "ckpt")) == ["model.weights.h5"]
    assert sorted(os.listdir(two / "logs")) == ["train"]
    assert len(os.listdir(two / "logs" / "train")) == 1
    assert not [name for name in os.listdir(two / "backup" / "chief") if "workertemp" in name]


@needs_mpi
@pytest.mark.parametrize("mode", ["stall", "die"])
def test_a_failing_worker_stops_the_others(mode):
    out = subprocess.run(
        [_mpiexec(), "-n", "2", sys.executable, PROGRAMS, mode],
        capture_output=True,
        text=True,
        env=_env(TF_COLLECTIVE_TIMEOUT="2"),
        timeout=120,
    )
    assert out.returncode != 0
    if mode == "stall":
        assert "UnavailableError" in out.stderr and "timed out after 2 seconds" in out.stderr
