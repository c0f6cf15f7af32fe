"""TimeseriesGenerator scenarios, run on tf_keras (recording) and on tensorflux (tests).

Each scenario takes the Keras module and returns JSON-able results: the batches (values,
dtypes, shapes), lengths, configs, errors (class and message) and a short ``fit``.
"""

from __future__ import annotations

import numpy as np


def _generator(keras):
    return keras.preprocessing.sequence.TimeseriesGenerator


def _array(a) -> dict:
    a = np.asarray(a)
    return {"dtype": str(a.dtype), "shape": list(a.shape), "value": a.tolist()}


def _batches(gen) -> list:
    return [[_array(x), _array(y)] for x, y in (gen[i] for i in range(len(gen)))]


def _error(fn) -> dict:
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the class and message are what is recorded
        return {"error": type(e).__name__, "message": str(e)}
    return {"error": None}


SERIES = np.arange(20, dtype="float32").reshape(10, 2)
TARGETS = np.arange(10) * 10

SETTINGS = {
    "default": {"length": 3},
    "batch2": {"length": 3, "batch_size": 2},
    "rate_stride": {"length": 4, "sampling_rate": 2, "stride": 3, "batch_size": 2},
    "start_end": {"length": 2, "start_index": 1, "end_index": 7, "batch_size": 3},
    "reverse": {"length": 3, "reverse": True, "batch_size": 4},
    "whole": {"length": 9, "batch_size": 5},
}


def settings(keras) -> dict:
    out = {}
    for name, kwargs in SETTINGS.items():
        gen = _generator(keras)(SERIES, TARGETS, **kwargs)
        out[name] = {
            "len": len(gen),
            "batches": _batches(gen),
            "config": gen.get_config(),
            "json": gen.to_json(),
        }
    return out


def list_data(keras) -> dict:
    data = [[i, i + 0.5] for i in range(8)]
    gen = _generator(keras)(data, list(range(8)), length=2, stride=2, batch_size=2)
    return {
        "len": len(gen),
        "batches": _batches(gen),
        "config": gen.get_config(),
        "json": gen.to_json(indent=1, sort_keys=True),
    }


def shuffled(keras) -> list:
    gen = _generator(keras)(SERIES, TARGETS, length=2, shuffle=True, batch_size=3)
    np.random.seed(7)
    return [[_array(x), _array(y)] for x, y in (gen[0], gen[2], gen[0])]


def past_the_end(keras) -> list:
    gen = _generator(keras)(SERIES, TARGETS, length=3, batch_size=4)
    x, y = gen[len(gen)]
    return [_array(x), _array(y)]


def errors(keras) -> dict:
    gen = _generator(keras)
    return {
        "lengths": _error(lambda: gen(SERIES, TARGETS[:5], length=2)),
        "too_long": _error(lambda: gen(SERIES, TARGETS, length=9, start_index=2)),
        "end_before": _error(lambda: gen(SERIES, TARGETS, length=3, end_index=2)),
        "config_data": _error(lambda: gen([np.float32(1)] * 4, [1] * 4, length=1).get_config()),
        "config_targets": _error(lambda: gen([1] * 4, [np.int64(1)] * 4, length=1).get_config()),
    }


def fit(keras) -> dict:
    series = np.sin(np.arange(40, dtype="float32") / 3.0).reshape(40, 1)
    gen = _generator(keras)(series, series, length=5, batch_size=8)
    model = keras.Sequential([keras.Input((5, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
    model.set_weights([np.linspace(-0.5, 0.5, 5).reshape(5, 1).astype("float32"), np.zeros(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    history = model.fit(gen, epochs=3, shuffle=False, verbose=0)
    return {
        "loss": history.history["loss"],
        "evaluate": model.evaluate(gen, verbose=0),
        "predict": _array(model.predict(gen, verbose=0)),
    }


SCENARIOS = {
    "settings": settings,
    "list_data": list_data,
    "shuffled": shuffled,
    "past_the_end": past_the_end,
    "errors": errors,
    "fit": fit,
}
