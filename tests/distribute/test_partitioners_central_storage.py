"""tf.distribute.experimental: the variable partitioners, CollectiveHints and
CommunicationOptions, and CentralStorageStrategy, against TensorFlow's results
(fixtures/distribute_experimental.json, from record_partitioner_fixtures.py).

Two replicas need the CPU split into logical CPUs before anything lists devices: this
file, run as a program, does that and prints those cases' results as one JSON line.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import numpy as np
import pytest

import tensorflux as tf

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
with open(os.path.join(os.path.dirname(HERE), "fixtures", "distribute_experimental.json")) as f:
    TF = json.load(f)

PARTITIONERS = {
    "fixed": "FixedShardsPartitioner",
    "min": "MinSizePartitioner",
    "max": "MaxSizePartitioner",
}


def _outcome(call):
    try:
        return {"result": call()}
    except Exception as e:
        return {"error": [type(e).__name__, str(e)]}


def _partition(row):
    make = getattr(tf.distribute.experimental.partitioners, PARTITIONERS[row["partitioner"]])
    try:
        partitioner = make(**row["kwargs"])
    except Exception as e:
        return {"make_error": [type(e).__name__, str(e)]}
    shape = list(row["shape"]) if row["as_list"] else tf.TensorShape(row["shape"])
    dtype = {"float16-as-name": "float16", "foo": "foo"}.get(row["dtype"])
    dtype = dtype or tf.as_dtype(row["dtype"])
    return _outcome(lambda: partitioner(shape, dtype, axis=row["axis"]))


def test_partitioners_match_tf_over_the_table():
    rows = TF["partitioners"]
    assert len(rows) > 1000
    wrong = []
    for row in rows:
        expected = {k: row[k] for k in ("result", "error", "make_error") if k in row}
        actual = _partition(row)
        if actual != expected:
            wrong.append((row, actual))
    assert not wrong, wrong[:5]


def test_partitioner_examples_of_tf_docs():
    partitioners = tf.distribute.experimental.partitioners
    shape = tf.TensorShape([6, 1])
    assert partitioners.FixedShardsPartitioner(2)(tf.TensorShape([10, 3]), tf.float32) == [2, 1]
    assert partitioners.MinSizePartitioner(4, max_shards=2)(shape, tf.float32) == [2, 1]
    assert partitioners.MinSizePartitioner(4, max_shards=10)(shape, tf.float32) == [6, 1]
    assert partitioners.MaxSizePartitioner(4)(shape, tf.float32) == [6, 1]
    assert partitioners.MaxSizePartitioner(4, max_shards=2)(shape, tf.float32) == [2, 1]
    assert partitioners.MaxSizePartitioner(1024)(shape, tf.float32) == [1, 1]
    # The defaults: shards of 256 KiB at least, and only one.
    big = tf.TensorShape([1024, 1024])
    assert partitioners.MinSizePartitioner()(big, tf.float32) == [1, 1]
    assert partitioners.MinSizePartitioner(max_shards=100)(big, tf.float32) == [16, 1]


def test_a_partitioner_subclass_is_called_with_shape_dtype_and_axis():
    partitioners = tf.distribute.experimental.partitioners

    class Halves(partitioners.Partitioner):
        def __call__(self, shape, dtype, axis=0):
            counts = [1] * len(shape)
            counts[axis] = 2
            return counts

    assert isinstance(partitioners.MaxSizePartitioner(8), partitioners.Partitioner)
    assert Halves()(tf.TensorShape([4, 4]), tf.float32, axis=1) == [1, 2]
    with pytest.raises(NotImplementedError):
        partitioners.Partitioner()(tf.TensorShape([4]), tf.float32)
    with pytest.raises(AttributeError, match="has no attribute 'no_such_name'"):
        partitioners.no_such_name  # noqa: B018


@pytest.mark.parametrize("kind", ["hints", "options"])
def test_collective_hints_and_options_match_tf(kind):
    experimental = tf.distribute.experimental
    make = experimental.CollectiveHints if kind == "hints" else experimental.CommunicationOptions
    for case in TF["options"][kind]:
        try:
            made = make(**case["kwargs"])
        except Exception as e:
            assert case.get("error") == [type(e).__name__, str(e)], case
            continue
        assert "error" not in case, case
        assert str(made) == case["str"]
        assert type(made).__name__ == case["class"]
        assert made.bytes_per_pack == case["bytes_per_pack"]
        assert made.timeout_seconds == case["timeout_seconds"]
        assert made.implementation.name == case["implementation"]


def test_options_merge_and_identity_as_tf():
    experimental = tf.distribute.experimental
    hints = experimental.CollectiveHints(bytes_per_pack=8, timeout_seconds=1.5)
    merged = hints.merge(experimental.CommunicationOptions(implementation="RING"))
    assert str(merged) == TF["options"]["merged"]
    assert str(hints.merge(None)) == str(hints) and hints.merge(None) is not hints
    assert isinstance(hints, experimental.CollectiveHints) is TF["options"]["hints_is_options"]
    assert experimental.CollectiveCommunication is experimental.CommunicationImplementation
    assert (
        experimental.CommunicationImplementation("NCCL")
        is experimental.CollectiveCommunication.NCCL
    )


def test_collective_hints_warn_once_that_they_are_deprecated(caplog, monkeypatch):
    from tensorflux.distribute import collective_all_reduce_strategy as module

    monkeypatch.setattr(module, "_hints_warned", [])
    with caplog.at_level(logging.WARNING, logger="tensorflow"):
        tf.distribute.experimental.CollectiveHints()
        tf.distribute.experimental.CollectiveHints(bytes_per_pack=4)
    warnings = [r.getMessage() for r in caplog.records if "CollectiveHints" in r.getMessage()]
    assert len(warnings) == 1
    assert "use distribute.experimental.CommunicationOptions instead" in warnings[0]


def test_hints_go_where_options_go_and_experimental_hints_is_refused_as_in_tf():
    strategy = tf.distribute.experimental.CentralStorageStrategy(["/cpu:0"])
    hints = tf.distribute.experimental.CollectiveHints(bytes_per_pack=4, timeout_seconds=5)

    def replica_fn():
        context = tf.distribute.get_replica_context()
        return context.all_reduce("sum", tf.constant(2.0), options=hints)

    assert float(strategy.run(replica_fn)) == 2.0
    reduced = strategy.extended.reduce_to("SUM", tf.constant(3.0), None, options=hints)
    assert float(reduced) == 3.0

    def with_experimental_hints():
        context = tf.distribute.get_replica_context()
        return context.all_reduce("sum", tf.constant(1.0), experimental_hints=hints)

    assert TF["run_2_replicas"]["hints_keyword"] == "TypeError"
    with pytest.raises(TypeError, match="experimental_hints"):
        strategy.run(with_experimental_hints)
    with pytest.raises(TypeError, match="experimental_hints"):
        strategy.reduce("sum", tf.constant(1.0), axis=None, experimental_hints=hints)


def _devices_row(row):
    compute, parameter = row["compute_devices"], row["parameter_device"]
    try:
        strategy = tf.distribute.experimental.CentralStorageStrategy(compute, parameter)
    except Exception as e:
        return {"error": [type(e).__name__, str(e)]}
    return {
        "num_replicas": strategy.num_replicas_in_sync,
        "worker_devices": list(strategy.extended.worker_devices),
        "parameter_devices": list(strategy.extended.parameter_devices),
    }


def test_central_storage_devices_match_tf():
    no_gpu = not tf.config.list_logical_devices("GPU")
    for row in TF["devices_2_cpus"]:
        if row["compute_devices"] is None and not no_gpu:
            continue  # TF's default then is the GPUs, which that table did not have
        expected = {
            k: v for k, v in row.items() if k not in ("compute_devices", "parameter_device")
        }
        assert _devices_row(row) == expected, row


def test_central_storage_is_its_own_strategy_with_tf_extended_properties():
    strategy = tf.distribute.experimental.CentralStorageStrategy(["/cpu:0", "/cpu:1"])
    assert isinstance(strategy, tf.distribute.Strategy)
    assert not isinstance(strategy, tf.distribute.MirroredStrategy)
    assert isinstance(strategy.extended.worker_devices, list)
    expected = TF["run_2_replicas"]
    extended = strategy.extended
    assert extended.worker_devices_by_replica == expected["worker_devices_by_replica"]
    assert extended.experimental_between_graph is expected["between_graph"]
    assert extended.experimental_should_init is expected["should_init"]
    assert extended.should_checkpoint is expected["should_checkpoint"]
    assert extended.should_save_summary is expected["should_save_summary"]
    with pytest.raises(AttributeError) as raised:
        strategy.experimental_distribute_dataset(
            tf.data.Dataset.range(4).batch(2), tf.distribute.InputOptions()
        )
    assert ["AttributeError", str(raised.value)] == expected["dataset_with_options"]


def _fit(strategy, batch_size):
    x = np.arange(24, dtype="float32").reshape(8, 3) / 10
    y = np.arange(8, dtype="float32").reshape(8, 1) / 10
    with strategy.scope():
        model = tf.keras.Sequential(
            [tf.keras.layers.Dense(1, input_shape=(3,), kernel_initializer="ones")]
        )
        model.compile(tf.keras.optimizers.SGD(0.1), "mse", metrics=["mae"])
    history = model.fit(x, y, batch_size=batch_size, epochs=2, verbose=0, shuffle=False)
    return {
        "num_replicas": strategy.num_replicas_in_sync,
        "worker_devices": list(strategy.extended.worker_devices),
        "parameter_devices": list(strategy.extended.parameter_devices),
        "variable_devices": [v.device for v in model.variables],
        "history": {k: [float(v) for v in vs] for k, vs in history.history.items()},
        "weights": [w.tolist() for w in model.get_weights()],
    }


def _assert_fit_matches(actual, expected):
    for key in ("num_replicas", "worker_devices", "parameter_devices", "variable_devices"):
        assert actual[key] == expected[key], key
    for key, values in expected["history"].items():
        np.testing.assert_allclose(actual["history"][key], values, rtol=1e-5, err_msg=key)
    assert len(actual["weights"]) == len(expected["weights"])
    for a, e in zip(actual["weights"], expected["weights"]):
        np.testing.assert_allclose(np.asarray(a), np.asarray(e), atol=1e-6)


def test_fit_with_the_default_devices_on_one_cpu_matches_tf():
    if tf.config.list_logical_devices("GPU"):
        pytest.skip("the default devices are then the GPUs")
    strategy = tf.distribute.experimental.CentralStorageStrategy()
    _assert_fit_matches(_fit(strategy, 4), TF["fit_default_1_cpu"])


# -- two logical CPUs, in a fresh process ----------------------------------------------


def two_cpu_results():
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    two = ["/cpu:0", "/cpu:1"]
    CentralStorageStrategy = tf.distribute.experimental.CentralStorageStrategy
    results = {
        "fit_default_2_cpus": _fit(CentralStorageStrategy(), 4),
        "fit_2_replicas": _fit(CentralStorageStrategy(two), 4),
        "fit_2_replicas_batch_3": _fit(CentralStorageStrategy(two), 3),
    }
    strategy = CentralStorageStrategy(two)
    hints = tf.distribute.experimental.CollectiveHints(bytes_per_pack=4)

    def replica_fn():
        context = tf.distribute.get_replica_context()
        value = tf.cast(context.replica_id_in_sync_group, tf.float32) + 1.0
        return value, context.all_reduce("sum", value, options=hints)

    local, summed = strategy.run(replica_fn)
    try:
        strategy.reduce("sum", tf.constant(3.0), axis=None)
        plain_sum = None
    except ValueError as e:
        plain_sum = ["ValueError", str(e)]
    batches = strategy.experimental_distribute_dataset(tf.data.Dataset.range(7).batch(3))
    with strategy.scope():
        v = tf.Variable(1.0)
    results["run_2_replicas"] = {
        "local": [float(t) for t in strategy.experimental_local_results(local)],
        "all_reduce": [float(t) for t in strategy.experimental_local_results(summed)],
        "reduce_sum": float(strategy.reduce("SUM", local, axis=None)),
        "reduce_mean": float(strategy.reduce("mean", local, axis=None)),
        "reduce_mean_plain": float(strategy.reduce("MEAN", tf.constant(3.0), axis=None)),
        "reduce_plain_sum": plain_sum,
        "batches": [
            [np.asarray(t).tolist() for t in strategy.experimental_local_results(b)]
            for b in batches
        ],
        "variable_device": v.device,
        "variable_created_in_scope": strategy.extended.variable_created_in_scope(v),
    }
    return results


@pytest.fixture(scope="module")
def two_cpus():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([ROOT, env.get("PYTHONPATH", "")])
    out = subprocess.run(
        [sys.executable, os.path.abspath(__file__)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("case", ["fit_default_2_cpus", "fit_2_replicas", "fit_2_replicas_batch_3"])
def test_fit_over_two_logical_cpus_matches_tf(two_cpus, case):
    _assert_fit_matches(two_cpus[case], TF[case])


def test_run_reduce_and_batches_over_two_logical_cpus_match_tf(two_cpus):
    actual = two_cpus["run_2_replicas"]
    expected = TF["run_2_replicas"]
    for key, value in actual.items():
        assert value == expected[key], key


if __name__ == "__main__":
    print(json.dumps(two_cpu_results()))
