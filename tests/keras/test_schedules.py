"""keras.optimizers.schedules: values and configs against tf_keras fixtures."""

import json
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras.optimizers import schedules

FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "optimizers.json").read_text())
STEPS = FIXTURES["schedule_steps"]


@pytest.fixture(params=FIXTURES["schedules"], ids=lambda c: c["name"] + "-" + "-".join(c["kwargs"]))
def case(request):
    return request.param


def test_values_match_keras(case):
    schedule = getattr(schedules, case["name"])(**case["kwargs"])
    values = [schedule(step) for step in STEPS]
    assert all(v.dtype.name == case["dtype"] for v in values)
    np.testing.assert_allclose([float(v) for v in values], case["values"], rtol=1e-6, atol=1e-9)


def test_step_may_be_an_int64_variable(case):
    schedule = getattr(schedules, case["name"])(**case["kwargs"])
    step = tf.Variable(np.int64(STEPS[3]))
    assert float(schedule(step)) == pytest.approx(case["values"][3], rel=1e-6, abs=1e-9)


def test_serialize_round_trip_matches_keras(case):
    schedule = getattr(schedules, case["name"])(**case["kwargs"])
    config = schedules.serialize(schedule)
    assert config == case["config"]
    restored = schedules.deserialize(config)
    assert type(restored) is type(schedule)
    assert restored.get_config() == schedule.get_config()


def test_schedule_inside_tf_function_follows_the_step():
    schedule = schedules.PolynomialDecay(1.0, 10, end_learning_rate=0.0)
    step = tf.Variable(np.int64(0))

    @tf.function
    def rate():
        return schedule(step)

    values = []
    for s in (0, 5, 20):
        step.assign(np.int64(s))
        values.append(float(rate()))
    assert values == pytest.approx([1.0, 0.5, 0.0])


@pytest.mark.parametrize(
    "make, fragment",
    [
        (lambda: schedules.ExponentialDecay(0.1, 0, 0.5), "`decay_steps` must be > 0"),
        (lambda: schedules.InverseTimeDecay(0.1, -1, 0.5), "`decay_steps` must be > 0"),
        (lambda: schedules.PolynomialDecay(0.1, 0), "`decay_steps` must be > 0"),
        (lambda: schedules.CosineDecay(0.1, 0), "`decay_steps` must be > 0"),
        (lambda: schedules.CosineDecayRestarts(0.1, 0), "`first_decay_steps` must be > 0"),
        (
            lambda: schedules.PiecewiseConstantDecay([1, 2], [1.0, 0.5]),
            "length of boundaries should be 1 less than the length of values",
        ),
        (
            lambda: schedules.deserialize({"class_name": "Nope", "config": {}}),
            "Unknown learning rate schedule: 'Nope'",
        ),
    ],
    ids=["exp", "inv", "poly", "cos", "restarts", "piecewise", "unknown"],
)
def test_errors(make, fragment):
    with pytest.raises(ValueError) as info:
        make()
    assert fragment in str(info.value)


def test_custom_schedule_and_abstract_base():
    class Halving(schedules.LearningRateSchedule):
        def __call__(self, step):
            return 0.5 ** tf.cast(step, tf.float32)

        def get_config(self):
            return {}

    restored = schedules.deserialize(
        schedules.serialize(Halving()), custom_objects={"Halving": Halving}
    )
    assert float(restored(2)) == 0.25
    with pytest.raises(NotImplementedError, match="must override `__call__"):
        schedules.LearningRateSchedule()(0)
