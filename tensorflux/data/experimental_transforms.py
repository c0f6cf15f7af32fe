"""``tf.data.experimental``'s transformation functions: each returns a function from a
dataset to a dataset (for ``Dataset.apply``), mostly the ``Dataset`` method it became,
and ``assert_cardinality``, ``from_list`` and ``get_structure``."""

from __future__ import annotations

from tensorflux.data import structure
from tensorflux.data.dataset import Dataset, as_int
from tensorflux.data.iterator import ElementPull
from tensorflux.framework.errors import FailedPreconditionError

__all__ = [
    "SHARD_HINT",
    "Counter",
    "RandomDataset",
    "Reducer",
    "copy_to_device",
    "group_by_reducer",
    "prefetch_to_device",
    "rejection_resample",
    "snapshot",
    "assert_cardinality",
    "bucket_by_sequence_length",
    "choose_from_datasets",
    "dense_to_sparse_batch",
    "enumerate_dataset",
    "from_list",
    "get_next_as_optional",
    "get_structure",
    "group_by_window",
    "ignore_errors",
    "map_and_batch",
    "parallel_interleave",
    "sample_from_datasets",
    "scan",
    "shuffle_and_repeat",
    "take_while",
    "unbatch",
    "unique",
]


def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=True):
    """``tf.data.Dataset.choose_from_datasets``."""
    return Dataset.choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset)


def sample_from_datasets(
    datasets, weights=None, seed=None, stop_on_empty_dataset=False, rerandomize_each_iteration=None
):
    """``tf.data.Dataset.sample_from_datasets``."""
    return Dataset.sample_from_datasets(
        datasets, weights, seed, stop_on_empty_dataset, rerandomize_each_iteration
    )


def Counter(start=0, step=1, dtype=None):  # noqa: N802 - TF's public name
    """``tf.data.Dataset.counter``."""
    from tensorflux.framework import dtypes

    return Dataset.counter(start, step, dtypes.int64 if dtype is None else dtype)


def RandomDataset(seed=None):  # noqa: N802 - TF's public name
    """``tf.data.Dataset.random``."""
    return Dataset.random(seed)


# The shard index placeholder of ``shard_func``s (TF's value).
SHARD_HINT = -1


class Reducer:
    """``tf.data.experimental.Reducer``: how ``group_by_reducer`` folds one group: an
    initial state per key, a step per element, and a final value."""

    def __init__(self, init_func, reduce_func, finalize_func):
        self.init_func = init_func
        self.reduce_func = reduce_func
        self.finalize_func = finalize_func


def group_by_reducer(key_func, reducer):
    """Groups the elements by ``key_func`` and folds each group with ``reducer``: one
    element per key once the input is exhausted, keys in order of first appearance.

    >>> import tensorflux as tf, numpy as np
    >>> r = tf.data.experimental.Reducer(lambda k: np.int64(0), lambda s, x: s + x, lambda s: s)
    >>> by_parity = tf.data.experimental.group_by_reducer(lambda x: x % 2, r)
    >>> ds = tf.data.Dataset.range(6).apply(by_parity)
    >>> [int(x) for x in ds]
    [6, 9]
    """

    def fold(key, group):
        state = group.reduce(reducer.init_func(key), reducer.reduce_func)
        return Dataset.from_tensors(reducer.finalize_func(state))

    # A window as long as the input: each group is folded whole, after the input ends.
    return lambda ds: ds.group_by_window(key_func, fold, window_size=2**62)


def rejection_resample(class_func, target_dist, initial_dist=None, seed=None):
    """A transformation applying ``Dataset.rejection_resample``."""
    return lambda ds: ds.rejection_resample(class_func, target_dist, initial_dist, seed)


def snapshot(path, compression="AUTO", reader_func=None, shard_func=None):
    """A transformation applying ``Dataset.snapshot``."""
    return lambda ds: ds.snapshot(path, compression, reader_func, shard_func)


def copy_to_device(target_device, source_device="/cpu:0"):
    """The dataset unchanged: every element already lives on the one (CPU) device."""
    return lambda ds: ds


def prefetch_to_device(device, buffer_size=None):
    """``prefetch`` (the one device is the CPU the elements are made on)."""
    return lambda ds: ds.prefetch(buffer_size if buffer_size is not None else -1)


def group_by_window(key_func, reduce_func, window_size=None, window_size_func=None):
    """A transformation applying ``Dataset.group_by_window``."""
    return lambda ds: ds.group_by_window(key_func, reduce_func, window_size, window_size_func)


def bucket_by_sequence_length(
    element_length_func,
    bucket_boundaries,
    bucket_batch_sizes,
    padded_shapes=None,
    padding_values=None,
    pad_to_bucket_boundary=False,
    no_padding=False,
    drop_remainder=False,
):
    """A transformation applying ``Dataset.bucket_by_sequence_length``."""
    return lambda ds: ds.bucket_by_sequence_length(
        element_length_func,
        bucket_boundaries,
        bucket_batch_sizes,
        padded_shapes,
        padding_values,
        pad_to_bucket_boundary,
        no_padding,
        drop_remainder,
    )


def scan(initial_state, scan_func):
    """A transformation applying ``Dataset.scan``."""
    return lambda ds: ds.scan(initial_state, scan_func)


def take_while(predicate):
    """A transformation applying ``Dataset.take_while``."""
    return lambda ds: ds.take_while(predicate)


def unique():
    """A transformation applying ``Dataset.unique``."""
    return lambda ds: ds.unique()


def ignore_errors(log_warning=False):
    """A transformation applying ``Dataset.ignore_errors``."""
    return lambda ds: ds.ignore_errors(log_warning)


def enumerate_dataset(start=0):
    """A transformation applying ``Dataset.enumerate``."""
    return lambda ds: ds.enumerate(start)


def unbatch():
    """A transformation applying ``Dataset.unbatch``."""
    return lambda ds: ds.unbatch()


def dense_to_sparse_batch(batch_size, row_shape):
    """A transformation applying ``Dataset.sparse_batch``."""
    return lambda ds: ds.sparse_batch(batch_size, row_shape)


def shuffle_and_repeat(buffer_size, count=None, seed=None):
    """``dataset.shuffle(buffer_size, seed).repeat(count)``, reshuffled each epoch."""
    return lambda ds: ds.shuffle(buffer_size, seed, reshuffle_each_iteration=True).repeat(count)


def map_and_batch(
    map_func, batch_size, num_parallel_batches=None, drop_remainder=False, num_parallel_calls=None
):
    """``dataset.map(map_func).batch(batch_size, drop_remainder)``."""
    return lambda ds: ds.map(map_func, num_parallel_calls).batch(batch_size, drop_remainder)


def parallel_interleave(
    map_func,
    cycle_length,
    block_length=1,
    sloppy=False,
    buffer_output_elements=None,
    prefetch_input_elements=None,
):
    """``dataset.interleave(map_func, cycle_length, block_length)`` (the elements in
    the deterministic order, which ``sloppy=True`` permits)."""
    return lambda ds: ds.interleave(map_func, cycle_length, block_length)


def get_structure(dataset_or_iterator):
    """The element structure (specs) of a dataset or iterator.

    Raises:
        TypeError: neither a dataset nor an iterator.
    """
    spec = getattr(dataset_or_iterator, "element_spec", None)
    if spec is None:
        raise TypeError(
            "Invalid `dataset_or_iterator`. `dataset_or_iterator` must be a `tf.data.Dataset` "
            f"or tf.data.Iterator object, but got {type(dataset_or_iterator)}."
        )
    return spec


class _CountingPull(ElementPull):
    def __init__(self, src, expected: int):
        self._src, self._expected, self._count = src, expected, 0

    def next(self):
        try:
            flat = self._src.next()
        except StopIteration:
            if self._count != self._expected:
                raise FailedPreconditionError(
                    None,
                    "AssertCardinalityDataset",
                    f"Input dataset was expected to contain {_elements(self._expected)} but "
                    f"contained only {_elements(self._count)}.",
                ) from None
            raise
        self._count += 1
        if self._count > self._expected >= 0:
            raise FailedPreconditionError(
                None,
                "AssertCardinalityDataset",
                f"Input dataset was expected to contain {_elements(self._expected)} but "
                f"contained at least {_elements(self._count)}.",
            )
        return flat

    def close(self):
        self._src.close()


def _elements(n: int) -> str:
    return f"{n} element{'' if n == 1 else 's'}"


class AssertCardinalityDataset(Dataset):
    """Passes elements through, failing when their number is not the expected one."""

    _tf_name = "_AssertCardinalityDataset"

    def __init__(self, input_dataset, expected: int):
        super().__init__(input_dataset.element_spec, (input_dataset,))
        self._input, self._expected = input_dataset, expected

    def _pull(self):
        return _CountingPull(self._input._pull(), self._expected)

    def _cardinality(self):
        return self._expected


def assert_cardinality(expected_cardinality):
    """A transformation that declares the dataset's cardinality and checks it while
    iterating: ``FailedPreconditionError`` when there are more or fewer elements."""
    expected = as_int(expected_cardinality, "expected_cardinality")
    return lambda ds: AssertCardinalityDataset(ds, expected)


def from_list(elements, name=None):
    """A dataset of the given elements, one by one (elements of one structure; their
    shapes may differ, and the spec leaves such dimensions unknown).

    Raises:
        ValueError: an empty list.
    """
    from tensorflux.data.interleave import VariantDataset

    if not elements:
        raise ValueError("Invalid `elements`. `elements` should not be empty.")
    normalized = [structure.normalize(e) for e in elements]
    leaves = [[structure.to_tensor(v) for v in structure.flatten(e)] for e in normalized]
    specs = [structure.spec_of(t) for t in leaves[0]]
    for row in leaves[1:]:
        if len(row) != len(specs):
            raise ValueError("Invalid `elements`. All elements must have the same structure.")
        specs = [structure.relax(s, structure.spec_of(t)) for s, t in zip(specs, row)]
    flat = [tuple(t._value for t in row) for row in leaves]
    return VariantDataset(flat, structure.pack(normalized[0], specs))


def get_next_as_optional(iterator):
    """``iterator.get_next_as_optional()``: the next element as an Optional."""
    return iterator.get_next_as_optional()
