"""``tf.nn``: activations, softmax, losses with logits, dropout, normalization helpers."""

from tensorflux.ops.cross_entropy_ops import (  # noqa: F401
    sigmoid_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits,
    sparse_softmax_cross_entropy_with_logits,
)
from tensorflux.ops.math_ops import tanh  # noqa: F401
from tensorflux.ops.nn_ops import (  # noqa: F401
    batch_normalization,
    bias_add,
    dropout,
    elu,
    embedding_lookup,
    gelu,
    in_top_k,
    l2_loss,
    l2_normalize,
    leaky_relu,
    log_softmax,
    moments,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    softmax,
    softplus,
    softsign,
    swish,
    top_k,
)


def __getattr__(name):
    from tensorflux.tf_names import missing_attribute

    raise missing_attribute("tf.nn", __name__, name)
