"""Variable names as tf_keras gives them (fixtures/weight_names.json, recorded by
record_weight_name_fixtures.py): layer calls name weights under the layer's name and the
enclosing layers', a build without a call under the enclosing name scope only."""

import json
import pathlib

import pytest

import tensorflux as tf
from tests.keras.weight_name_cases import CASES

FIXTURES = json.loads(
    (pathlib.Path(__file__).parent / "fixtures" / "weight_names.json").read_text()
)


@pytest.mark.parametrize("case", sorted(CASES))
def test_variable_names_match_tf_keras(case):
    tf.keras.backend.clear_session()
    assert CASES[case](tf) == FIXTURES[case]
