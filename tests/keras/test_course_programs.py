"""Behaviours course programs rely on, against tf_keras fixtures
(``record_course_program_fixtures.py``): the shuffles a seeded dataset shows each
``fit``/``evaluate`` epoch, nested Sequential models built from an inner
``input_shape``, lookups of ragged characters, ``super().__init__(self)``, the types
``get_vocabulary`` lists and an InputLayer's config."""

import json
from pathlib import Path

import pytest

import tensorflux as tf
from tests.keras import course_program_cases as cases

FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "course_programs.json").read_text())


@pytest.mark.parametrize("name", sorted(cases.CASES))
def test_course_program_behaviour_matches_tf_keras(name):
    assert cases.run(tf, tf.keras, name) == FIXTURES[name]


def test_nested_model_without_layers_is_refused():
    with pytest.raises(ValueError, match="An empty Model cannot be used as a Layer"):
        tf.keras.Sequential([tf.keras.Sequential(), tf.keras.layers.Dense(1)])
