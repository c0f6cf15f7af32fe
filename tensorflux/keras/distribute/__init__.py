"""How Keras training runs under a ``tf.distribute`` strategy: sharded steps, loss
scaling, metric aggregation over workers, and files written by the chief only."""
