"""Random initializers: ``RandomNormal``, ``RandomUniform``, ``TruncatedNormal``,
``VarianceScaling`` and its named forms (Glorot, He, LeCun), ``Orthogonal``.

They draw tf_keras' numbers: stateless draws seeded as tf_keras seeds them (see
``initializer.draw``), with Keras' fan rules and configs.
"""

from __future__ import annotations

import math

import numpy as np

from tensorflux.framework.tensor import constant
from tensorflux.keras.initializers.initializer import (
    Initializer,
    draw,
    float_dtype,
    shape_tuple,
)

__all__ = [
    "GlorotNormal",
    "GlorotUniform",
    "HeNormal",
    "HeUniform",
    "LecunNormal",
    "LecunUniform",
    "Orthogonal",
    "RandomNormal",
    "RandomUniform",
    "TruncatedNormal",
    "VarianceScaling",
]

# Standard deviation of a standard normal truncated to [-2, 2]; dividing by it gives
# the truncated draw the requested variance.
_TRUNCATED_STDDEV = 0.87962566103423978


class RandomNormal(Initializer):
    """Normal draws with ``mean`` and ``stddev`` (``"random_normal"``).

    Args:
        mean: the mean.
        stddev: the standard deviation.
        seed: the seed of the stateless draw. ``None`` takes one on the first call
            from the generator ``tf.keras.utils.set_random_seed`` seeds (else from
            Python's ``random``). Either way every call returns the same values.

    >>> import tensorflux as tf
    >>> tf.keras.initializers.RandomNormal(stddev=0.01, seed=1)((2, 3)).shape
    TensorShape([2, 3])
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        self.seed = seed

    def __call__(self, shape, dtype=None, **kwargs):
        dtype = float_dtype(dtype, "RandomNormal")
        return draw(self, "normal", shape_tuple(shape), dtype, self.mean, self.stddev)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class TruncatedNormal(Initializer):
    """Normal draws with ``mean`` and ``stddev``, redrawn when more than two ``stddev``
    from the mean (``"truncated_normal"``). Arguments as ``RandomNormal``."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        self.seed = seed

    def __call__(self, shape, dtype=None, **kwargs):
        dtype = float_dtype(dtype, "TruncatedNormal")
        return draw(self, "truncated_normal", shape_tuple(shape), dtype, self.mean, self.stddev)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class RandomUniform(Initializer):
    """Uniform draws on ``[minval, maxval)`` (``"random_uniform"``).

    Args:
        minval: the lower bound.
        maxval: the upper bound.
        seed: see ``RandomNormal``.
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval = minval
        self.maxval = maxval
        self.seed = seed

    def __call__(self, shape, dtype=None, **kwargs):
        dtype = float_dtype(dtype, "RandomUniform")
        return draw(self, "uniform", shape_tuple(shape), dtype, self.minval, self.maxval)

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


def compute_fans(shape: tuple) -> tuple:
    """``(fan_in, fan_out)`` as Keras computes them: a conv kernel
    ``(*spatial, in, out)`` counts its receptive field into both."""
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


class VarianceScaling(Initializer):
    """Draws with variance ``scale / n``, ``n`` the fan chosen by ``mode``.

    ``"truncated_normal"`` (also spelled ``"normal"``): normal within two standard
    deviations, rescaled to the variance; ``"untruncated_normal"``: plain normal;
    ``"uniform"``: uniform on ``[-sqrt(3 * scale / n), sqrt(3 * scale / n)]``.

    Args:
        scale: positive scale of the variance.
        mode: ``"fan_in"``, ``"fan_out"`` or ``"fan_avg"``.
        distribution: ``"truncated_normal"``, ``"untruncated_normal"`` or ``"uniform"``.
        seed: see ``RandomNormal``.

    Raises:
        ValueError: a non-positive ``scale``, or an unknown ``mode`` or ``distribution``.

    >>> import tensorflux as tf
    >>> init = tf.keras.initializers.VarianceScaling(2.0, "fan_in", "uniform", seed=0)
    >>> bool(tf.reduce_all(tf.abs(init((100, 5))) <= (6 / 100) ** 0.5))
    True
    """

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None):
        if scale <= 0.0:
            raise ValueError(f"`scale` must be positive float. Received: scale={scale}.")
        allowed_modes = {"fan_in", "fan_out", "fan_avg"}
        if mode not in allowed_modes:
            raise ValueError(
                f"Invalid `mode` argument: {mode}. Please use one of {sorted(allowed_modes)}."
            )
        distribution = distribution.lower()
        if distribution == "normal":  # the Keras 1 spelling
            distribution = "truncated_normal"
        allowed = {"uniform", "truncated_normal", "untruncated_normal"}
        if distribution not in allowed:
            raise ValueError(
                f"Invalid `distribution` argument: {distribution}. Allowed "
                f"distributions: {sorted(allowed)}."
            )
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.seed = seed

    def __call__(self, shape, dtype=None, **kwargs):
        dtype = float_dtype(dtype, type(self).__name__)
        shape = shape_tuple(shape)
        fan_in, fan_out = compute_fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}
        variance = self.scale / max(1.0, n[self.mode])
        if self.distribution == "uniform":
            limit = math.sqrt(3.0 * variance)
            return draw(self, "uniform", shape, dtype, -limit, limit)
        if self.distribution == "untruncated_normal":
            return draw(self, "normal", shape, dtype, 0.0, math.sqrt(variance))
        return draw(
            self, "truncated_normal", shape, dtype, 0.0, math.sqrt(variance) / _TRUNCATED_STDDEV
        )

    def get_config(self):
        return {
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            "seed": self.seed,
        }


class _NamedVarianceScaling(VarianceScaling):
    """A ``VarianceScaling`` with fixed arguments; its config is just the seed."""

    _args: tuple = ()

    def __init__(self, seed=None):
        super().__init__(*self._args, seed=seed)

    def get_config(self):
        return {"seed": self.seed}


class GlorotUniform(_NamedVarianceScaling):
    """Glorot (Xavier) uniform: ``U(-limit, limit)``, ``limit = sqrt(6 / (fan_in +
    fan_out))`` (``"glorot_uniform"``, the default kernel initializer).

    Args:
        seed: see ``RandomNormal``.
    """

    _args = (1.0, "fan_avg", "uniform")


class GlorotNormal(_NamedVarianceScaling):
    """Glorot (Xavier) normal: truncated normal with ``stddev = sqrt(2 / (fan_in +
    fan_out))`` (``"glorot_normal"``)."""

    _args = (1.0, "fan_avg", "truncated_normal")


class HeUniform(_NamedVarianceScaling):
    """He uniform: ``U(-limit, limit)``, ``limit = sqrt(6 / fan_in)`` (``"he_uniform"``)."""

    _args = (2.0, "fan_in", "uniform")


class HeNormal(_NamedVarianceScaling):
    """He normal: truncated normal with ``stddev = sqrt(2 / fan_in)`` (``"he_normal"``)."""

    _args = (2.0, "fan_in", "truncated_normal")


class LecunUniform(_NamedVarianceScaling):
    """LeCun uniform: ``U(-limit, limit)``, ``limit = sqrt(3 / fan_in)``
    (``"lecun_uniform"``)."""

    _args = (1.0, "fan_in", "uniform")


class LecunNormal(_NamedVarianceScaling):
    """LeCun normal: truncated normal with ``stddev = sqrt(1 / fan_in)``
    (``"lecun_normal"``)."""

    _args = (1.0, "fan_in", "truncated_normal")


class Orthogonal(Initializer):
    """A (semi-)orthogonal matrix times ``gain`` (``"orthogonal"``): the Q of a QR
    decomposition of a normal draw, sign-corrected so it is uniformly distributed.
    Shapes of rank > 2 are treated as ``(prod(shape[:-1]), shape[-1])``.

    Args:
        gain: the factor.
        seed: see ``RandomNormal``.

    Raises:
        ValueError: a shape of rank below 2.
    """

    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        self.seed = seed

    def __call__(self, shape, dtype=None, **kwargs):
        shape = shape_tuple(shape)
        if len(shape) < 2:
            raise ValueError(
                f"The tensor to initialize must be at least two-dimensional. "
                f"Received: shape={shape} of rank {len(shape)}."
            )
        dtype = float_dtype(dtype, "Orthogonal")
        rows, cols = math.prod(shape[:-1]), shape[-1]
        flat = (max(rows, cols), min(rows, cols))
        a = draw(self, "normal", flat, dtype, 0.0, 1.0).numpy()
        # The QR happens once per weight at build time, outside any gradient: NumPy's
        # LAPACK QR directly, not a graph op (in the draw's precision, as tf_keras).
        if a.dtype.name in ("float16", "bfloat16"):
            a = a.astype(np.float32)  # LAPACK has no 16-bit QR (TF's is within rounding)
        q, r = np.linalg.qr(a)
        q = q * np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        return constant((self.gain * q).reshape(shape), dtype)

    def get_config(self):
        return {"gain": self.gain, "seed": self.seed}
