"""The string hashes the Hashing and StringLookup layers use (they live with the ops)."""

from tensorflux.ops.string_hashing import fingerprint64, siphash24  # noqa: F401
