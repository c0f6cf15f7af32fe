"""``tf.audio``: reading and writing WAV files."""

from tensorflux.ops.audio_ops import decode_wav, encode_wav  # noqa: F401
