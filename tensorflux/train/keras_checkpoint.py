"""Keras weights in TensorFlow's checkpoint format: what ``Model.save_weights`` and
``Model.load_weights`` do for a checkpoint prefix (``"training_1/cp.ckpt"``).

The model is the root of the saved object graph, so the keys are tf_keras' own
(``layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE``, ``optimizer/_iterations/...``)
and tf_keras reads the files, as these functions read tf_keras' files.
"""

from __future__ import annotations

import os

from tensorflux.train import checkpoint_management
from tensorflux.train.checkpoint import read_checkpoint, write_checkpoint

__all__ = ["load_weights", "save_weights"]


def save_weights(model, prefix) -> None:
    """Saves ``model``'s weights (and its compiled optimizer's state) at the checkpoint
    ``prefix`` and records it in the folder's ``checkpoint`` file, as
    ``model.save_weights(prefix)`` does in tf_keras.

    Args:
        model: a Keras model (any trackable object).
        prefix: the checkpoint prefix; missing folders are created.

    Raises:
        ValueError: a model whose weights are not created yet (as tf_keras).

    >>> import tensorflux as tf, tempfile, os
    >>> model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])
    >>> prefix = os.path.join(tempfile.mkdtemp(), "cp.ckpt")
    >>> save_weights(model, prefix)
    >>> [k for k, _ in tf.train.list_variables(prefix)][1]
    'layer_with_weights-0/bias/.ATTRIBUTES/VARIABLE_VALUE'
    """
    prefix = os.fspath(prefix)
    assert_built = getattr(model, "_assert_weights_created", None)
    if assert_built is not None:
        assert_built()  # an unbuilt Sequential or model with its own build(): ValueError
    # tf_keras saves through a Checkpoint whose root is the model, which lists the model
    # once more as its child "root".
    write_checkpoint(model, prefix, extra_root_children={"root": model})
    checkpoint_management.update_checkpoint_state(os.path.dirname(prefix), prefix, [prefix])


def load_weights(model, prefix, options=None):
    """Restores weights saved by :func:`save_weights` or by tf_keras into ``model``, as
    ``model.load_weights(prefix)`` does in tf_keras (``options``: a
    ``tf.train.CheckpointOptions``).

    Weights of layers not built yet (a subclassed model never called) and the slots of
    an optimizer that has not taken a step yet are restored when they are created (a
    legacy optimizer creates its slots, holding the saved values, once the variables
    they slot for exist).

    Returns:
        The restore status (``assert_consumed``, ``expect_partial``, ...).

    Raises:
        tf.errors.NotFoundError: no checkpoint at ``prefix``.
        tf.errors.DataLossError: a truncated or corrupted checkpoint.
        AssertionError: nothing in the checkpoint matches the model.
        ValueError: a saved weight whose shape does not fit the model's.
    """
    status = read_checkpoint(model, prefix, options)
    status.assert_nontrivial_match()
    return status
