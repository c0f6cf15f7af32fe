"""tf.distribute.experimental.PreemptionCheckpointHandler and TerminationConfig.

The training loops of preemption_programs.py run in fresh processes, since the handler
catches SIGTERM and exits; each is run twice on one folder (interrupted, then
restarted) and compared with what TensorFlow printed, exited with and wrote
(fixtures/preemption.json, from record_preemption_fixtures.py). Two workers, joined by
mpiexec or by TF_CONFIG over TCP, must both save at the step after next when worker 1
alone gets SIGTERM, and keep only the chief's checkpoint.
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import os
import shutil
import signal
import socket
import subprocess
import sys

import pytest

import tensorflux as tf

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PROGRAMS = os.path.join(HERE, "preemption_programs.py")
with open(os.path.join(os.path.dirname(HERE), "fixtures", "preemption.json")) as f:
    TF = json.load(f)


def _env(**extra):
    env = dict(os.environ)
    env.pop("TF_CONFIG", None)
    env.pop("PREEMPTION_USE_TF", None)
    env.update(extra)
    env["PYTHONPATH"] = os.pathsep.join([ROOT, env.get("PYTHONPATH", "")])
    return env


def _mpiexec():
    beside = os.path.join(os.path.dirname(sys.executable), "mpiexec")
    return beside if os.path.exists(beside) else shutil.which("mpiexec")


needs_mpi = pytest.mark.skipif(
    importlib.util.find_spec("mpi4py") is None or _mpiexec() is None,
    reason="mpi4py or mpiexec is missing: `pip install tensorflux[distributed]` runs these",
)


def _files(folder):
    return sorted(
        os.path.relpath(os.path.join(root, name), folder)
        for root, _, names in os.walk(folder)
        for name in names
    )


def _launch(case, folder):
    out = subprocess.run(
        [sys.executable, PROGRAMS, case, str(folder)],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
    )
    return {
        "rc": out.returncode,
        "events": [json.loads(line) for line in out.stdout.splitlines()],
        "files": _files(folder),
        "stderr": out.stderr,
    }


# -- TerminationConfig and the handler's arguments -------------------------------------


def test_termination_config_keeps_what_it_is_given():
    assert (
        vars(tf.distribute.experimental.TerminationConfig()) == (TF["termination_config_defaults"])
    )
    parameters = inspect.signature(tf.distribute.experimental.TerminationConfig).parameters
    assert list(parameters) == TF["termination_config_parameters"]
    handler_class = tf.distribute.experimental.PreemptionCheckpointHandler
    assert list(inspect.signature(handler_class).parameters) == TF["handler_parameters"]
    exit_fn = object()
    config = tf.distribute.experimental.TerminationConfig(exit_fn=exit_fn, grace_period=5)
    assert config.exit_fn is exit_fn and config.grace_period == 5


def _error(fn):
    try:
        fn()
    except Exception as error:
        return {"type": type(error).__name__, "message": str(error)}
    return None


def test_invalid_arguments_raise_tfs_errors(tmp_path):
    handler_class = tf.distribute.experimental.PreemptionCheckpointHandler
    checkpoint = tf.train.Checkpoint(v=tf.Variable(1.0))
    ps_resolver = tf.distribute.cluster_resolver.SimpleClusterResolver(
        tf.train.ClusterSpec({"ps": ["localhost:1"], "worker": ["localhost:2"]}),
        task_type="worker",
        task_id=0,
    )
    previous = signal.getsignal(signal.SIGTERM)
    try:
        ours = {
            "checkpoint_without_dir": _error(lambda: handler_class(None, checkpoint)),
            "checkpoint_with_empty_dir": _error(lambda: handler_class(None, checkpoint, "")),
            "none": _error(lambda: handler_class(None, None, str(tmp_path / "n"))),
            "int": _error(lambda: handler_class(None, 3, str(tmp_path / "i"))),
            "ps_cluster": _error(
                lambda: handler_class(ps_resolver, checkpoint, str(tmp_path / "p"))
            ),
        }
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert ours == TF["errors"]


def test_a_manager_ignores_checkpoint_dir_and_run_passes_arguments(tmp_path):
    checkpoint = tf.train.Checkpoint(v=tf.Variable(1.0))
    manager = tf.train.CheckpointManager(checkpoint, str(tmp_path / "m"), max_to_keep=2)
    previous = signal.getsignal(signal.SIGTERM)
    try:
        handler = tf.distribute.experimental.PreemptionCheckpointHandler(
            None, manager, str(tmp_path / "ignored")
        )
        ours = {
            "total_run_calls": int(handler.total_run_calls),
            "ignored_dir_exists": (tmp_path / "ignored").exists(),
            "run_result": handler.run(lambda a, b=0: a * 10 + b, 4, b=2),
            "total_run_calls_after_run": int(handler.total_run_calls),
        }
        with handler.watch_preemption_scope() as entered:
            pass
        with pytest.raises(ValueError, match="^inside the scope$"):
            with handler.watch_preemption_scope():
                raise ValueError("inside the scope")
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert ours == TF["manager_with_dir"]
    assert entered == TF["watch_preemption_scope"]["entered"]
    assert TF["watch_preemption_scope"]["error"] == {
        "type": "ValueError",
        "message": "inside the scope",
    }
    # The handler's run counter joined the manager's checkpoint.
    assert checkpoint.checkpointed_runs.dtype == tf.int64


# -- one worker: SIGTERM, checkpoint, exit, restart --------------------------------------


@pytest.mark.parametrize("case", [c for c in TF["cases"] if c != "grace"])
def test_a_preempted_loop_saves_exits_and_resumes_as_tf(tmp_path, case):
    for run, theirs in enumerate(TF["cases"][case]):
        ours = _launch(case, tmp_path)
        assert ours["rc"] == theirs["rc"], (run, ours["stderr"][-3000:])
        assert ours["events"] == theirs["events"], run
        assert ours["files"] == theirs["files"], run


def test_a_grace_period_saves_at_once_and_again_before_its_end(tmp_path):
    ours = _launch("grace", tmp_path)
    (theirs,) = TF["cases"]["grace"]
    assert ours["rc"] == theirs["rc"] == 42, ours["stderr"][-3000:]
    # Two checkpoints (the manager keeps the second): after step 4, then near the end of
    # the 1-second grace period, whose length in 50 ms steps depends on the machine.
    assert ours["files"] == theirs["files"]
    assert ours["events"][:5] == theirs["events"][:5]
    assert 4 < ours["events"][-1]["run"] < 40
    assert 4 < theirs["events"][-1]["run"] < 40


# -- two workers: SIGTERM to worker 1 makes both save after the same step ----------------


def _events(folder, rank):
    with open(folder / f"events-{rank}.jsonl") as f:
        return [json.loads(line) for line in f]


def _check_two_workers(folder, returncodes, restarted):
    # TF's one-worker run of the same loop: a checkpoint after step 4, then exit 42.
    theirs = TF["cases"]["checkpoint"][1 if restarted else 0]
    assert returncodes == [theirs["rc"]] * len(returncodes)
    assert _files(folder) == sorted(theirs["files"] + ["events-0.jsonl", "events-1.jsonl"])
    for rank in (0, 1):
        events = _events(folder, rank)
        # Each step adds 1 + 2 (both workers' contributions) to the two weights.
        runs = list(range(5, 7)) if restarted else list(range(1, 5))
        start = 4 if restarted else 0
        assert events[0]["total_run_calls"] == start
        assert events[0]["w"] == [1.0 + 3 * start, 2.0 + 3 * start]
        assert [e["run"] for e in events[1 : 1 + len(runs)]] == runs
        assert [e["w"] for e in events[1 : 1 + len(runs)]] == [
            [1.0 + 3 * n, 2.0 + 3 * n] for n in runs
        ]
        assert ("end" in events[-1]) == restarted
        os.remove(folder / f"events-{rank}.jsonl")


@needs_mpi
def test_two_mpi_workers_save_together_when_one_is_preempted(tmp_path):
    for restarted in (False, True):
        out = subprocess.run(
            [_mpiexec(), "-n", "2", sys.executable, PROGRAMS, "workers", str(tmp_path)],
            capture_output=True,
            text=True,
            env=_env(TF_COLLECTIVE_TIMEOUT="30"),
            timeout=120,
        )
        assert out.returncode == (0 if restarted else 42), out.stderr[-3000:]
        _check_two_workers(tmp_path, [out.returncode], restarted)


def test_two_tf_config_workers_save_together_when_one_is_preempted(tmp_path):
    for restarted in (False, True):
        ports = []
        for _ in range(2):
            with socket.socket() as probe:
                probe.bind(("localhost", 0))
                ports.append(probe.getsockname()[1])
        cluster = {"worker": [f"localhost:{port}" for port in ports]}
        processes = [
            subprocess.Popen(
                [sys.executable, PROGRAMS, "workers", str(tmp_path)],
                env=_env(
                    TF_CONFIG=json.dumps(
                        {"cluster": cluster, "task": {"type": "worker", "index": i}}
                    ),
                    TF_COLLECTIVE_TIMEOUT="30",
                ),
                stderr=subprocess.PIPE,
                text=True,
            )
            for i in range(2)
        ]
        errors = []
        for process in processes:
            try:
                errors.append(process.communicate(timeout=120)[1])
            finally:
                process.kill()
        returncodes = [process.returncode for process in processes]
        assert returncodes == [0 if restarted else 42] * 2, errors[0][-2000:] + errors[1][-2000:]
        _check_two_workers(tmp_path, returncodes, restarted)
