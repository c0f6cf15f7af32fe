"""Records what TensorFlow's ``tf.distribute.experimental.PreemptionCheckpointHandler``
and ``TerminationConfig`` do into fixtures/preemption.json, for test_preemption.py.

Run with TensorFlow 2.21 installed (TF_USE_LEGACY_KERAS=1), on a machine that is not on
Google Cloud: the training loops of preemption_programs.py run in fresh processes (the
handler exits them), each twice on the same folder (interrupted, then restarted); the
JSON keeps their exit codes, printed lines and files. The test suite reads the JSON only.
"""

import inspect
import json
import os
import subprocess
import sys
import tempfile

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
import tensorflow as tf  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAMS = os.path.join(HERE, "preemption_programs.py")
FIXTURES = os.path.join(os.path.dirname(HERE), "fixtures")

# The cases run twice (the second run restores what the first saved); "grace" runs once.
RESTARTED = ["checkpoint", "manager", "save_if_preempted", "exit_code", "no_exit", "save_fn"]
RESTARTED += ["watcher"]


def files(folder):
    return sorted(
        os.path.relpath(os.path.join(root, name), folder)
        for root, _, names in os.walk(folder)
        for name in names
    )


def launch(case, folder):
    env = dict(os.environ, PREEMPTION_USE_TF="1")
    env.pop("TF_CONFIG", None)
    out = subprocess.run(
        [sys.executable, PROGRAMS, case, folder],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    return {
        "rc": out.returncode,
        "events": [json.loads(line) for line in out.stdout.splitlines()],
        "files": files(folder),
    }


def error_of(fn):
    try:
        fn()
    except Exception as error:  # noqa: BLE001 - recording whatever TF raises
        return {"type": type(error).__name__, "message": str(error)}
    return None


def in_process():
    folder = tempfile.mkdtemp()
    handler_class = tf.distribute.experimental.PreemptionCheckpointHandler
    config = tf.distribute.experimental.TerminationConfig()
    checkpoint = tf.train.Checkpoint(v=tf.Variable(1.0))
    manager = tf.train.CheckpointManager(checkpoint, os.path.join(folder, "m"), max_to_keep=2)
    ps_resolver = tf.distribute.cluster_resolver.SimpleClusterResolver(
        tf.train.ClusterSpec({"ps": ["localhost:1"], "worker": ["localhost:2"]}),
        task_type="worker",
        task_id=0,
    )
    with_manager = handler_class(None, manager, os.path.join(folder, "ignored"))
    with with_manager.watch_preemption_scope() as entered:
        pass
    scope_error = error_of(lambda: _raise_in(with_manager.watch_preemption_scope()))
    return {
        "termination_config_defaults": vars(config),
        "termination_config_parameters": list(
            inspect.signature(tf.distribute.experimental.TerminationConfig).parameters
        ),
        "handler_parameters": list(inspect.signature(handler_class).parameters),
        "errors": {
            "checkpoint_without_dir": error_of(lambda: handler_class(None, checkpoint)),
            "checkpoint_with_empty_dir": error_of(lambda: handler_class(None, checkpoint, "")),
            "none": error_of(lambda: handler_class(None, None, os.path.join(folder, "n"))),
            "int": error_of(lambda: handler_class(None, 3, os.path.join(folder, "i"))),
            "ps_cluster": error_of(
                lambda: handler_class(ps_resolver, checkpoint, os.path.join(folder, "p"))
            ),
        },
        "manager_with_dir": {
            "total_run_calls": int(with_manager.total_run_calls),
            "ignored_dir_exists": os.path.exists(os.path.join(folder, "ignored")),
            "run_result": with_manager.run(lambda a, b=0: a * 10 + b, 4, b=2),
            "total_run_calls_after_run": int(with_manager.total_run_calls),
        },
        "watch_preemption_scope": {"entered": entered, "error": scope_error},
    }


def _raise_in(scope):
    with scope:
        raise ValueError("inside the scope")


def main():
    fixtures = in_process()
    cases = {}
    for case in RESTARTED:
        folder = tempfile.mkdtemp()
        cases[case] = [launch(case, folder), launch(case, folder)]
    cases["grace"] = [launch("grace", tempfile.mkdtemp())]
    fixtures["cases"] = cases
    with open(os.path.join(FIXTURES, "preemption.json"), "w") as f:
        json.dump(fixtures, f, indent=1)


if __name__ == "__main__":
    main()
