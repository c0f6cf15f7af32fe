"""TensorFlow names tensorflux does not have yet: a clear AttributeError, loaded lazily."""

import subprocess
import sys

import pytest

import tensorflux as tf
from tensorflux.framework import tf_names

# TF module -> the tensorflux module serving it.
MODULES = {
    "tf": tf,
    "tf.math": tf.math,
    "tf.nn": tf.nn,
    "tf.linalg": tf.linalg,
    "tf.random": tf.random,
    "tf.errors": tf.errors,
    "tf.strings": tf.strings,
    "tf.config": tf.config,
    "tf.dtypes": tf.dtypes,
    "tf.data": tf.data,
    "tf.keras": tf.keras,
    "tf.keras.layers": tf.keras.layers,
    "tf.keras.losses": tf.keras.losses,
    "tf.keras.metrics": tf.keras.metrics,
    "tf.keras.callbacks": tf.keras.callbacks,
    "tf.keras.models": tf.keras.models,
    "tf.keras.utils": tf.keras.utils,
    "tf.keras.backend": tf.keras.backend,
    "tf.keras.datasets": tf.keras.datasets,
    "tf.keras.optimizers": tf.keras.optimizers,
}


def _first_missing(tf_path, module):
    for name in sorted(tf_names.tf_public_names(tf_path)):
        if not hasattr(module, name):
            return name
    return None


@pytest.mark.parametrize("tf_path", sorted(MODULES))
def test_a_missing_tf_name_says_it_is_not_implemented_yet(tf_path):
    module = MODULES[tf_path]
    name = _first_missing(tf_path, module)
    if name is None:
        pytest.skip(f"tensorflux has every name of {tf_path}")
    with pytest.raises(
        AttributeError,
        match=rf"^{tf_path}\.{name} is part of TensorFlow "
        rf"2\.21 but not yet implemented in tensorflux$",
    ):
        getattr(module, name)


@pytest.mark.parametrize("tf_path", sorted(MODULES))
def test_an_unknown_name_is_an_ordinary_attribute_error(tf_path):
    module = MODULES[tf_path]
    with pytest.raises(
        AttributeError,
        match=rf"^module '{module.__name__}' has no "
        r"attribute 'no_such_name'$",
    ):
        module.no_such_name  # noqa: B018
    assert not hasattr(module, "no_such_name")


def test_hasattr_stays_false_for_missing_tf_names():
    assert not hasattr(tf, "mlir")
    assert getattr(tf, "mlir", None) is None
    with pytest.raises(AttributeError, match="tf.mlir is part of TensorFlow 2.21"):
        tf.mlir  # noqa: B018


def test_names_tensorflux_has_are_listed_as_tf_names():
    assert {"constant", "function", "GradientTape"} <= tf_names.tf_public_names("tf")
    assert "Dense" in tf_names.tf_public_names("tf.keras.layers")
    assert tf_names.tf_public_names("tf.not_a_module") == frozenset()
    assert tf_names.tf_version() == "2.21"


def test_the_list_is_read_only_when_a_lookup_fails():
    code = (
        "import tensorflux as tf\n"
        "from tensorflux.framework import tf_names\n"
        "tf.constant(1.0); hasattr(tf.math, 'reduce_sum'); tf.keras.layers.Dense\n"
        "assert tf_names._load.cache_info().currsize == 0\n"
        "hasattr(tf, 'mlir')\n"
        "assert tf_names._load.cache_info().currsize == 1\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
