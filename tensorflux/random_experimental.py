"""``tf.random.experimental``: the Generator API and the seed utilities under their
experimental names."""

from tensorflux.ops.random_algorithms import Algorithm  # noqa: F401
from tensorflux.ops.stateful_random_ops import (  # noqa: F401
    Generator,
    create_rng_state,
    get_global_generator,
    set_global_generator,
)
from tensorflux.ops.stateless_random_ops import fold_in as stateless_fold_in  # noqa: F401
from tensorflux.ops.stateless_random_ops import split as stateless_split  # noqa: F401


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.random.experimental", __name__, name)
