"""Every ``>>>`` example in the package's docstrings runs and prints what it shows.

One test per module: its docstring examples run with ``doctest`` as written (no
option flags but those an example sets itself), each module's examples in a copy of
its namespace. The package's own ``import tensorflux as tf`` lines are part of the
examples, as a user would type them. The examples show NumPy 2's scalar reprs
(``np.float32(6.0)``); under NumPy 1, which prints ``6.0``, both sides are compared
without the ``np.float32(...)`` wrapper.
"""

from __future__ import annotations

import doctest
import importlib
import io
import pathlib
import re

import numpy as np
import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "tensorflux"


def _module_names() -> list[str]:
    """The package's modules whose source has a ``>>>`` example."""
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if ">>>" not in path.read_text(encoding="utf-8"):
            continue
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


MODULES = _module_names()
_SCALAR_REPR = re.compile(r"np\.(?:float|int|uint|complex|bool|str|bytes)\w*\(([^()]*)\)")


class _Numpy1Checker(doctest.OutputChecker):
    def check_output(self, want, got, optionflags):
        return super().check_output(_SCALAR_REPR.sub(r"\1", want), got, optionflags)


def test_every_module_is_found():
    assert "tensorflux.ops.math_ops" in MODULES
    assert "tensorflux.keras.models.model" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    tests = [t for t in doctest.DocTestFinder().find(module, name) if t.examples]
    assert tests, f"{name} has '>>>' in its source but no docstring example"
    out = io.StringIO()
    numpy_1 = int(np.__version__.split(".")[0]) < 2
    runner = doctest.DocTestRunner(checker=_Numpy1Checker() if numpy_1 else None)
    for test in tests:
        runner.run(test, out=out.write)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, out.getvalue()
