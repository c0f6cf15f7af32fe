"""Records what TensorFlow gives for the cases of test_partitioners_central_storage.py
into fixtures/distribute_experimental.json: the variable partitioners over a table of
shapes, dtypes and arguments (errors as type and message), CollectiveHints and
CommunicationOptions, and CentralStorageStrategy over one and two logical CPUs.

Run with TensorFlow 2.21 and tf_keras installed (TF_USE_LEGACY_KERAS=1); the test suite
reads the JSON only.
"""

import itertools
import json
import os
import subprocess
import sys

import numpy as np

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
import tensorflow as tf  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures")
PARTITIONERS = {
    "fixed": "FixedShardsPartitioner",
    "min": "MinSizePartitioner",
    "max": "MaxSizePartitioner",
}


def error(e):
    return {"error": [type(e).__name__, str(e)]}


def partitioner_cases():
    """(partitioner, constructor kwargs, shape, shape as a list?, dtype, axis) rows."""
    shapes = [[10, 3], [6, 1], [1024, 1024], [7], [3, 5, 2], [100000, 64], [0, 4]]
    dtypes = ["float32", "float64", "int8", "complex128", "string"]
    made = {
        "fixed": [{"num_shards": n} for n in (1, 2, 3, 16)],
        "min": [
            {},
            {"min_shard_bytes": 4, "max_shards": 2},
            {"min_shard_bytes": 4, "max_shards": 10},
            {"min_shard_bytes": 1000, "max_shards": 8},
            {"min_shard_bytes": 64, "max_shards": 100, "bytes_per_string": 3},
            {"min_shard_bytes": 2.5, "max_shards": 4},
        ],
        "max": [
            {"max_shard_bytes": 4},
            {"max_shard_bytes": 4, "max_shards": 2},
            {"max_shard_bytes": 1024},
            {"max_shard_bytes": 50, "max_shards": 0},
            {"max_shard_bytes": 100, "bytes_per_string": 40},
            {"max_shard_bytes": (64 << 20) - 1},
            {"max_shard_bytes": 7.5},
        ],
    }
    rows = []
    for kind, kwargs_list in made.items():
        for kwargs, shape, dtype in itertools.product(kwargs_list, shapes, dtypes):
            for axis in range(len(shape)):
                rows.append((kind, kwargs, shape, False, dtype, axis))
    # Arguments TF refuses when the partitioner is made.
    bad = {
        "fixed": [{"num_shards": 0}, {"num_shards": -2}],
        "min": [
            {"min_shard_bytes": 0},
            {"min_shard_bytes": -5},
            {"max_shards": 0},
            {"max_shards": None},
            {"bytes_per_string": 0},
            {"min_shard_bytes": 0, "max_shards": 0},
        ],
        "max": [
            {"max_shard_bytes": 0},
            {"max_shard_bytes": -1},
            {"max_shard_bytes": 8, "max_shards": -1},
            {"max_shard_bytes": 8, "bytes_per_string": 0},
            {"max_shard_bytes": 8, "bytes_per_string": -3},
        ],
    }
    for kind, kwargs_list in bad.items():
        for kwargs in kwargs_list:
            rows.append((kind, kwargs, [10, 3], False, "float32", 0))
    # Shapes, axes and dtypes that the partitioners refuse or treat specially.
    odd = [
        ([10, 3], False, "float32", 1),
        ([10, 3], False, "float32", -1),
        ([10, 3], False, "float32", 2),
        ([10, 3], False, "float32", -3),
        ([10, 3], True, "float32", 0),
        ([None, 3], False, "float32", 0),
        ([10, None], False, "float32", 0),
        (None, False, "float32", 0),
        ([], False, "float32", 0),
        ([0, 4], False, "float32", 1),
        ([4, 0], False, "float32", 0),
        ([10, 3], False, "foo", 0),
        ([10, 3], False, "float16-as-name", 0),
    ]
    first = {
        "fixed": {"num_shards": 4},
        "min": {"min_shard_bytes": 8, "max_shards": 4},
        "max": {"max_shard_bytes": 16},
    }
    for kind in PARTITIONERS:
        for shape, as_list, dtype, axis in odd:
            rows.append((kind, first[kind], shape, as_list, dtype, axis))
    return rows


def run_partitioner(kind, kwargs, shape, as_list, dtype, axis):
    make = getattr(tf.distribute.experimental.partitioners, PARTITIONERS[kind])
    try:
        partitioner = make(**kwargs)
    except Exception as e:
        return {"make_error": [type(e).__name__, str(e)]}
    given = list(shape) if as_list else tf.TensorShape(shape)
    if dtype == "float16-as-name":
        dtype_arg = "float16"
    elif dtype == "foo":
        dtype_arg = "foo"
    else:
        dtype_arg = tf.as_dtype(dtype)
    try:
        return {"result": partitioner(given, dtype_arg, axis=axis)}
    except Exception as e:
        return error(e)


def partitioners():
    out = []
    for kind, kwargs, shape, as_list, dtype, axis in partitioner_cases():
        row = {
            "partitioner": kind,
            "kwargs": kwargs,
            "shape": shape,
            "as_list": as_list,
            "dtype": dtype,
            "axis": axis,
        }
        row.update(run_partitioner(kind, kwargs, shape, as_list, dtype, axis))
        out.append(row)
    return out


def options_cases():
    hints = [
        {},
        {"bytes_per_pack": 8, "timeout_seconds": 1.5},
        {"bytes_per_pack": -1},
        {"bytes_per_pack": "a"},
        {"bytes_per_pack": None},
        {"bytes_per_pack": 1.5},
        {"timeout_seconds": -1},
    ]
    options = [
        {},
        {"implementation": "ring"},
        {"implementation": "Nccl"},
        {"implementation": "foo"},
        {"implementation": 3},
        {"bytes_per_pack": -4, "implementation": "RING"},
        {"bytes_per_pack": 1024, "timeout_seconds": 30.0, "implementation": "AUTO"},
    ]

    def make(cls, kwargs):
        try:
            made = cls(**kwargs)
        except Exception as e:
            return {"kwargs": kwargs, **error(e)}
        return {
            "kwargs": kwargs,
            "str": str(made),
            "class": type(made).__name__,
            "bytes_per_pack": made.bytes_per_pack,
            "timeout_seconds": made.timeout_seconds,
            "implementation": made.implementation.name,
        }

    experimental = tf.distribute.experimental
    merged = experimental.CollectiveHints(bytes_per_pack=8, timeout_seconds=1.5).merge(
        experimental.CommunicationOptions(implementation="RING")
    )
    return {
        "hints": [make(experimental.CollectiveHints, k) for k in hints],
        "options": [make(experimental.CommunicationOptions, k) for k in options],
        "merged": str(merged),
        "hints_is_options": isinstance(
            experimental.CollectiveHints(), experimental.CollectiveHints
        ),
    }


def data():
    x = np.arange(24, dtype="float32").reshape(8, 3) / 10
    y = np.arange(8, dtype="float32").reshape(8, 1) / 10
    return x, y


def fit(devices, batch_size):
    strategy = tf.distribute.experimental.CentralStorageStrategy(devices)
    x, y = data()
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


def run_and_reduce():
    strategy = tf.distribute.experimental.CentralStorageStrategy(["/cpu:0", "/cpu:1"])
    experimental = tf.distribute.experimental

    def replica_fn():
        context = tf.distribute.get_replica_context()
        value = tf.cast(context.replica_id_in_sync_group, tf.float32) + 1.0
        hints = experimental.CollectiveHints(bytes_per_pack=4)
        return value, context.all_reduce("sum", value, options=hints)

    local, summed = strategy.run(replica_fn)

    def hinted():
        context = tf.distribute.get_replica_context()
        return context.all_reduce("sum", tf.constant(1.0), experimental_hints=None)

    try:
        strategy.run(hinted)
        hints_keyword = None
    except TypeError:
        hints_keyword = "TypeError"
    try:
        strategy.experimental_distribute_dataset(
            tf.data.Dataset.range(4).batch(2), tf.distribute.InputOptions()
        )
        with_options = None
    except Exception as e:
        with_options = [type(e).__name__, str(e)]
    try:
        strategy.reduce("sum", tf.constant(3.0), axis=None)
        reduce_plain_sum = None
    except Exception as e:
        reduce_plain_sum = [type(e).__name__, str(e)]
    batches = strategy.experimental_distribute_dataset(tf.data.Dataset.range(7).batch(3))
    with strategy.scope():
        v = tf.Variable(1.0)
    return {
        "local": [float(t) for t in strategy.experimental_local_results(local)],
        "all_reduce": [float(t) for t in strategy.experimental_local_results(summed)],
        "reduce_sum": float(strategy.reduce("SUM", local, axis=None)),
        "reduce_mean": float(strategy.reduce("mean", local, axis=None)),
        "reduce_mean_plain": float(strategy.reduce("MEAN", tf.constant(3.0), axis=None)),
        "reduce_plain_sum": reduce_plain_sum,
        "hints_keyword": hints_keyword,
        "dataset_with_options": with_options,
        "batches": [
            [t.numpy().tolist() for t in strategy.experimental_local_results(b)] for b in batches
        ],
        "variable_device": v.device,
        "variable_created_in_scope": strategy.extended.variable_created_in_scope(v),
        "worker_devices_by_replica": strategy.extended.worker_devices_by_replica,
        "between_graph": strategy.extended.experimental_between_graph,
        "should_init": strategy.extended.experimental_should_init,
        "should_checkpoint": strategy.extended.should_checkpoint,
        "should_save_summary": strategy.extended.should_save_summary,
    }


def devices():
    """CentralStorageStrategy(compute_devices, parameter_device) -> its devices."""
    cases = [
        (None, None),
        (["/cpu:0"], None),
        (["CPU:0"], None),
        (["cpu:0", "CPU:1"], "CPU:1"),
        (["/cpu:0", "/cpu:1"], None),
        (["/gpu:0"], None),
        (["/gpu:0", "/gpu:1"], "/cpu:0"),
        (["/cpu:0", "/cpu:0"], None),
        (["cpu"], None),
        (["/device:CPU:0"], None),
        (["/replica:0/cpu:1"], None),
        (["/job:worker/task:1/cpu:0"], None),
        (["/cpu:0"], "foo"),
        ([], None),
        ("/cpu:0", None),
        (["foo"], None),
        (["xpu:0"], None),
        (["/cpu:x"], None),
    ]
    out = []
    for compute, parameter in cases:
        row = {"compute_devices": compute, "parameter_device": parameter}
        try:
            strategy = tf.distribute.experimental.CentralStorageStrategy(compute, parameter)
            row.update(
                num_replicas=strategy.num_replicas_in_sync,
                worker_devices=list(strategy.extended.worker_devices),
                parameter_devices=list(strategy.extended.parameter_devices),
            )
        except Exception as e:
            row.update(error(e))
        out.append(row)
    return out


# One process per case, as the logical CPUs must be set before TF starts its devices,
# and some cases need one CPU.
CASES = {
    "fit_default_1_cpu": (1, lambda: fit(None, 4)),
    "fit_default_2_cpus": (2, lambda: fit(None, 4)),
    "fit_2_replicas": (2, lambda: fit(["/cpu:0", "/cpu:1"], 4)),
    "fit_2_replicas_batch_3": (2, lambda: fit(["/cpu:0", "/cpu:1"], 3)),
    "run_2_replicas": (2, run_and_reduce),
    "devices_2_cpus": (2, devices),
}


def record_case(name):
    cpus, case = CASES[name]
    if cpus > 1:
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration()] * cpus
        )
    print(json.dumps(case()))


def main():
    fixtures = {"partitioners": partitioners(), "options": options_cases()}
    for name in CASES:
        out = subprocess.run(
            [sys.executable, __file__, name], capture_output=True, text=True, check=True
        ).stdout
        fixtures[name] = json.loads(out.strip().splitlines()[-1])
    # One line per partitioner case keeps the table's file small and its diffs readable.
    table = ",\n  ".join(json.dumps(row) for row in fixtures.pop("partitioners"))
    rest = json.dumps(fixtures, indent=1)
    with open(os.path.join(FIXTURES, "distribute_experimental.json"), "w") as f:
        f.write(f'{{"partitioners": [\n  {table}\n ],\n{rest[2:]}\n')


if __name__ == "__main__":
    if len(sys.argv) > 1:
        record_case(sys.argv[1])
    else:
        main()
