"""TF's string hashes for the Hashing and StringLookup layers (they live in
``tensorflux.ops.string_hashing``, which ``tf.sparse.cross_hashed`` shares)."""

from tensorflux.ops.string_hashing import fingerprint64, siphash24

__all__ = ["fingerprint64", "siphash24"]
