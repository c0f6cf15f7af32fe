"""Records what TensorFlow's SlurmClusterResolver and UnionResolver give for the cases of
test_cluster_resolvers.py into fixtures/cluster_resolvers.json.

Run with the Python of a TensorFlow 2.21 install (TF_USE_LEGACY_KERAS=1); the test suite
reads the JSON only. Every case sets CUDA_VISIBLE_DEVICES or gpus_per_node, so nvidia-smi
is never needed.
"""

import json
import os

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
import tensorflow as tf  # noqa: E402
from tensorflow.python.distribute.cluster_resolver import (  # noqa: E402
    slurm_cluster_resolver as slurm_lib,
)

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures")
RESOLVERS = tf.distribute.cluster_resolver
SLURM_VARS = (
    "SLURM_PROCID",
    "SLURM_STEP_NUM_TASKS",
    "SLURM_STEP_NODELIST",
    "SLURM_STEP_TASKS_PER_NODE",
    "CUDA_VISIBLE_DEVICES",
)


def _env(**values):
    return {f"SLURM_{k}" if k != "CUDA_VISIBLE_DEVICES" else k: v for k, v in values.items()}


STEP = _env(
    PROCID="3",
    STEP_NUM_TASKS="4",
    STEP_NODELIST="node[01-02]",
    STEP_TASKS_PER_NODE="2(x2)",
    CUDA_VISIBLE_DEVICES="0,1,2,3",
)

# (name, environment, SlurmClusterResolver keyword arguments)
SLURM_CASES = [
    ("default_step", STEP, {}),
    ("rank_0", {**STEP, "SLURM_PROCID": "0"}, {}),
    ("jobs_ps_worker", STEP, {"jobs": {"worker": 3, "ps": 1}}),
    ("jobs_chief_first", {**STEP, "SLURM_PROCID": "0"}, {"jobs": {"worker": 3, "chief": 1}}),
    ("empty_job", STEP, {"jobs": {"worker": 4, "ps": 0}}),
    ("port_base_rpc", STEP, {"port_base": 2222, "rpc_layer": "grpc+verbs"}),
    ("no_rpc_layer", STEP, {"rpc_layer": None}),
    ("gpus_per_task", STEP, {"gpus_per_task": 2}),
    ("gpus_per_node_arg", {**STEP, "CUDA_VISIBLE_DEVICES": "5"}, {"gpus_per_node": 8}),
    ("gpus_node_and_task", STEP, {"gpus_per_node": 4, "gpus_per_task": 1}),
    ("no_auto_set_gpu", STEP, {"auto_set_gpu": False}),
    (
        "heterogeneous",
        _env(
            PROCID="4",
            STEP_NUM_TASKS="6",
            STEP_NODELIST="b[3-4],a7",
            STEP_TASKS_PER_NODE="2(x2),2",
            CUDA_VISIBLE_DEVICES="0,1",
        ),
        {},
    ),
    (
        "uneven_tasks",
        _env(
            PROCID="2",
            STEP_NUM_TASKS="4",
            STEP_NODELIST="x,y",
            STEP_TASKS_PER_NODE="3,1",
            CUDA_VISIBLE_DEVICES="0,1,2",
        ),
        {},
    ),
    ("tasks_per_node_int", {**STEP, "SLURM_STEP_TASKS_PER_NODE": "7"}, {"tasks_per_node": 2}),
    (
        "tasks_per_node_dict",
        _env(PROCID="1", CUDA_VISIBLE_DEVICES="0,1"),
        {"jobs": {"worker": 3}, "tasks_per_node": {"zeta": 1, "alpha": 2}},
    ),
    (
        "single_worker",
        _env(
            PROCID="0",
            STEP_NUM_TASKS="1",
            STEP_NODELIST="localhost",
            STEP_TASKS_PER_NODE="1",
        ),
        {"gpus_per_node": 1, "auto_set_gpu": False},
    ),
    (
        "cuda_visible_empty",
        _env(
            PROCID="0",
            STEP_NUM_TASKS="1",
            STEP_NODELIST="h",
            STEP_TASKS_PER_NODE="1",
            CUDA_VISIBLE_DEVICES="",
        ),
        {},
    ),
    ("rank_outside_jobs", {**STEP, "SLURM_PROCID": "9"}, {"auto_set_gpu": False}),
    ("rank_outside_auto_gpu", {**STEP, "SLURM_PROCID": "9"}, {}),
    ("negative_rank", {**STEP, "SLURM_PROCID": "-1"}, {}),
    ("zero_gpus_per_task", STEP, {"gpus_per_node": 0}),
    ("missing_procid", {k: v for k, v in STEP.items() if k != "SLURM_PROCID"}, {}),
    ("bad_procid", {**STEP, "SLURM_PROCID": "one"}, {}),
    (
        "missing_num_tasks",
        {k: v for k, v in STEP.items() if k != "SLURM_STEP_NUM_TASKS"},
        {},
    ),
    ("missing_nodelist", {k: v for k, v in STEP.items() if k != "SLURM_STEP_NODELIST"}, {}),
    (
        "missing_tasks_per_node",
        {k: v for k, v in STEP.items() if k != "SLURM_STEP_TASKS_PER_NODE"},
        {},
    ),
    ("bad_nodelist", {**STEP, "SLURM_STEP_NODELIST": "node[01-02"}, {}),
    ("bad_tasks_per_node", {**STEP, "SLURM_STEP_TASKS_PER_NODE": "2(x2"}, {}),
    ("too_many_gpus", STEP, {"gpus_per_task": 3}),
    ("too_many_tasks", STEP, {"jobs": {"worker": 5}}),
    ("too_few_tasks", STEP, {"jobs": {"worker": 2, "ps": 1}}),
    ("empty_nodelist", {**STEP, "SLURM_STEP_NODELIST": ""}, {}),
    ("zero_tasks_per_node", STEP, {"tasks_per_node": 0, "jobs": {"worker": 0}}),
]

HOSTLISTS = [
    "n[1-2],m5,o[3-4,6,7-9]",
    "node[01-03,7],other",
    "gpu[008-011]",
    "a[1-010]",
    "[1-2]",
    "single",
    "a,",
    "a[3-1],b",
    "a[ 1- 2]",
    "a[+1-+2]",
    "n[1]\n",
    "",
    ",a",
    "a,,b",
    "a[1-2",
    "a[1,2",
    "a[[1]",
    "a]b",
    "a[]",
    "a[1]b",
    "a[1-2-3]",
    "a[x]",
    "a[1,]",
    "a[-1]",
    "a[x],,b",
]

TASKS_PER_NODE = [
    "3(x2),2,1",
    "1",
    "2(x3),1",
    "0(x2)",
    "4(x0)",
    "2\n",
    "",
    "2,,1",
    "2(x",
    "x",
    " 2",
]

SIMPLE_A = {
    "cluster": {"worker": ["w0:2222", "w1:2222"]},
    "kwargs": {"task_type": "worker", "task_id": 1, "rpc_layer": "grpc", "master": "m:1"},
}
SIMPLE_B = {"cluster": {"ps": ["p0:2222"], "worker": ["w2:2222"]}, "kwargs": {}}
SIMPLE_DICT = {"cluster": {"worker": {"3": "w3:2222"}}, "kwargs": {"environment": "google"}}
SIMPLE_CLASH = {"cluster": {"worker": {"1": "other:1"}}, "kwargs": {}}
SIMPLE_ACCEL = {
    "cluster": {"worker": ["w0:2222", "w1:2222"]},
    "kwargs": {"num_accelerators": {"GPU": 2}, "task_type": "worker", "task_id": 0},
}
SIMPLE_EMPTY_JOB = {"cluster": {"worker": []}, "kwargs": {}}

# (name, environment, resolvers, UnionResolver keyword arguments); a resolver is
# {"simple": ...} or {"slurm": keyword arguments}.
UNION_CASES = [
    ("lists_concatenate", {}, [{"simple": SIMPLE_A}, {"simple": SIMPLE_B}], {}),
    ("dict_merges", {}, [{"simple": SIMPLE_A}, {"simple": SIMPLE_DICT}], {}),
    ("dict_first", {}, [{"simple": SIMPLE_DICT}, {"simple": SIMPLE_A}], {}),
    ("dict_conflict", {}, [{"simple": SIMPLE_A}, {"simple": SIMPLE_CLASH}], {}),
    ("empty_job_is_a_dict", {}, [{"simple": SIMPLE_EMPTY_JOB}, {"simple": SIMPLE_A}], {}),
    (
        "overrides",
        {},
        [{"simple": SIMPLE_A}, {"simple": SIMPLE_B}],
        {"task_type": "ps", "task_id": 0, "rpc_layer": "grpc+verbs"},
    ),
    ("zero_task_id_falls_through", {}, [{"simple": SIMPLE_A}], {"task_id": 0}),
    ("accelerators_of_first", {}, [{"simple": SIMPLE_ACCEL}, {"simple": SIMPLE_B}], {}),
    ("no_rpc_layer", {}, [{"simple": SIMPLE_B}, {"simple": SIMPLE_A}], {}),
    ("slurm_first", STEP, [{"slurm": {}}, {"simple": SIMPLE_B}], {}),
    ("unexpected_kwarg", {}, [{"simple": SIMPLE_A}], {"task_index": 1}),
    ("no_resolvers", {}, [], {}),
]


def _error(e):
    return [type(e).__name__, str(e)]


def _cluster(spec):
    """A ClusterSpec's jobs, a dict of tasks keyed by strings (JSON's keys)."""
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


def _call(fn):
    try:
        return {"value": fn()}
    except Exception as e:  # noqa: BLE001 - the error is what is recorded
        return {"error": _error(e)}


def _set_env(env):
    for name in SLURM_VARS:
        os.environ.pop(name, None)
    os.environ.update(env)


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


def slurm_case(env, kwargs):
    _set_env(env)
    try:
        resolver = RESOLVERS.SlurmClusterResolver(**kwargs)
    except Exception as e:  # noqa: BLE001
        return {"init_error": _error(e)}
    before = {
        "task_info": list(resolver.get_task_info()),
        "master": _call(resolver.master),
        "num_accelerators": _call(lambda: dict(resolver.num_accelerators())),
    }
    out = {"before": before, **_observe(resolver, ("worker", 0))}
    out["task_info"] = list(resolver.get_task_info())
    return out


def _resolver(description):
    if "slurm" in description:
        return RESOLVERS.SlurmClusterResolver(**description["slurm"])
    simple = description["simple"]
    return RESOLVERS.SimpleClusterResolver(_spec(simple["cluster"]), **simple["kwargs"])


def union_case(env, resolvers, kwargs):
    _set_env(env)
    try:
        union = RESOLVERS.UnionResolver(*[_resolver(d) for d in resolvers], **kwargs)
    except Exception as e:  # noqa: BLE001
        return {"init_error": _error(e)}
    return _observe(union, ("worker", 1))


def main():
    saved = {name: os.environ.get(name) for name in SLURM_VARS}
    fixtures = {
        "hostlists": [[h, _call(lambda h=h: slurm_lib.expand_hostlist(h))] for h in HOSTLISTS],
        "tasks_per_node": [
            [t, _call(lambda t=t: slurm_lib.expand_tasks_per_node(t))] for t in TASKS_PER_NODE
        ],
        "slurm": [
            {"name": name, "env": env, "kwargs": kwargs, "tf": slurm_case(env, kwargs)}
            for name, env, kwargs in SLURM_CASES
        ],
        "union": [
            {
                "name": name,
                "env": env,
                "resolvers": resolvers,
                "kwargs": kwargs,
                "tf": union_case(env, resolvers, kwargs),
            }
            for name, env, resolvers, kwargs in UNION_CASES
        ],
    }
    _set_env({k: v for k, v in saved.items() if v is not None})
    with open(os.path.join(FIXTURES, "cluster_resolvers.json"), "w") as f:
        json.dump(fixtures, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
