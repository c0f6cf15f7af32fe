"""``tf.keras.utils.set_random_seed``."""

import random

import numpy as np

from tensorflux.ops.random_ops import set_seed

# The generator tf_keras' unseeded initializers take their seeds from (tf_keras'
# backend._SEED_GENERATOR): set by set_random_seed, None until then.
_seed_generator = None


def seed_generator():
    """The ``random.Random`` that ``set_random_seed`` seeded, or None."""
    return _seed_generator


def set_random_seed(seed):
    """Seeds Python's ``random``, NumPy's global generator and ``tf.random``.

    After it, a program that draws its randomness from these (weight
    initializers, dropout, shuffling in ``fit``) gives the same results each run.

    Args:
        seed: an integer.

    Raises:
        ValueError: if ``seed`` is not an integer.

    >>> set_random_seed(42)
    """
    if not isinstance(seed, int):
        raise ValueError(
            "Expected `seed` argument to be an integer. "
            f"Received: seed={seed} (of type {type(seed)})"
        )
    global _seed_generator
    random.seed(seed)
    np.random.seed(seed)
    set_seed(seed)
    _seed_generator = random.Random(seed)


def next_legacy_seed(layer):
    """The op seed of a random layer's next draw, as tf_keras' legacy random layers take
    it: None when the layer has no seed, else ``seed``, ``seed + 1``, ... per call."""
    if layer.seed is None:
        return None
    seed = getattr(layer, "_next_seed", layer.seed)
    layer._next_seed = seed + 1
    return seed


# tf_keras' switch (keras.backend.experimental): random layers made while it is on draw
# from a tf.random.Generator of their own instead of the legacy seeded ops.
_use_tf_generator = False


def enable_tf_random_generator():
    """Random layers made from now on (Dropout, GaussianNoise, the RNN cells' dropout...)
    draw from a ``tf.random.Generator`` of their own, seeded by their ``seed`` (else
    from ``set_random_seed``'s generator), as tf_keras does with this switch."""
    global _use_tf_generator
    _use_tf_generator = True


def disable_tf_random_generator():
    """Random layers made from now on use the legacy seeded random ops (the default)."""
    global _use_tf_generator
    _use_tf_generator = False


def is_tf_random_generator_enabled() -> bool:
    """Whether random layers made now draw from a ``tf.random.Generator``."""
    return _use_tf_generator


def draws_from_generator(layer) -> bool:
    """Whether ``layer`` draws from its own generator: decided when it was made (or,
    for a layer that did not record it, on its first draw)."""
    if "_draws_from_generator" not in layer.__dict__:
        object.__setattr__(layer, "_draws_from_generator", _use_tf_generator)
    return layer.__dict__["_draws_from_generator"]
