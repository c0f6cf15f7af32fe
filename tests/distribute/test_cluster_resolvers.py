"""SlurmClusterResolver and UnionResolver against what TensorFlow 2.21 gives
(fixtures/cluster_resolvers.json, from record_cluster_resolver_fixtures.py), and a
MultiWorkerMirroredStrategy placed by them."""

import json
import os
import pathlib

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.distribute import slurm_cluster_resolver as slurm_lib
from tensorflux.distribute.collective import launched_by_mpi

RESOLVERS = tf.distribute.cluster_resolver
FIXTURES = json.loads(
    (
        pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "cluster_resolvers.json"
    ).read_text()
)
SLURM_VARS = (
    "SLURM_PROCID",
    "SLURM_STEP_NUM_TASKS",
    "SLURM_STEP_NODELIST",
    "SLURM_STEP_TASKS_PER_NODE",
    "CUDA_VISIBLE_DEVICES",
)


def _set_env(monkeypatch, env):
    for name in SLURM_VARS:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)


def _error(e):
    return [type(e).__name__, str(e)]


def _call(fn):
    try:
        return {"value": fn()}
    except Exception as e:  # noqa: BLE001 - compared with TF's error
        return {"error": _error(e)}


def _cluster(spec):
    return {
        job: tasks if isinstance(tasks, list) else {str(i): a for i, a in tasks.items()}
        for job, tasks in spec.as_dict().items()
    }


def _spec(cluster):
    return tf.train.ClusterSpec(
        {
            job: tasks if isinstance(tasks, list) else {int(i): a for i, a in tasks.items()}
            for job, tasks in cluster.items()
        }
    )


def _observe(resolver, task):
    return {
        "cluster": _call(lambda: _cluster(resolver.cluster_spec())),
        "task": [resolver.task_type, resolver.task_id],
        "rpc_layer": resolver.rpc_layer,
        "environment": resolver.environment,
        "master": _call(resolver.master),
        "master_no_rpc": _call(lambda: resolver.master(rpc_layer="")),
        "master_of": _call(lambda: resolver.master(*task)),
        "master_of_rpc": _call(lambda: resolver.master(*task, rpc_layer="http")),
        "num_accelerators": _call(lambda: dict(resolver.num_accelerators())),
        "CUDA_VISIBLE_DEVICES": os.environ.get("CUDA_VISIBLE_DEVICES"),
    }


def _resolver(description):
    if "slurm" in description:
        return RESOLVERS.SlurmClusterResolver(**description["slurm"])
    simple = description["simple"]
    return RESOLVERS.SimpleClusterResolver(_spec(simple["cluster"]), **simple["kwargs"])


@pytest.mark.parametrize("case", FIXTURES["hostlists"], ids=lambda c: repr(c[0]))
def test_hostlists_expand_as_tf(case):
    hostlist, expected = case
    assert _call(lambda: slurm_lib.expand_hostlist(hostlist)) == expected


@pytest.mark.parametrize("case", FIXTURES["tasks_per_node"], ids=lambda c: repr(c[0]))
def test_tasks_per_node_expand_as_tf(case):
    text, expected = case
    assert _call(lambda: slurm_lib.expand_tasks_per_node(text)) == expected


@pytest.mark.parametrize("case", FIXTURES["slurm"], ids=lambda c: c["name"])
def test_slurm_cluster_resolver_as_tf(case, monkeypatch):
    _set_env(monkeypatch, case["env"])
    try:
        resolver = RESOLVERS.SlurmClusterResolver(**case["kwargs"])
    except Exception as e:  # noqa: BLE001
        assert {"init_error": _error(e)} == case["tf"]
        return
    assert "init_error" not in case["tf"], case["tf"]
    before = {
        "task_info": list(resolver.get_task_info()),
        "master": _call(resolver.master),
        "num_accelerators": _call(lambda: dict(resolver.num_accelerators())),
    }
    got = {"before": before, **_observe(resolver, ("worker", 0))}
    got["task_info"] = list(resolver.get_task_info())
    assert got == case["tf"]


@pytest.mark.parametrize("case", FIXTURES["union"], ids=lambda c: c["name"])
def test_union_resolver_as_tf(case, monkeypatch):
    _set_env(monkeypatch, case["env"])
    try:
        union = RESOLVERS.UnionResolver(
            *[_resolver(d) for d in case["resolvers"]], **case["kwargs"]
        )
    except Exception as e:  # noqa: BLE001
        assert {"init_error": _error(e)} == case["tf"]
        return
    assert "init_error" not in case["tf"], case["tf"]
    assert _observe(union, ("worker", 1)) == case["tf"]


def test_union_merges_lists_and_indexed_tasks():
    workers = RESOLVERS.SimpleClusterResolver(
        tf.train.ClusterSpec({"worker": ["w0:1", "w1:1"]}), task_type="worker", task_id=1
    )
    more = RESOLVERS.SimpleClusterResolver(tf.train.ClusterSpec({"worker": ["w2:1"]}))
    sparse = RESOLVERS.SimpleClusterResolver(tf.train.ClusterSpec({"worker": {5: "w5:1"}}))
    assert RESOLVERS.UnionResolver(workers, more).cluster_spec().as_dict() == {
        "worker": ["w0:1", "w1:1", "w2:1"]
    }
    union = RESOLVERS.UnionResolver(workers, sparse)
    assert union.cluster_spec().as_dict() == {"worker": {0: "w0:1", 1: "w1:1", 5: "w5:1"}}
    assert (union.task_type, union.task_id, union.master("worker", 5)) == ("worker", 1, "w5:1")
    # A dict anywhere makes the job indexed, so the lists' positions now clash.
    with pytest.raises(KeyError, match=r"Duplicate keys detected .*: \{0\}"):
        RESOLVERS.UnionResolver(workers, sparse, more).cluster_spec()


def test_union_reads_tf_config_each_time(monkeypatch):
    config = {"cluster": {"worker": ["a:1"]}, "task": {"type": "worker", "index": 0}}
    monkeypatch.setenv("TF_CONFIG", json.dumps(config))
    ps = RESOLVERS.SimpleClusterResolver(tf.train.ClusterSpec({"ps": ["p:1"]}))
    union = RESOLVERS.UnionResolver(RESOLVERS.TFConfigClusterResolver(), ps)
    assert union.cluster_spec().as_dict() == {"worker": ["a:1"], "ps": ["p:1"]}
    config["cluster"]["worker"].append("b:1")
    monkeypatch.setenv("TF_CONFIG", json.dumps(config))
    assert union.cluster_spec().as_dict()["worker"] == ["a:1", "b:1"]
    union.task_type = "ps"
    assert union.task_type == "ps"


def test_union_rejects_what_is_not_a_resolver():
    spec = tf.train.ClusterSpec({"worker": ["a:1"]})
    with pytest.raises(
        TypeError, match=r"^All arguments must be a sub-class of `ClusterResolver.`$"
    ):
        RESOLVERS.UnionResolver(RESOLVERS.SimpleClusterResolver(spec), spec)


def test_simple_resolver_master_takes_the_rpc_layer():
    spec = tf.train.ClusterSpec({"worker": ["a:1"]})
    resolver = RESOLVERS.SimpleClusterResolver(spec, master="m:1", rpc_layer="grpc")
    assert resolver.master() == "grpc://m:1"
    assert resolver.master(rpc_layer="http") == "http://m:1"
    with pytest.raises(TypeError, match="^master must be a string.$"):
        RESOLVERS.SimpleClusterResolver(spec, master=None)


def _single_step(monkeypatch):
    _set_env(
        monkeypatch,
        {
            "SLURM_PROCID": "0",
            "SLURM_STEP_NUM_TASKS": "1",
            "SLURM_STEP_NODELIST": "localhost",
            "SLURM_STEP_TASKS_PER_NODE": "1",
        },
    )


def test_gpus_are_counted_from_the_visible_devices(monkeypatch):
    _single_step(monkeypatch)
    from tensorflux.kernels.xla import devices

    # Two GPUs as JAX would list them (any two objects: only their number is read).
    monkeypatch.setattr(devices, "accelerators", lambda: ["gpu0", "gpu1"])
    resolver = RESOLVERS.SlurmClusterResolver()
    assert resolver.num_accelerators() == {"GPU": 2}
    resolver.cluster_spec()
    assert os.environ["CUDA_VISIBLE_DEVICES"] == "0,1"
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES")
    monkeypatch.setattr(devices, "accelerators", lambda: [])
    with pytest.raises(RuntimeError, match="Could not get number of GPUs.*Pass gpus_per_node"):
        RESOLVERS.SlurmClusterResolver()


def _check_runs_and_reduces(strategy):
    assert strategy.num_replicas_in_sync == 1
    result = strategy.run(lambda: tf.constant([1.0, 2.0]) * 3.0)
    total = strategy.reduce(tf.distribute.ReduceOp.SUM, result, axis=None)
    np.testing.assert_allclose(total.numpy(), [3.0, 6.0])
    assert strategy.extended.should_checkpoint


@pytest.mark.skipif(launched_by_mpi(), reason="a single worker, not an mpiexec launch")
def test_multi_worker_mirrored_strategy_on_a_slurm_worker(monkeypatch):
    _single_step(monkeypatch)
    resolver = RESOLVERS.SlurmClusterResolver(gpus_per_node=1, auto_set_gpu=False)
    strategy = tf.distribute.MultiWorkerMirroredStrategy(cluster_resolver=resolver)
    assert strategy.cluster_resolver is resolver
    assert (resolver.task_type, resolver.task_id) == ("worker", 0)
    assert strategy.extended.worker_devices == ("/job:worker/replica:0/task:0/device:CPU:0",)
    _check_runs_and_reduces(strategy)


@pytest.mark.skipif(launched_by_mpi(), reason="a single worker, not an mpiexec launch")
def test_multi_worker_mirrored_strategy_on_a_union(monkeypatch):
    _single_step(monkeypatch)
    slurm = RESOLVERS.SlurmClusterResolver(jobs={"chief": 1}, gpus_per_node=1, auto_set_gpu=False)
    evaluator = RESOLVERS.SimpleClusterResolver(tf.train.ClusterSpec({"evaluator": ["e:1"]}))
    union = RESOLVERS.UnionResolver(slurm, evaluator)
    strategy = tf.distribute.MultiWorkerMirroredStrategy(cluster_resolver=union)
    assert (union.task_type, union.task_id) == ("chief", 0)
    assert union.cluster_spec().as_dict() == {"chief": ["localhost:8888"], "evaluator": ["e:1"]}
    assert strategy.extended.worker_devices == ("/job:chief/replica:0/task:0/device:CPU:0",)
    _check_runs_and_reduces(strategy)
