"""CRC-32C: known values, the NumPy lanes against the byte loop, extend, mask."""

import numpy as np
import pytest

from tensorflux.framework import crc32c


def _reference(data: bytes) -> int:
    return crc32c._raw_loop(0xFFFFFFFF, data) ^ 0xFFFFFFFF


def test_known_values():
    assert crc32c.value(b"") == 0
    assert crc32c.value(b"123456789") == 0xE3069283
    assert crc32c.value(b"\x00" * 32) == 0x8A9136AA  # RFC 3720 test vector
    assert crc32c.value(b"\xff" * 32) == 0x62A8AB43


@pytest.mark.parametrize("size", [4095, 4096, 4097, 6000, 65536 + 7, 300_001])
def test_numpy_lanes_match_the_byte_loop(size):
    data = np.random.default_rng(size).integers(0, 256, size, dtype=np.uint8).tobytes()
    assert crc32c.extend(0, data) == _reference(data)
    assert crc32c._raw_numpy(0xFFFFFFFF, memoryview(data)) ^ 0xFFFFFFFF == _reference(data)


def test_extend_equals_value_of_concatenation():
    data = np.random.default_rng(0).integers(0, 256, 20_000, dtype=np.uint8).tobytes()
    for cut in (0, 3, 5000, 19_999):
        assert crc32c.extend(crc32c.value(data[:cut]), data[cut:]) == crc32c.value(data)


def test_accepts_numpy_arrays_and_memoryviews():
    array = np.arange(3000, dtype=np.float32)
    assert crc32c.value(array) == crc32c.value(array.tobytes())
    assert crc32c.value(memoryview(array.tobytes())) == crc32c.value(array.tobytes())


def test_mask_matches_tensorflow_and_inverts():
    # A TensorFlow-written string tensor stores mask(crc(lengths 2, 0, 4 as uint32)).
    lengths = np.array([2, 0, 4], "<u4").tobytes()
    assert crc32c.mask(crc32c.value(lengths)).to_bytes(4, "little") == b"\x1aP\x1f\xfc"
    for crc in (0, 1, 0xFFFFFFFF, 0x12345678):
        assert crc32c.unmask(crc32c.mask(crc)) == crc
