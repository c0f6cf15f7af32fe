"""What each TensorBoard plugin expects in an event: the summary metadata naming the
plugin, and the NumPy encoding of the data into the TensorProto the plugin reads
(histogram buckets, PNG images, WAV audio)."""

from __future__ import annotations

import io
import wave

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.ops.image_codec_ops import _encode_png_kernel
from tensorflux.summary.event_file import encode_metadata, encode_tensor

__all__ = [
    "check_rank",
    "encode_audio",
    "encode_histogram",
    "encode_images",
    "encode_scalar",
    "encode_text",
    "histogram_buckets",
    "image_to_uint8",
    "metadata",
    "wav_bytes",
]

DEFAULT_BUCKET_COUNT = 30
# AudioPluginData.encoding (field 2) = WAV (11).
_AUDIO_CONTENT = b"\x10\x0b"


def metadata(plugin: str, description=None) -> bytes:
    """The serialized SummaryMetadata of ``plugin`` ("scalars", "histograms", "images",
    "text", "audio")."""
    content = _AUDIO_CONTENT if plugin == "audio" else b""
    return encode_metadata(plugin, content, description or "")


def encode_scalar(array: np.ndarray) -> bytes:
    """A rank-0 float32 TensorProto."""
    return encode_tensor(np.asarray(array, dtype=np.float32), dtypes.float32)


def encode_text(array: np.ndarray) -> bytes:
    """A string TensorProto of the array's shape."""
    return encode_tensor(array, dtypes.string)


def histogram_buckets(data, bucket_count: int = DEFAULT_BUCKET_COUNT) -> np.ndarray:
    """``[k, 3]`` float64 rows ``[left edge, right edge, count]``, as TensorBoard's
    ``tf.summary.histogram``: ``k`` equal-width buckets from the minimum to the maximum
    (the last edge exactly the maximum, the maximum counted in the last bucket); all
    zeros when the data is empty; ``k`` buckets of zero width at a single value whose
    last bucket counts everything; a negative count is 0.

    >>> histogram_buckets(np.array([0.0, 1.0, 3.0]), 3).tolist()
    [[0.0, 1.0, 1.0], [1.0, 2.0, 1.0], [2.0, 3.0, 1.0]]
    """
    k = max(0, int(bucket_count))
    values = np.asarray(data, dtype=np.float64).reshape(-1)
    if values.size == 0 or k == 0:
        return np.zeros((k, 3), dtype=np.float64)
    low, high = values.min(), values.max()
    span = high - low
    if span == 0:
        edges = np.full(k, high)
        counts = np.zeros(k)
        counts[-1] = values.size
        return np.stack([edges, edges, counts], axis=1)
    # Indices as TF computes them (floor of offset / width, clamped to the last bucket),
    # the edges as its linspace (start + i * step) with the last set to the maximum.
    width = span / k
    indices = np.minimum(np.floor((values - low) / width).astype(np.int64), k - 1)
    counts = np.bincount(indices, minlength=k).astype(np.float64)
    edges = low + np.arange(k + 1) * (span / k)
    edges[-1] = high
    return np.stack([edges[:-1], edges[1:], counts], axis=1)


def encode_histogram(array: np.ndarray, buckets: int) -> bytes:
    """The histogram plugin's ``[k, 3]`` float64 TensorProto."""
    return encode_tensor(histogram_buckets(array, buckets), dtypes.float64)


def image_to_uint8(images: np.ndarray) -> np.ndarray:
    """Pixels as uint8, as ``tf.image.convert_image_dtype(x, tf.uint8, saturate=True)``:
    floats in [0, 1] are scaled by 255.5 and truncated after clipping; wider integers
    keep their top bits; booleans become 0 or 1."""
    images = np.asarray(images)
    if images.dtype == np.uint8:
        return images
    if images.dtype.kind == "f":
        return np.clip(images.astype(np.float64) * 255.5, 0, 255).astype(np.uint8)
    if images.dtype.kind in "iu":
        info = np.iinfo(images.dtype)
        scale = (int(info.max) + 1) // 256
        return np.clip(images.astype(np.int64) // scale, 0, 255).astype(np.uint8)
    if images.dtype == np.bool_:
        return images.astype(np.uint8)
    raise TypeError(f"Cannot convert images of dtype {images.dtype} to uint8.")


def check_rank(shape, rank: int) -> None:
    """TF's ``assert_rank`` message for summary data of the wrong rank (a known rank)."""
    if shape is not None and len(shape) != rank:
        raise ValueError(
            f"Tensor  must have rank {rank}.  Received rank {len(shape)}, shape {tuple(shape)}"
        )


def encode_images(array: np.ndarray, max_outputs: int) -> bytes:
    """The image plugin's string tensor ``[width, height, png, ...]`` of the first
    ``max_outputs`` images of a ``[k, h, w, c]`` batch."""
    check_rank(array.shape, 4)
    if max_outputs < 0:
        raise ValueError(f"max_outputs must be non-negative, got {max_outputs}")
    pixels = image_to_uint8(array[:max_outputs])
    height, width = array.shape[1], array.shape[2]
    items = [str(width).encode(), str(height).encode()]
    items += [_encode_png_kernel(image, -1).item() for image in pixels]
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return encode_tensor(out, dtypes.string)


def wav_bytes(samples: np.ndarray, sample_rate: int) -> bytes:
    """A 16-bit PCM WAV file of ``[frames, channels]`` float samples in [-1, 1], as TF's
    ``EncodeWav``: clipped, scaled by 32768, rounded half away from zero, saturated."""
    scaled = np.clip(np.asarray(samples, np.float32), -1.0, 1.0) * np.float32(32768.0)
    rounded = np.sign(scaled) * np.floor(np.abs(scaled) + 0.5)
    pcm = np.clip(rounded, -32768, 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(samples.shape[1])
        out.setsampwidth(2)
        out.setframerate(int(sample_rate))
        out.writeframes(pcm.tobytes())
    return buffer.getvalue()


def encode_audio(array: np.ndarray, sample_rate: int, max_outputs: int) -> bytes:
    """The audio plugin's ``[k, 2]`` string tensor: a WAV file and an empty label per
    clip of a ``[k, frames, channels]`` batch."""
    check_rank(array.shape, 3)
    if max_outputs < 0:
        raise ValueError(f"max_outputs must be non-negative, got {max_outputs}")
    clips = np.asarray(array[:max_outputs], dtype=np.float32)
    out = np.empty((len(clips), 2), dtype=object)
    for i, clip in enumerate(clips):
        out[i, 0] = wav_bytes(clip, sample_rate)
        out[i, 1] = b""
    return encode_tensor(out, dtypes.string)
