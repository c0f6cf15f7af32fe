"""Shared helpers for the tf.data tests."""

import contextlib

import numpy as np

from tensorflux.data import dataset as dataset_module


@contextlib.contextmanager
def element_by_element():
    """Runs pipelines without block paths: the reference the fast paths must match."""
    saved = dataset_module.use_blocks
    dataset_module.use_blocks = False
    try:
        yield
    finally:
        dataset_module.use_blocks = saved


def as_lists(ds):
    """Every element of ``ds`` as NumPy values, for comparisons."""
    return list(ds.as_numpy_iterator())


def assert_same_elements(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        if isinstance(x, tuple):
            for u, v in zip(x, y):
                np.testing.assert_array_equal(u, v)
        elif isinstance(x, dict):
            assert x.keys() == y.keys()
            for k in x:
                np.testing.assert_array_equal(x[k], y[k])
        else:
            np.testing.assert_array_equal(x, y)
