"""The fast paths of the Philox sampler give the numbers of its plain path.

Large draws run on several threads and large float32 normal draws read Box-Muller
from tables; TF's numbers themselves are checked against fixtures in
``test_random_streams.py`` and ``test_random_ops.py`` on small draws, so here each fast
path is compared with the plain one on the same stream.
"""

import numpy as np
import pytest

from tensorflux.kernels import threads
from tensorflux.ops import philox

KEY = 0x1234567890ABCDEF
# Near the top of the low counter word, so the stream carries into the high word.
COUNTER = (7 << 64) | ((1 << 64) - 5)


@pytest.fixture
def one_thread():
    threads.set_intra_op_threads(1)
    yield
    threads.set_intra_op_threads(0)


@pytest.mark.parametrize("dist", ["uniform", "normal", "truncated_normal"])
def test_threaded_draws_equal_one_thread(dist, one_thread):
    size = 8 * philox._PARALLEL_MIN_CALLS + 4 * philox._CHUNK + 3
    serial = getattr(philox, dist)(KEY, COUNTER, size, np.float32)
    threads.set_intra_op_threads(2)
    parallel = getattr(philox, dist)(KEY, COUNTER, size, np.float32)
    np.testing.assert_array_equal(parallel, serial)


def test_box_muller_tables_equal_the_transform():
    rng = np.random.default_rng(3)
    x0 = rng.integers(0, 2**32, 200_000, dtype=np.uint32)
    x1 = rng.integers(0, 2**32, 200_000, dtype=np.uint32)
    # The mantissa extremes: u1 clamped to 1e-7, and the angle's last step below 2 pi.
    x0[:2] = [0, 0x7FFFFF]
    x1[:2] = [0, 0xFFFFFFFF]
    plain = philox.box_muller_float(x0, x1)
    tabled = philox.box_muller_float(x0, x1, philox._box_muller_tables())
    np.testing.assert_array_equal(tabled[0], plain[0])
    np.testing.assert_array_equal(tabled[1], plain[1])


@pytest.mark.parametrize("dist", ["normal", "truncated_normal"])
def test_large_draws_use_the_tables_with_the_same_numbers(dist, monkeypatch):
    size = 40_003
    plain = getattr(philox, dist)(KEY, COUNTER, size, np.float32)
    tables = philox._box_muller_tables()
    used = []
    monkeypatch.setattr(philox, "_TABLE_MIN_PAIRS", 16)
    monkeypatch.setattr(philox, "_box_muller_tables", lambda: used.append(True) or tables)
    tabled = getattr(philox, dist)(KEY, COUNTER, size, np.float32)
    assert used
    np.testing.assert_array_equal(tabled, plain)
