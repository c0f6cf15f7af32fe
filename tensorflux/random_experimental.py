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

_INDEX_SHUFFLE_SEED_PAD = 498247692


def index_shuffle(index, seed, max_index):
    """The position of ``index`` in a pseudorandom permutation of ``[0, max_index]``.

    The permutation is fixed by ``seed`` (shape ``[2]``, or ``[n, 2]`` for one seed
    per index), as TensorFlow fixes it: the same arguments give TF's result.

    Args:
        index: integer scalar or vector with values in ``[0, max_index]``.
        seed: ``[2]`` or ``[n, 2]`` tensor of int32, uint32, int64 or uint64.
        max_index: the inclusive upper bound, of ``index``'s dtype.

    Returns:
        A tensor of ``index``'s dtype: a scalar when every input is scalar, else a
        vector with each element shuffled independently.

    >>> import tensorflux as tf
    >>> tf.random.experimental.index_shuffle(3, seed=[1, 2], max_index=9).numpy()
    np.int32(4)
    """
    from tensorflux.ops.array_ops import pad
    from tensorflux.ops.common import to_tensor
    from tensorflux.ops.random_index_shuffle_ops import random_index_shuffle

    seed = to_tensor(seed)
    paddings = [[1, 0]] + [[0, 0]] * (seed.shape.rank - 1)
    seed = pad(seed, paddings, constant_values=_INDEX_SHUFFLE_SEED_PAD)
    return random_index_shuffle(index, seed=seed, max_index=max_index, rounds=4)


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.random.experimental", __name__, name)
