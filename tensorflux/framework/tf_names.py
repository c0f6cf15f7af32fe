"""TensorFlow's public names, to tell "not implemented yet" from a typo.

``tf_public_names.json`` (written by ``tests/record_tf_names.py`` with TensorFlow
installed) lists TF 2.21's public names per module. The namespace modules' ``__getattr__``
hooks call ``missing_attribute`` only when a lookup fails, so the list is read then, once,
and ``import tensorflux`` never pays for it.
"""

from __future__ import annotations

import functools
import os
import sys

__all__ = ["missing_attribute", "tf_public_names", "tf_version"]

_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tf_public_names.json")


@functools.lru_cache(maxsize=1)
def _load() -> dict:
    import json

    with open(_PATH, encoding="utf-8") as f:
        return json.load(f)


def tf_version() -> str:
    """The TensorFlow release whose names are listed, as "major.minor" ("2.21")."""
    return ".".join(_load()["tensorflow"].split(".")[:2])


def tf_public_names(tf_path: str) -> frozenset:
    """TF's public names in the module ``tf_path`` ("tf.keras.layers"); empty if unlisted."""
    return frozenset(_load().get(tf_path, ()))


def missing_attribute(tf_path: str, module: str, name: str) -> AttributeError:
    """The AttributeError for ``name`` missing from ``module`` (the tensorflux module
    that serves ``tf_path``): it says so when TensorFlow has the name.

    >>> str(missing_attribute("tf.keras.layers", "tensorflux.keras.layers", "LSTM"))
    'tf.keras.layers.LSTM is part of TensorFlow 2.21 but not yet implemented in tensorflux'
    """
    # Python's import system asks packages for dunders and for submodules not yet
    # imported (``from package import submodule``): those never need the list.
    if (
        not name.startswith("_")
        and not _is_submodule(module, name)
        and (name in tf_public_names(tf_path))
    ):
        return AttributeError(
            f"{tf_path}.{name} is part of TensorFlow {tf_version()} but not "
            f"yet implemented in tensorflux"
        )
    return AttributeError(f"module {module!r} has no attribute {name!r}")


def _is_submodule(module: str, name: str) -> bool:
    """Whether ``name`` is a submodule of the package ``module`` (imported or not)."""
    paths = getattr(sys.modules.get(module), "__path__", None) or ()
    return any(
        os.path.isfile(os.path.join(p, name + ".py")) or os.path.isdir(os.path.join(p, name))
        for p in paths
    )
