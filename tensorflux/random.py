"""``tf.random``: random tensors and the global seed."""

from tensorflux.ops.candidate_sampling_ops import (  # noqa: F401
    fixed_unigram_candidate_sampler,
    log_uniform_candidate_sampler,
    uniform_candidate_sampler,
)
from tensorflux.ops.random_algorithms import Algorithm  # noqa: F401
from tensorflux.ops.random_binomial_ops import stateless_binomial  # noqa: F401
from tensorflux.ops.random_gamma_ops import gamma, stateless_gamma  # noqa: F401
from tensorflux.ops.random_ops import (  # noqa: F401
    categorical,
    normal,
    set_seed,
    shuffle,
    truncated_normal,
    uniform,
)
from tensorflux.ops.random_poisson_ops import poisson, stateless_poisson  # noqa: F401
from tensorflux.ops.stateful_random_ops import (  # noqa: F401
    Generator,
    create_rng_state,
    get_global_generator,
    set_global_generator,
)
from tensorflux.ops.stateless_random_ops import (  # noqa: F401
    fold_in,
    split,
    stateless_categorical,
    stateless_normal,
    stateless_truncated_normal,
    stateless_uniform,
)

# Seldom-used samplers load (and register their ops) on first use: name -> module.
_LAZY = {
    "all_candidate_sampler": "learned_sampling_ops",
    "learned_unigram_candidate_sampler": "learned_sampling_ops",
    "stateless_parameterized_truncated_normal": "parameterized_truncated_normal_ops",
}


def __getattr__(name):
    import importlib

    if name == "experimental":
        return importlib.import_module("tensorflux.random_experimental")
    if name in _LAZY:
        return getattr(importlib.import_module(f"tensorflux.ops.{_LAZY[name]}"), name)
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.random", __name__, name)
