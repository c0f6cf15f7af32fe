"""tensorflux's random numbers are TensorFlow's, bit for bit.

The programs in ``random_cases.py`` (and ``keras_random_cases.py``) run here on
tensorflux; ``tests/fixtures/random_ops.json`` holds what they returned on TensorFlow
(recorded by ``record_random_fixtures.py``): a hash of each array's bytes and its values
when small.
"""

import json
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras.utils import random_seed as keras_random_seed
from tests.ops import keras_random_cases, random_cases

CASES = {**random_cases.CASES, **keras_random_cases.CASES}

FIXTURE = json.loads((Path(__file__).parent.parent / "fixtures" / "random_ops.json").read_text())


@pytest.fixture(autouse=True)
def _restore_seed(monkeypatch):
    # Each case starts as in the recording process: no tf_keras seed generator yet.
    monkeypatch.setattr(keras_random_seed, "_seed_generator", None)
    yield
    tf.random.set_seed(None)


# Cases that train: equal up to floating-point summation order, not bit for bit. The
# image augmentations draw TF's numbers (flips and crops are bit for bit), but the
# contrast, saturation and hue adjustments round some pixels one ulp apart. Gamma
# samples are bit for bit, their gradients (a series TF sums in float32) close.
TRAINED = {
    "xor_short_run": 1e-6,
    "keras_fit_dense_shuffled": 1e-5,
    "keras_fit_cnn_dropout": 1e-5,
    "keras_fit_dense_batch_shuffled": 1e-5,
    "image_augmentations": 1e-6,
    "gamma_gradients": 1e-3,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_numbers_as_tensorflow(name):
    got = random_cases.summarize(CASES[name](tf))
    want = FIXTURE[name]
    assert len(got) == len(want)
    for i, (g, w) in enumerate(zip(got, want)):
        where = f"{name}[{i}]"
        if name in TRAINED and w["dtype"].startswith("float") and g["sha"] != w["sha"]:
            tol = TRAINED[name]
            if "values" in w:
                np.testing.assert_allclose(g["values"], w["values"], atol=tol, err_msg=where)
            else:
                np.testing.assert_allclose(g["head"], w["head"], atol=tol, err_msg=where)
                assert abs(g["sum"] - w["sum"]) <= tol * np.prod(w["shape"]), where
            continue
        assert (g["dtype"], g["shape"]) == (w["dtype"], w["shape"]), where
        if "values" in w:
            np.testing.assert_array_equal(g["values"], w["values"], err_msg=where)
        else:
            np.testing.assert_array_equal(g["head"], w["head"], err_msg=where)
        assert g["sha"] == w["sha"], where


def test_generator_seeds_drawn_inside_a_function_advance_per_call():
    traced_generator = tf.random.Generator.from_seed(1234)
    eager_generator = tf.random.Generator.from_seed(1234)
    draw = tf.function(lambda: traced_generator.make_seeds(2))
    first, second = draw().numpy(), draw().numpy()
    np.testing.assert_array_equal(first, eager_generator.make_seeds(2).numpy())
    np.testing.assert_array_equal(second, eager_generator.make_seeds(2).numpy())
    assert first.shape == (2, 2) and not np.array_equal(first, second)
    assert (first[1] == 0).all()
