"""WAV files: ``tf.audio.encode_wav`` and ``decode_wav`` (TF's EncodeWav and DecodeWav).

TF reads and writes 16-bit PCM only: a float sample ``x`` is stored as
``round(x * 32768)`` clamped to the int16 range, and read back as ``int16 / 32768``.
"""

from __future__ import annotations

import collections
import struct

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import context, dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape

__all__ = []

DecodeWav = collections.namedtuple("DecodeWav", ["audio", "sample_rate"])

_SCALE = np.float32(1 << 15)
_PCM = 1


def _error(op_name: str, message: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, op_name, f"{message} [Op:{op_name}]")


def _encode_wav_kernel(audio, sample_rate):
    name = "EncodeWav"
    if audio.ndim != 2:
        raise _error(name, f"audio must be 2-dimensional[{','.join(map(str, audio.shape))}]")
    if np.ndim(sample_rate) != 0:
        raise _error(name, f"Input sample_rate should be a scalar tensor, got {sample_rate.shape}")
    rate = int(sample_rate)
    frames, channels = audio.shape
    if channels < 1:
        raise _error(name, "audio must have at least one channel")
    scaled = np.round(np.asarray(audio, np.float32) * _SCALE)
    pcm = np.clip(scaled, -32768, 32767).astype("<i2").tobytes()
    header = b"RIFF" + struct.pack("<I", 36 + len(pcm)) + b"WAVE"
    fmt = struct.pack(
        "<4sIHHIIHH", b"fmt ", 16, _PCM, channels, rate, rate * channels * 2, channels * 2, 16
    )
    return np.array(header + fmt + b"data" + struct.pack("<I", len(pcm)) + pcm, dtype=object)


def _encode_wav_infer(audio: Spec, sample_rate: Spec) -> Spec:
    return Spec(dtypes.string, TensorShape([]))


def _chunks(data: bytes, name: str):
    """``(chunk id, chunk bytes)`` after the RIFF/WAVE header."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise _error(name, "Header mismatch: the contents are not a RIFF WAVE file")
    position = 12
    while position + 8 <= len(data):
        chunk_id, size = (
            data[position : position + 4],
            struct.unpack_from("<I", data, position + 4)[0],
        )
        body = data[position + 8 : position + 8 + size]
        if len(body) < size:
            raise _error(
                name, f"Data too short when trying to read chunk {chunk_id.decode('latin-1')}"
            )
        yield chunk_id, body
        position += 8 + size + (size & 1)


def _decode_wav_kernel(contents, desired_channels, desired_samples):
    name = "DecodeWav"
    if np.ndim(contents) != 0:
        raise _error(name, f"contents must be scalar, got shape {list(np.shape(contents))}")
    value = contents.item() if isinstance(contents, np.ndarray) else contents
    data = value.encode() if isinstance(value, str) else bytes(value)
    if not data and context.state.graph is not None:
        # Tracing runs kernels on placeholder values; a silent one-frame file stands in.
        return _shaped(np.zeros((1, 1), "<i2"), 1, 0, desired_channels, desired_samples)
    fmt = None
    for chunk_id, body in _chunks(data, name):
        if chunk_id == b"fmt ":
            if len(body) < 16:
                raise _error(name, "Bad file size for the fmt chunk")
            fmt = struct.unpack_from("<HHIIHH", body)
        elif chunk_id == b"data":
            if fmt is None:
                raise _error(name, "The data chunk came before the fmt chunk")
            audio_format, channels, rate, _, _, bits = fmt
            if audio_format != _PCM or bits != 16:
                raise _error(name, f"Can only read 16-bit PCM WAV files, but received {bits} bits")
            if channels < 1:
                raise _error(name, "Bad number of channels: 0")
            usable = len(body) - len(body) % (2 * channels)
            samples = np.frombuffer(body[:usable], "<i2").reshape(-1, channels)
            return _shaped(samples, channels, int(rate), desired_channels, desired_samples)
    raise _error(name, "No data chunk found in WAV")


def _shaped(samples, channels: int, rate: int, desired_channels: int, desired_samples: int):
    """Samples as float32 ``[frames, channels]`` padded or cut to the desired sizes; extra
    channels repeat the last one, as TF does."""
    frames = samples.shape[0] if desired_samples == -1 else desired_samples
    out_channels = channels if desired_channels == -1 else desired_channels
    audio = np.zeros((frames, out_channels), np.float32)
    source = np.minimum(np.arange(out_channels), channels - 1)
    kept = min(frames, samples.shape[0])
    audio[:kept] = samples[:kept][:, source].astype(np.float32) / _SCALE
    return audio, np.asarray(rate, np.int32)


def _decode_wav_infer(contents: Spec, desired_channels, desired_samples):
    frames = None if desired_samples == -1 else desired_samples
    channels = None if desired_channels == -1 else desired_channels
    return Spec(dtypes.float32, TensorShape([frames, channels])), Spec(
        dtypes.int32, TensorShape([])
    )


_ENCODE_WAV = register("EncodeWav", kernel=_encode_wav_kernel, grad=None, infer=_encode_wav_infer)
_DECODE_WAV = register(
    "DecodeWav",
    kernel=_decode_wav_kernel,
    grad=None,
    infer=_decode_wav_infer,
    num_outputs=2,
    allowed=frozenset({dtypes.string}),
    dynamic_shape=True,
)


def encode_wav(audio, sample_rate, name=None):
    """Encodes float32 samples ``[frames, channels]`` in [-1, 1] as a 16-bit PCM WAV file.

    Args:
        audio: float32 Tensor of shape ``[frames, channels]``.
        sample_rate: int32 scalar, samples per second.
        name: ignored; for TF compatibility.

    Returns:
        A scalar string Tensor holding the file's bytes.

    Raises:
        InvalidArgumentError: ``audio`` is not 2-D or ``sample_rate`` not a scalar.

    >>> import tensorflux as tf
    >>> wav = tf.audio.encode_wav(tf.constant([[0.5], [-0.5]]), 8000)
    >>> tf.audio.decode_wav(wav).audio.numpy().ravel().tolist()
    [0.5, -0.5]
    """
    return execute(_ENCODE_WAV, (audio, sample_rate))


def decode_wav(contents, desired_channels=-1, desired_samples=-1, name=None):
    """Decodes a 16-bit PCM WAV file into float32 samples in [-1, 1).

    Args:
        contents: scalar string Tensor, the file's bytes.
        desired_channels: output channels (-1: the file's); extra channels repeat the
            file's last one, fewer keep the first ones.
        desired_samples: output frames (-1: the file's); shorter files are padded with
            zeros, longer ones cut.
        name: ignored; for TF compatibility.

    Returns:
        ``DecodeWav(audio, sample_rate)``: float32 ``[frames, channels]`` and an int32
        scalar.

    Raises:
        InvalidArgumentError: the bytes are not a 16-bit PCM WAV file.
    """
    audio, rate = execute(
        _DECODE_WAV,
        (contents,),
        {"desired_channels": int(desired_channels), "desired_samples": int(desired_samples)},
    )
    return DecodeWav(audio, rate)
