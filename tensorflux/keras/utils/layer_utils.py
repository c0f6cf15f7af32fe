"""``keras.utils.get_source_inputs`` (the Input tensors a functional-API tensor comes
from) and ``warmstart_embedding_matrix`` (an embedding matrix carried over to a new
vocabulary)."""

from __future__ import annotations

import os

import numpy as np

from tensorflux.framework import nest
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.gather_ops import gather
from tensorflux.ops.scatter_ops import tensor_scatter_nd_update

__all__ = ["get_source_inputs", "warmstart_embedding_matrix"]


def get_source_inputs(tensor, layer=None, node_index=None):
    """The ``keras.Input`` tensors needed to compute the Keras tensor ``tensor``, each
    once, in the order the graph reaches them (``[tensor]`` for an Input itself).

    Args:
        tensor: a Keras tensor; any other value is returned as it is.
        layer / node_index: the layer call that produced ``tensor`` (default: its own
            history; as in Keras, a truthy ``node_index`` also falls back to it).

    Returns:
        A list of Keras tensors.

    >>> import tensorflux as tf
    >>> a, b = tf.keras.Input((3,), name="a"), tf.keras.Input((3,), name="b")
    >>> y = tf.keras.layers.Dense(2)(tf.keras.layers.Add()([a, b]))
    >>> [t is a for t in tf.keras.utils.get_source_inputs(y)]
    [True, False]
    """
    history = getattr(tensor, "_keras_history", None)
    if not hasattr(tensor, "_keras_history"):
        return tensor
    if layer is None or node_index:
        if history is None:
            return [tensor]
        layer, node_index, _ = history
    if not layer._inbound_nodes:
        return [tensor]
    node = layer._inbound_nodes[node_index]
    if node.is_input:
        return nest.flatten(node.outputs)
    sources = []
    for parent in node.keras_inputs:
        parent_layer, parent_index, _ = parent._keras_history
        for x in get_source_inputs(parent, parent_layer, parent_index):
            if all(x is not s for s in sources):
                sources.append(x)
    return sources


def _vocabulary_list(vocab) -> list:
    """The terms of a vocabulary given as a tensor (bytes terms, as Keras reads them),
    an array, list or tuple, or the path of a file with one term per line.

    Raises:
        ValueError: another kind of value, a missing file or an empty vocabulary.
    """
    if isinstance(vocab, Tensor):
        terms = list(vocab.numpy())
    elif isinstance(vocab, (np.ndarray, tuple, list)):
        terms = list(vocab)
    elif isinstance(vocab, str):
        if not os.path.exists(vocab):
            raise ValueError(f"Vocabulary file {vocab} does not exist.")
        with open(vocab, encoding="utf-8") as f:
            terms = f.read().splitlines()
    else:
        raise ValueError(
            "Vocabulary is expected to be either a NumPy array, list, 1D tensor or a "
            f"vocabulary text file. Instead type {type(vocab)} was received."
        )
    if not terms:
        raise ValueError(
            "Vocabulary is expected to be either a NumPy array, list, 1D tensor or a "
            "vocabulary text file with at least one token. Received 0 instead."
        )
    return terms


def warmstart_embedding_matrix(
    base_vocabulary, new_vocabulary, base_embeddings, new_embeddings_initializer="uniform"
):
    """An embedding matrix for ``new_vocabulary`` that keeps the rows of
    ``base_embeddings`` for the terms both vocabularies share; the other rows come from
    ``new_embeddings_initializer``.

    Args:
        base_vocabulary: the terms of ``base_embeddings``' rows: a 1-D tensor, array,
            list or tuple, or a text file with one term per line.
        new_vocabulary: the new terms, in the same forms.
        base_embeddings: the current matrix, ``(len(base_vocabulary), dim)``.
        new_embeddings_initializer: a ``keras.initializers`` name or object for the rows
            of new terms (default ``"uniform"``).

    Returns:
        A ``(len(new_vocabulary), dim)`` tensor of ``base_embeddings``' dtype.

    Raises:
        ValueError: a vocabulary of another kind, a missing file or an empty vocabulary.

    >>> import numpy as np
    >>> import tensorflux as tf
    >>> base = np.array([[1.0, 1.0], [2.0, 2.0]], np.float32)
    >>> tf.keras.utils.warmstart_embedding_matrix(
    ...     ["a", "b"], ["b", "new", "a"], base, tf.keras.initializers.Zeros()).numpy()
    array([[2., 2.],
           [0., 0.],
           [1., 1.]], dtype=float32)
    """
    from tensorflux.keras import initializers

    base_terms = _vocabulary_list(base_vocabulary)
    new_terms = _vocabulary_list(new_vocabulary)
    initializer = initializers.get(new_embeddings_initializer)
    matrix = initializer(
        shape=(len(new_terms), base_embeddings.shape[1]), dtype=base_embeddings.dtype
    )
    # A term listed twice in the base vocabulary keeps its last row, as in Keras.
    base_rows = {term: i for i, term in enumerate(base_terms)}
    pairs = [(i, base_rows[term]) for i, term in enumerate(new_terms) if term in base_rows]
    if pairs:
        new_rows, old_rows = (list(p) for p in zip(*pairs))
        matrix = tensor_scatter_nd_update(
            matrix,
            np.array(new_rows, np.int32)[:, None],
            gather(base_embeddings, np.array(old_rows, np.int32)),
        )
    return matrix
