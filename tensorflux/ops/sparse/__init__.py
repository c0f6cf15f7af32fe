"""``tf.sparse``'s ops and SparseTensor, one module per topic (the public names are
assembled in ``tensorflux.sparse``; this package imports nothing itself, so that the
engine and tf.data can use SparseTensor without loading every sparse op)."""
