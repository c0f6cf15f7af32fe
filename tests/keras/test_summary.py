"""model.summary(): the exact text tf_keras 2.21 prints (fixtures/models.json)."""

import json
import os

import pytest

import tensorflux as tf
from tests.keras import record_model_fixtures as cases

with open(cases.FIXTURE) as _f:
    FIXTURES = json.load(_f)


@pytest.fixture(autouse=True)
def fresh_names():
    tf.keras.backend.clear_session()
    yield
    tf.keras.backend.clear_session()


@pytest.mark.parametrize("case", cases.SUMMARY_CASES, ids=lambda c: c.__name__)
def test_summary_matches_keras(case):
    lines = []
    case(tf.keras).summary(print_fn=lines.append)
    assert lines == FIXTURES["summaries"][case.__name__]


def test_show_trainable_column():
    lines = []
    cases.sequential_with_input_shape(tf.keras).summary(print_fn=lines.append, show_trainable=True)
    assert lines == FIXTURES["summaries"]["show_trainable"]


def test_default_print_fn_prints(capsys):
    cases.functional_chain(tf.keras).summary()
    assert capsys.readouterr().out.splitlines() == FIXTURES["summaries"]["functional_chain"]


def test_custom_line_length_and_positions():
    lines = []
    cases.functional_chain(tf.keras).summary(
        print_fn=lines.append, line_length=40, positions=[20, 32, 40]
    )
    assert lines == FIXTURES["summaries"]["narrow"]


def test_unbuilt_summary_raises():
    want = FIXTURES["errors"]["unbuilt_summary"][1]
    with pytest.raises(ValueError, match=want.replace("(", r"\(").replace(")", r"\)")):
        tf.keras.Sequential([tf.keras.layers.Dense(2)]).summary()


def test_fixture_file_is_where_the_recorder_writes():
    assert os.path.exists(cases.FIXTURE)


def test_a_sublayer_that_call_never_uses_is_listed_as_unused():
    class OneOfTwo(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.used = tf.keras.layers.Dense(2, name="used")
            self.spare = tf.keras.layers.Dense(5, name="spare")

        def call(self, inputs):
            return self.used(inputs)

    model = OneOfTwo()
    model(tf.zeros((1, 3)))
    lines = []
    model.summary(print_fn=lines.append)
    # As tf_keras 2.21 prints these rows.
    assert " used (Dense)                multiple                  8         " in lines
    assert " spare (Dense)               multiple                  0 (unused)" in lines
    assert "Total params: 8 (32.00 Byte)" in lines
