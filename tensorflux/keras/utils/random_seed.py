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
