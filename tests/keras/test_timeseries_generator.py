"""tf.keras.preprocessing.sequence.TimeseriesGenerator against tf_keras (the fixture is
written by tests/keras/record_timeseries_generator_fixtures.py)."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

import tensorflux as tf
from tests.keras import timeseries_generator_scenarios as scenarios

FIXTURE = pathlib.Path(__file__).resolve().parent / "fixtures" / "timeseries_generator.json"
RECORDED = json.loads(FIXTURE.read_text())


@pytest.mark.parametrize("name", ["settings", "list_data", "shuffled", "past_the_end"])
def test_batches_match_tf_keras(name):
    assert scenarios.SCENARIOS[name](tf.keras) == RECORDED[name]


def test_errors_match_tf_keras():
    got = scenarios.errors(tf.keras)
    for case, want in RECORDED["errors"].items():
        assert got[case]["error"] == want["error"], case
        if case.startswith("config"):
            # The rest of the message is the data's repr, which depends on NumPy's version.
            assert got[case]["message"].split(", [")[0] == want["message"].split(", [")[0]
        else:
            assert got[case]["message"] == want["message"], case


def test_fit_evaluate_predict_match_tf_keras():
    got, want = scenarios.fit(tf.keras), RECORDED["fit"]
    np.testing.assert_allclose(got["loss"], want["loss"], rtol=1e-4)
    np.testing.assert_allclose(got["evaluate"], want["evaluate"], rtol=1e-4)
    assert got["predict"]["shape"] == want["predict"]["shape"]
    np.testing.assert_allclose(got["predict"]["value"], want["predict"]["value"], atol=1e-5)


def test_is_a_sequence():
    gen = tf.keras.preprocessing.sequence.TimeseriesGenerator(
        np.arange(6), np.arange(6), length=2, batch_size=2
    )
    assert isinstance(gen, tf.keras.utils.Sequence)
    assert [y.tolist() for _, y in gen] == [[2, 3], [4, 5]]
