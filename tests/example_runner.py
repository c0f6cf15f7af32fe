"""Loading the programs in ``examples/`` in-process and running them as programs."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def load_example(name: str, module_name: str | None = None):
    """Imports ``examples/<name>.py`` afresh as ``module_name`` (``examples_<name>`` by
    default), without running its ``__main__`` block."""
    spec = importlib.util.spec_from_file_location(
        module_name or f"examples_{name}", EXAMPLES / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_example_script(script: str, expected: str) -> None:
    """Runs ``examples/<script>`` in a fresh interpreter (this checkout's tensorflux on the
    path) and asserts that it succeeds, prints ``expected`` and writes nothing to stderr."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / script)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout
    assert done.stderr == ""
