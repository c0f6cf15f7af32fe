"""keras.utils.split_dataset against tf_keras fixtures (``record_split_dataset_fixtures.py``):
arrays, lists/tuples of arrays and Datasets (tuple, dict, batched elements), fractions
and counts, seeded shuffles, and every error message."""

import json
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tests.keras import split_dataset_cases as cases

FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "split_dataset.json").read_text())


@pytest.mark.parametrize("name", sorted(cases.CASES))
def test_split_dataset_matches_tf_keras(name):
    assert cases.run(tf, tf.keras, name) == FIXTURES[name]


def test_splits_are_prefetched_datasets_with_cardinality():
    left, right = tf.keras.utils.split_dataset(np.zeros((10, 3)), left_size=0.8)
    assert isinstance(left, tf.data.Dataset)
    assert int(left.cardinality()) == 8 and int(right.cardinality()) == 2


def test_shuffle_without_seed_keeps_every_sample_once():
    left, right = tf.keras.utils.split_dataset(np.arange(20.0), left_size=15, shuffle=True)
    values = sorted(float(v) for v in list(left) + list(right))
    assert values == list(np.arange(20.0))


def test_dataset_argument_of_another_kind():
    with pytest.raises(TypeError, match="must be either a `tf.data.Dataset` object"):
        tf.keras.utils.split_dataset(tf.constant([1.0, 2.0]), left_size=1)
