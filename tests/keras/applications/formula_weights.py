"""Deterministic weights and inputs by formula, shared by the applications fixture
recorder (run under TensorFlow) and the tests (run under tensorflux): NumPy only."""

import numpy as np


def _fan_in(name, shape):
    if len(shape) < 2:
        return 1
    if "depthwise" in name:
        return int(np.prod(shape[:-2]))
    return int(np.prod(shape[:-1]))


def formula_values(weights):
    """One float32 array per ``(name, shape)``: a sine wave, scaled by 1/sqrt(fan_in)
    for kernels; variances and BatchNormalization scales stay positive."""
    values = []
    for k, (name, shape) in enumerate(weights):
        n = int(np.prod(shape))
        wave = np.sin(np.arange(n, dtype=np.float64) * 0.731 + 0.37 * k).reshape(shape)
        base = name.split("/")[-1].split(":")[0]
        if base == "count":
            values.append(np.zeros(shape, np.int64))
            continue
        if "variance" in base:
            value = 1.0 + 0.5 * np.abs(wave)
        elif base == "gamma":
            value = 1.0 + 0.1 * wave
        elif len(shape) < 2:
            value = 0.1 * wave
        else:
            value = wave * np.sqrt(2.0 / _fan_in(name, shape))
        values.append(value.astype(np.float32))
    return values


def formula_input(shape, scale):
    """A float32 batch in [0, scale] (a smooth pattern, distinct per pixel)."""
    n = int(np.prod(shape))
    wave = 0.5 + 0.5 * np.sin(np.arange(n, dtype=np.float64) * 0.0137 * 7.3)
    return (scale * wave).reshape(shape).astype(np.float32)
