"""``tf.data.Dataset``: the base class, its iteration, element_spec and cardinality.

A dataset is an immutable description of a pipeline; iterating it makes a fresh
chain of internal iterators (``tensorflux.data.iterator``). The transformation
methods only construct the dataset classes defined in the sibling modules.
"""

from __future__ import annotations

import numpy as np

from tensorflux.data import iterator as _iterator
from tensorflux.data import structure
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import Tensor

__all__: list = []

AUTOTUNE = -1
INFINITE = -1
UNKNOWN = -2

# Switch for tests: False makes every stage run element by element, the reference
# the block (vectorised) paths must agree with.
use_blocks = True


def as_int(value, name: str) -> int:
    """A Python int from an int, NumPy integer or scalar integer tensor argument."""
    if isinstance(value, Tensor) or hasattr(value, "_as_tensor"):
        value = np.asarray(value)
    if isinstance(value, np.ndarray):
        if value.ndim != 0 or value.dtype.kind not in "iu":
            raise TypeError(
                f"`{name}` must be a scalar integer, got an array of shape "
                f"{value.shape} and dtype {value.dtype}."
            )
        return int(value)
    if value is None:
        raise ValueError(f"`{name}` must be an integer, got None.")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(
            f"Cannot convert {value!r} to EagerTensor of dtype int64: `{name}` must be an integer."
        )
    return int(value)


def check_dataset_name(name) -> None:
    """Checks a transformation's ``name=`` as TF does: None, or a Python identifier.

    Raises:
        TypeError: ``name`` is not a string (``from_tensor_slices(x, y)`` passes the
            labels as the name; the elements must be one tuple ``(x, y)``).
        ValueError: ``name`` is not a valid identifier.
    """
    if name is None:
        return
    if not isinstance(name, str):
        raise TypeError(
            f"`name` must be a string, got {type(name).__name__}. To make elements of "
            f"several parts, pass one tuple: `from_tensor_slices((features, labels))`."
        )
    if name and not name.isidentifier():
        raise ValueError(
            "Invalid `name`. The argument `name` needs to be a valid identifier. Value is "
            "considered a valid identifier if it only contains alphanumeric characters "
            "(a-z), (A-Z), and (0-9), or underscores (_). A valid identifier cannot start "
            f"with a number, or contain any spaces. Received: name={name!r}."
        )


def check_callable(fn, name: str = "func") -> None:
    if not callable(fn):
        raise ValueError(
            f"Argument `{name}` must be a callable. Received {name}={fn!r} (of type {type(fn)})"
        )


class Dataset:
    """A sequence of elements, each a structure of tensors (``tf.data.Dataset``).

    >>> import tensorflux as tf
    >>> ds = tf.data.Dataset.from_tensor_slices([1, 2, 3]).map(lambda x: x * 2)
    >>> list(ds.as_numpy_iterator())
    [np.int32(2), np.int32(4), np.int32(6)]
    """

    # TF's class name for the printed form; subclasses set it.
    _tf_name = "DatasetV2"

    def __init__(self, element_spec, inputs=()):
        self._element_spec = element_spec
        self._leaf_specs = structure.flatten(element_spec)
        self._inputs = tuple(inputs)

    # -- to implement ----------------------------------------------------------

    def _pull(self) -> _iterator.Pull:
        raise NotImplementedError(f"{type(self).__name__} cannot be iterated.")

    def _cardinality(self) -> int:
        return UNKNOWN

    # -- properties ------------------------------------------------------------

    @property
    def element_spec(self):
        """The structure of ``tf.TensorSpec`` s every element matches."""
        return self._element_spec

    @property
    def _block_ok(self) -> bool:
        """Whether ``next_block`` may be asked of this dataset's iterators."""
        return use_blocks and structure.fully_defined(self._leaf_specs)

    def cardinality(self):
        """The number of elements as an int64 scalar tensor, or -1 (infinite) / -2 (unknown)."""
        return Tensor(np.int64(self._cardinality()), dtypes.int64)

    def options(self):
        """The ``tf.data.Options`` in effect: those of every ``with_options`` upstream, merged."""
        from tensorflux.data.options import Options

        merged = Options()
        for ds in self._inputs:
            merged = merged.merge(ds.options())
        own = getattr(self, "_own_options", None)
        return merged.merge(own) if own is not None else merged

    # -- iteration -------------------------------------------------------------

    def __iter__(self):
        return _iterator.OwnedIterator(self)

    def as_numpy_iterator(self):
        """Iterates elements as NumPy values (scalars as NumPy scalars, strings as bytes).

        >>> import tensorflux as tf
        >>> list(tf.data.Dataset.range(3).as_numpy_iterator())
        [np.int64(0), np.int64(1), np.int64(2)]
        """
        for spec in self._leaf_specs:
            if not hasattr(spec, "dtype"):
                raise TypeError(
                    f"Dataset.as_numpy_iterator() is not supported for datasets "
                    f"that produce values of type {type(spec).__name__}."
                )
        return _iterator.NumpyIterator(self)

    def __len__(self):
        n = self._cardinality()
        if n == INFINITE:
            raise TypeError("The dataset is infinite.")
        if n == UNKNOWN:
            raise TypeError("The dataset length is unknown.")
        return n

    def __bool__(self):
        return True  # not len(): an infinite dataset is still truthy, as in TF

    def __repr__(self):
        return f"<{self._tf_name} element_spec={self._element_spec!r}>"

    def get_single_element(self, name=None):
        """The only element of a one-element dataset."""
        it = self._pull()
        try:
            try:
                flat = it.next()
            except StopIteration:
                raise InvalidArgumentError(
                    None, "DatasetToSingleElement", "Dataset was empty."
                ) from None
            try:
                it.next()
            except StopIteration:
                leaves = [structure.leaf_tensor(v, s) for v, s in zip(flat, self._leaf_specs)]
                return structure.pack(self._element_spec, leaves)
            raise InvalidArgumentError(
                None, "DatasetToSingleElement", "Dataset had more than one element."
            )
        finally:
            it.close()

    def reduce(self, initial_state, reduce_func, name=None):
        """Folds the elements into ``initial_state`` with ``reduce_func(state, element)``."""
        check_callable(reduce_func, "reduce_func")
        state = structure.normalize(initial_state)
        kinds = [getattr(t, "dtype", None) for t in structure.flatten(state)]
        for element in self:
            args = (element,) if not isinstance(element, tuple) else element
            state = structure.normalize(reduce_func(state, *args))
            new = [getattr(t, "dtype", None) for t in structure.flatten(state)]
            if new != kinds:
                raise TypeError(
                    f"The element types for the new state must match the initial "
                    f"state. Expected {kinds} but got {new}: make reduce_func "
                    f"return the dtypes of initial_state (cast with tf.cast)."
                )
        return state

    # -- sources -----------------------------------------------------------------

    @staticmethod
    def from_tensor_slices(tensors, name=None):
        """The slices of ``tensors`` along their first dimension, one element each.

        ``tensors`` may be a tensor, NumPy array, Python list, pandas object, or a
        tuple/dict of them (all with the same first dimension).
        """
        from tensorflux.data.sources import TensorSliceDataset

        check_dataset_name(name)
        return TensorSliceDataset(tensors)

    @staticmethod
    def from_tensors(tensors, name=None):
        """A dataset with ``tensors`` as its single element."""
        from tensorflux.data.sources import TensorDataset

        check_dataset_name(name)
        return TensorDataset(tensors)

    @staticmethod
    def range(*args, **kwargs):
        """Like Python's ``range``, as int64 scalars (``output_type=`` to change)."""
        from tensorflux.data.sources import RangeDataset

        return RangeDataset(*args, **kwargs)

    @staticmethod
    def zip(*args, datasets=None, name=None):
        """Elements of several datasets side by side, as a (nested) tuple or dict."""
        from tensorflux.data.sources import ZipDataset

        if datasets is None:
            datasets = args[0] if len(args) == 1 else args
        return ZipDataset(datasets)

    @staticmethod
    def random(seed=None, rerandomize_each_iteration=None, name=None):
        """Uniform int64 values in ``[0, 2**32)`` forever: TF's Philox stream for the
        op's seeds, one word per element.

        >>> import tensorflux as tf
        >>> first = list(tf.data.Dataset.random(seed=3).take(2).as_numpy_iterator())
        >>> first == list(tf.data.Dataset.random(seed=3).take(2).as_numpy_iterator())
        True
        """
        from tensorflux.data.random_sources import RandomDataset

        return RandomDataset(seed, rerandomize_each_iteration)

    @staticmethod
    def counter(start=0, step=1, dtype=dtypes.int64, name=None):
        """``start, start + step, start + 2 * step, ...`` forever.

        >>> import tensorflux as tf
        >>> list(tf.data.Dataset.counter(3, 2).take(3).as_numpy_iterator())
        [np.int64(3), np.int64(5), np.int64(7)]
        """
        from tensorflux.data.random_sources import CounterDataset

        return CounterDataset(start, step, dtype)

    @staticmethod
    def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=True):
        """The elements of ``datasets`` in the order the int64 ``choice_dataset`` names.

        Args:
            datasets: datasets of compatible element structures.
            choice_dataset: scalar int64 indices into ``datasets``.
            stop_on_empty_dataset: end when a chosen dataset is exhausted; otherwise skip
                choices of exhausted datasets until all are.

        Raises:
            TypeError: ``choice_dataset`` does not hold scalar int64 values.

        >>> import tensorflux as tf
        >>> ds = tf.data.Dataset.choose_from_datasets(
        ...     [tf.data.Dataset.range(3), tf.data.Dataset.range(10, 13)],
        ...     tf.data.Dataset.from_tensor_slices(tf.constant([0, 1, 1, 0], tf.int64)))
        >>> list(ds.as_numpy_iterator())
        [np.int64(0), np.int64(10), np.int64(11), np.int64(1)]
        """
        from tensorflux.data.random_sources import choose_from_datasets

        return choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset)

    @staticmethod
    def sample_from_datasets(
        datasets,
        weights=None,
        seed=None,
        stop_on_empty_dataset=False,
        rerandomize_each_iteration=None,
    ):
        """Elements drawn from ``datasets`` at random with probabilities ``weights``
        (uniform by default), the draws equal to TF's for the same seed.

        Args:
            datasets: datasets of compatible element structures.
            weights: one weight per dataset (a list, a tensor, or a dataset of them).
            seed: the op seed.
            stop_on_empty_dataset: end when a drawn dataset is exhausted; otherwise draw
                again until all are.
            rerandomize_each_iteration: only None or False are supported.
        """
        from tensorflux.data.random_sources import sample_from_datasets

        return sample_from_datasets(
            datasets, weights, seed, stop_on_empty_dataset, rerandomize_each_iteration
        )

    @staticmethod
    def from_generator(
        generator,
        output_types=None,
        output_shapes=None,
        args=None,
        output_signature=None,
        name=None,
    ):
        """Elements yielded by ``generator(*args)``, called anew for every iteration."""
        from tensorflux.data.sources import GeneratorDataset

        return GeneratorDataset(generator, output_types, output_shapes, args, output_signature)

    @staticmethod
    def list_files(file_pattern, shuffle=None, seed=None, name=None):
        """The file names matching ``file_pattern`` (a glob or list of globs)."""
        from tensorflux.data.text import list_files

        return list_files(file_pattern, shuffle, seed)

    @staticmethod
    def load(path, element_spec=None, compression=None, reader_func=None):
        """A dataset saved with ``Dataset.save``."""
        from tensorflux.data.cache import load

        return load(path, element_spec)

    def save(self, path, compression=None, shard_func=None, checkpoint_args=None):
        """Writes every element under the directory ``path`` (read back with ``load``)."""
        from tensorflux.data.cache import save

        save(self, path)

    # -- transformations ----------------------------------------------------------

    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        """Applies ``map_func`` to every element; tuples are passed as separate arguments.

        ``map_func`` is traced once into a graph (as ``tf.function`` does), so it sees
        symbolic tensors: use ``tf.py_function`` to run Python on values.
        """
        from tensorflux.data.transformations import MapDataset

        return MapDataset(self, map_func, num_parallel_calls, deterministic)

    def filter(self, predicate, name=None):
        """Keeps the elements for which ``predicate`` returns True (a scalar tf.bool)."""
        from tensorflux.data.transformations import FilterDataset

        return FilterDataset(self, predicate)

    def batch(
        self,
        batch_size,
        drop_remainder=False,
        num_parallel_calls=None,
        deterministic=None,
        name=None,
    ):
        """Stacks consecutive elements into batches of ``batch_size``."""
        from tensorflux.data.batching import BatchDataset
        from tensorflux.data.ragged_batching import RaggedElementBatchDataset, holds_ragged

        if holds_ragged(self):
            return RaggedElementBatchDataset(self, batch_size, drop_remainder)
        return BatchDataset(self, batch_size, drop_remainder, num_parallel_calls)

    def padded_batch(
        self, batch_size, padded_shapes=None, padding_values=None, drop_remainder=False, name=None
    ):
        """Batches elements of varying shapes, padding each to ``padded_shapes``."""
        from tensorflux.data.batching import PaddedBatchDataset

        return PaddedBatchDataset(self, batch_size, padded_shapes, padding_values, drop_remainder)

    def ragged_batch(self, batch_size, drop_remainder=False, row_splits_dtype=None, name=None):
        """Batches consecutive elements; components whose shapes vary become RaggedTensors.

        >>> import tensorflux as tf
        >>> ds = tf.data.Dataset.range(3).map(lambda n: tf.range(n)).ragged_batch(3)
        >>> next(iter(ds))
        <tf.RaggedTensor [[], [0], [0, 1]]>
        """
        from tensorflux.data.ragged_batching import RaggedBatchDataset

        return RaggedBatchDataset(self, batch_size, drop_remainder, row_splits_dtype)

    def unbatch(self, name=None):
        """Splits every element into its rows along the first dimension."""
        from tensorflux.data.batching import UnbatchDataset
        from tensorflux.data.ragged_batching import RaggedUnbatchDataset, holds_ragged

        if holds_ragged(self):
            return RaggedUnbatchDataset(self)
        return UnbatchDataset(self)

    def rebatch(self, batch_size, drop_remainder=False, name=None):
        """Rebatches already batched elements into batches of ``batch_size``."""
        from tensorflux.data.batching import RebatchDataset

        return RebatchDataset(self, batch_size, drop_remainder)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True, name=None):
        """Shuffles with a buffer of ``buffer_size`` elements (a uniform shuffle when it
        holds the whole dataset)."""
        from tensorflux.data.shuffle import ShuffleDataset

        return ShuffleDataset(self, buffer_size, seed, reshuffle_each_iteration)

    def repeat(self, count=None, name=None):
        """Repeats the dataset ``count`` times (forever for None or -1)."""
        from tensorflux.data.transformations import RepeatDataset

        return RepeatDataset(self, count)

    def take(self, count, name=None):
        """The first ``count`` elements (all of them for -1)."""
        from tensorflux.data.transformations import TakeDataset

        return TakeDataset(self, count)

    def skip(self, count, name=None):
        """All but the first ``count`` elements (none for -1)."""
        from tensorflux.data.transformations import SkipDataset

        return SkipDataset(self, count)

    def concatenate(self, dataset, name=None):
        """This dataset's elements followed by ``dataset`` 's (same structure and dtypes)."""
        from tensorflux.data.transformations import ConcatenateDataset

        return ConcatenateDataset(self, dataset)

    def snapshot(self, path, compression="AUTO", reader_func=None, shard_func=None, name=None):
        """Persists the elements under the folder ``path``: the first complete iteration
        writes them, and later iterations (in this program or another building the same
        pipeline) read them back instead of running it.

        >>> import tempfile, tensorflux as tf
        >>> folder = tempfile.mkdtemp()
        >>> ds = tf.data.Dataset.range(3).map(lambda x: x * 2).snapshot(folder)
        >>> [int(x) for x in ds] == [int(x) for x in ds]
        True
        """
        from tensorflux.data.fingerprint import SnapshotDataset

        return SnapshotDataset(self, path)

    def fingerprint(self):
        """A uint64 scalar hash of how the dataset is built (its sources' data, its
        transformations' arguments and functions): equal for pipelines built alike.
        The values are tensorflux's own, not TF's.

        >>> import tensorflux as tf
        >>> a = tf.data.Dataset.range(4).map(lambda x: x + 1)
        >>> b = tf.data.Dataset.range(4).map(lambda x: x + 1)
        >>> int(a.fingerprint()) == int(b.fingerprint())
        True
        """
        from tensorflux.data.fingerprint import fingerprint

        return fingerprint(self)

    def cache(self, filename="", name=None):
        """Keeps the elements of the first full iteration, in memory or in ``filename``."""
        from tensorflux.data.cache import CacheDataset

        return CacheDataset(self, filename)

    def prefetch(self, buffer_size, name=None):
        """Prepares up to ``buffer_size`` elements ahead, on a background thread."""
        from tensorflux.data.prefetch import PrefetchDataset

        return PrefetchDataset(self, buffer_size)

    def interleave(
        self,
        map_func,
        cycle_length=None,
        block_length=None,
        num_parallel_calls=None,
        deterministic=None,
        name=None,
    ):
        """Maps elements to datasets and interleaves their elements."""
        from tensorflux.data.interleave import InterleaveDataset

        return InterleaveDataset(self, map_func, cycle_length, block_length, num_parallel_calls)

    def flat_map(self, map_func, name=None):
        """Maps every element to a dataset and chains their elements."""
        from tensorflux.data.interleave import FlatMapDataset

        return FlatMapDataset(self, map_func)

    def window(self, size, shift=None, stride=1, drop_remainder=False, name=None):
        """Groups elements into windows, each a dataset (per component)."""
        from tensorflux.data.interleave import WindowDataset

        return WindowDataset(self, size, shift, stride, drop_remainder)

    def enumerate(self, start=0, name=None):
        """Pairs every element with its index: ``(index, element)``."""
        from tensorflux.data.sources import RangeDataset, ZipDataset

        start = as_int(start, "start")
        return ZipDataset((RangeDataset(start, np.iinfo(np.int64).max), self))

    def apply(self, transformation_func):
        """``transformation_func(self)``, which must return a dataset."""
        result = transformation_func(self)
        if not isinstance(result, Dataset):
            raise TypeError(
                f"`transformation_func` must return a `tf.data.Dataset` object. Got {type(result)}."
            )
        return result

    def take_while(self, predicate, name=None):
        """The elements before the first one for which ``predicate`` is False.

        >>> import tensorflux as tf
        >>> ds = tf.data.Dataset.range(10).take_while(lambda x: x < 3)
        >>> list(ds.as_numpy_iterator())
        [np.int64(0), np.int64(1), np.int64(2)]
        """
        from tensorflux.data.selection import TakeWhileDataset

        return TakeWhileDataset(self, predicate)

    def unique(self, name=None):
        """Each distinct element once, in order of first appearance (int32, int64 or
        string elements of one component).

        >>> import tensorflux as tf
        >>> list(tf.data.Dataset.from_tensor_slices([2, 1, 2, 3]).unique().as_numpy_iterator())
        [np.int32(2), np.int32(1), np.int32(3)]
        """
        from tensorflux.data.selection import UniqueDataset

        return UniqueDataset(self)

    def shard(self, num_shards, index, name=None):
        """Every ``num_shards``-th element, starting with element ``index``.

        >>> import tensorflux as tf
        >>> list(tf.data.Dataset.range(7).shard(3, 1).as_numpy_iterator())
        [np.int64(1), np.int64(4)]
        """
        from tensorflux.data.selection import ShardDataset

        return ShardDataset(self, num_shards, index)

    def ignore_errors(self, log_warning=False, name=None):
        """Drops the elements whose computation raises a ``tf.errors`` error."""
        from tensorflux.data.selection import IgnoreErrorsDataset

        return IgnoreErrorsDataset(self, log_warning)

    def scan(self, initial_state, scan_func, name=None):
        """Carries a state through the elements: ``scan_func(state, element)`` returns
        ``(new_state, output)``, and the outputs are the new elements.

        >>> import tensorflux as tf
        >>> ds = tf.data.Dataset.range(4).scan(tf.constant(0, tf.int64),
        ...                                    lambda total, x: (total + x, total + x))
        >>> list(ds.as_numpy_iterator())
        [np.int64(0), np.int64(1), np.int64(3), np.int64(6)]
        """
        from tensorflux.data.selection import ScanDataset

        return ScanDataset(self, initial_state, scan_func)

    def group_by_window(
        self, key_func, reduce_func, window_size=None, window_size_func=None, name=None
    ):
        """Groups elements by the int64 ``key_func(element)``; each window of
        ``window_size`` elements of one key (and each partial window at the end, in
        key order) becomes the elements of ``reduce_func(key, window_dataset)``.

        >>> import tensorflux as tf
        >>> ds = tf.data.Dataset.range(6).group_by_window(
        ...     lambda x: x % 2, lambda key, window: window.batch(2), window_size=2)
        >>> [b.tolist() for b in ds.as_numpy_iterator()]
        [[0, 2], [1, 3], [4], [5]]
        """
        from tensorflux.data.grouping import GroupByWindowDataset

        return GroupByWindowDataset(self, key_func, reduce_func, window_size, window_size_func)

    def bucket_by_sequence_length(
        self,
        element_length_func,
        bucket_boundaries,
        bucket_batch_sizes,
        padded_shapes=None,
        padding_values=None,
        pad_to_bucket_boundary=False,
        no_padding=False,
        drop_remainder=False,
        name=None,
    ):
        """Batches elements of similar length together: an element of length ``n`` goes
        to the bucket of the boundaries around ``n``, each bucket batched (padded) with
        its own batch size."""
        from tensorflux.data.grouping import bucket_by_sequence_length

        return bucket_by_sequence_length(
            self,
            element_length_func,
            bucket_boundaries,
            bucket_batch_sizes,
            padded_shapes,
            padding_values,
            pad_to_bucket_boundary,
            no_padding,
            drop_remainder,
        )

    def rejection_resample(self, class_func, target_dist, initial_dist=None, seed=None, name=None):
        """Resamples so that ``class_func(element)`` (an int32 class) follows
        ``target_dist``: elements become ``(class, element)`` pairs, some kept unfiltered
        and the rest kept with a per-class probability, TF's draws for the same seed.
        Without ``initial_dist`` the class distribution is estimated as elements come."""
        from tensorflux.data.resampling import rejection_resample

        return rejection_resample(self, class_func, target_dist, initial_dist, seed)

    def sparse_batch(self, batch_size, row_shape, name=None):
        """Batches dense elements of varying shapes into SparseTensors with rows of
        ``row_shape`` (-1 or None: the batch's largest size)."""
        from tensorflux.data.grouping import SparseBatchDataset

        return SparseBatchDataset(self, batch_size, row_shape)

    def with_options(self, options, name=None):
        """This dataset with ``options`` (a ``tf.data.Options``) applied."""
        from tensorflux.data.options import OptionsDataset

        return OptionsDataset(self, options)
