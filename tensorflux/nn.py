"""``tf.nn``: activations, softmax, losses with logits, dropout, normalization helpers."""

from tensorflux import nn_experimental as experimental  # noqa: F401
from tensorflux.ops.candidate_sampling_ops import (  # noqa: F401
    compute_accidental_hits,
    fixed_unigram_candidate_sampler,
)
from tensorflux.ops.convolution import (  # noqa: F401
    atrous_conv2d,
    atrous_conv2d_transpose,
    conv1d,
    conv1d_transpose,
    conv2d,
    conv2d_transpose,
    conv3d,
    conv3d_transpose,
    convolution,
)
from tensorflux.ops.cross_entropy_ops import (  # noqa: F401
    sigmoid_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits,
    sparse_softmax_cross_entropy_with_logits,
)
from tensorflux.ops.depthwise_conv_ops import (  # noqa: F401
    depthwise_conv2d,
    depthwise_conv2d_backprop_filter,
    depthwise_conv2d_backprop_input,
    separable_conv2d,
)
from tensorflux.ops.embedding_ops import embedding_lookup  # noqa: F401
from tensorflux.ops.math_extra_ops import approx_max_k, approx_min_k  # noqa: F401
from tensorflux.ops.nn_extra_ops import (  # noqa: F401
    compute_average_loss,
    crelu,
    depth_to_space,
    local_response_normalization,
    log_poisson_loss,
    lrn,
    normalize_moments,
    scale_regularization_loss,
    space_to_depth,
    sufficient_statistics,
    weighted_cross_entropy_with_logits,
    weighted_moments,
    zero_fraction,
)
from tensorflux.ops.nn_ops import (  # noqa: F401
    batch_normalization,
    bias_add,
    dropout,
    elu,
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
from tensorflux.ops.nn_pooling import (  # noqa: F401
    avg_pool,
    avg_pool1d,
    avg_pool2d,
    avg_pool3d,
    max_pool,
    max_pool1d,
    max_pool2d,
    max_pool3d,
    max_pool_with_argmax,
    pool,
)
from tensorflux.ops.sampled_losses import nce_loss, sampled_softmax_loss  # noqa: F401
from tensorflux.ops.space_batch_ops import space_to_batch  # noqa: F401
from tensorflux.ops.unary_math_ops import tanh  # noqa: F401

# Seldom-used ops load (and register) on first use, keeping ``import tensorflux`` fast:
# name -> module.
_LAZY = {
    "collapse_repeated": "ctc_decoder_ops",
    "ctc_beam_search_decoder": "ctc_decoder_ops",
    "ctc_greedy_decoder": "ctc_decoder_ops",
    "ctc_unique_labels": "ctc_decoder_ops",
    "ctc_loss": "ctc_ops",
    "embedding_lookup_sparse": "embedding_sparse_ops",
    "safe_embedding_lookup_sparse": "embedding_sparse_ops",
    "fractional_avg_pool": "fractional_pool_ops",
    "fractional_max_pool": "fractional_pool_ops",
    "isotonic_regression": "isotonic_ops",
    "all_candidate_sampler": "learned_sampling_ops",
    "learned_unigram_candidate_sampler": "learned_sampling_ops",
    "dilation2d": "morphology_ops",
    "erosion2d": "morphology_ops",
    "batch_norm_with_global_normalization": "nn_dispatch_ops",
    "conv_transpose": "nn_dispatch_ops",
    "with_space_to_batch": "nn_dispatch_ops",
}

# The Keras cell wrappers load with Keras, on first use.
_CELL_WRAPPERS = {
    "RNNCellDeviceWrapper": "DeviceWrapper",
    "RNNCellDropoutWrapper": "DropoutWrapper",
    "RNNCellResidualWrapper": "ResidualWrapper",
}


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"tensorflux.ops.{_LAZY[name]}"), name)
    if name in _CELL_WRAPPERS:
        from tensorflux.keras.layers.rnn import rnn_cell_wrappers

        return getattr(rnn_cell_wrappers, _CELL_WRAPPERS[name])

    raise missing_attribute("tf.nn", __name__, name)


# Functions that take RaggedTensors send them to the ragged implementations.
from tensorflux.ops import ragged_dispatch as _ragged_dispatch  # noqa: E402

_ragged_dispatch.install(__name__)
