"""``tf.train``'s machinery: checkpoint files (tensor bundles), the object graph that
names what a checkpoint holds, ``Checkpoint`` and ``CheckpointManager``."""
