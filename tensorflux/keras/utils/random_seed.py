"""``tf.keras.utils.set_random_seed``."""

import random

import numpy as np

from tensorflux.ops.random_ops import set_seed


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
        raise ValueError("Expected `seed` argument to be an integer. "
                         f"Received: seed={seed} (of type {type(seed)})")
    random.seed(seed)
    np.random.seed(seed)
    set_seed(seed)
