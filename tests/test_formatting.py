"""The tree is ruff-formatted and lint-clean (the `test` extra pins ruff's version, so
every machine formats alike)."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
TREES = ["tensorflux", "tests", "benchmarks", "examples"]


def _ruff(*args: str) -> subprocess.CompletedProcess:
    try:
        from ruff.__main__ import find_ruff_bin
    except ImportError:
        pytest.fail(
            "ruff is not installed: `pip install -e '.[test]'` installs the pinned "
            "version the formatting check needs."
        )
    return subprocess.run(
        [find_ruff_bin(), *args, *TREES], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_tree_is_formatted():
    result = _ruff("format", "--check")
    assert result.returncode == 0, (
        f"{result.stdout}{result.stderr}\nRun `ruff format {' '.join(TREES)}`."
    )


def test_tree_is_lint_clean():
    result = _ruff("check")
    assert result.returncode == 0, f"{result.stdout}{result.stderr}"


def test_pinned_version_is_the_installed_one():
    pinned = next(
        line for line in (ROOT / "pyproject.toml").read_text().splitlines() if '"ruff==' in line
    )
    version = subprocess.run(
        [sys.executable, "-m", "ruff", "--version"], capture_output=True, text=True, check=True
    ).stdout.split()[-1]
    assert f'"ruff=={version}"' in pinned
