"""``tf.data.Options`` and ``Dataset.with_options``.

Options are recorded and merged as in TF so that programs setting them run; the
pipeline here is deterministic and single-process, so they change nothing else.
"""

from __future__ import annotations

import enum

from tensorflux.data.dataset import Dataset

__all__: list = []


class AutoShardPolicy(enum.IntEnum):
    """``tf.data.experimental.AutoShardPolicy``."""

    OFF = -1
    AUTO = 0
    FILE = 1
    DATA = 2
    HINT = 3


class ExternalStatePolicy(enum.Enum):
    """``tf.data.experimental.ExternalStatePolicy``."""

    WARN = 0
    IGNORE = 1
    FAIL = 2


class _Group:
    """A set of named options; unset ones read as None (TF's "default")."""

    _fields: dict = {}

    def __init__(self):
        for name, factory in self._fields.items():
            object.__setattr__(self, name, factory() if factory else None)

    def __setattr__(self, name, value):
        if isinstance(getattr(type(self), name, None), property):
            object.__setattr__(self, name, value)  # an alias property's setter
            return
        if name not in self._fields:
            raise AttributeError(
                f"{type(self).__name__} has no option {name!r}; "
                f"known options: {sorted(self._fields)}."
            )
        object.__setattr__(self, name, value)

    def _merge_into(self, target) -> None:
        for name, factory in self._fields.items():
            mine = getattr(self, name)
            if factory:
                mine._merge_into(getattr(target, name))
            elif mine is not None:
                object.__setattr__(target, name, mine)

    def __eq__(self, other):
        return type(other) is type(self) and all(
            getattr(self, n) == getattr(other, n) for n in self._fields
        )

    def __repr__(self):
        set_ = {n: getattr(self, n) for n in self._fields if getattr(self, n) is not None}
        return f"{type(self).__name__}({set_})"


class ThreadingOptions(_Group):
    """``tf.data.ThreadingOptions``."""

    _fields = {"max_intra_op_parallelism": None, "private_threadpool_size": None}


class OptimizationOptions(_Group):
    """``tf.data.experimental.OptimizationOptions``."""

    _fields = {
        name: None
        for name in (
            "apply_default_optimizations",
            "filter_fusion",
            "filter_parallelization",
            "inject_prefetch",
            "map_and_batch_fusion",
            "map_and_filter_fusion",
            "map_fusion",
            "map_parallelization",
            "noop_elimination",
            "parallel_batch",
            "shuffle_and_repeat_fusion",
            "seq_interleave_prefetch",
        )
    }


class DistributeOptions(_Group):
    """``tf.data.experimental.DistributeOptions``."""

    _fields = {"auto_shard_policy": None, "num_devices": None}


class AutotuneOptions(_Group):
    """``tf.data.experimental.AutotuneOptions``."""

    _fields = {"enabled": None, "cpu_budget": None, "ram_budget": None, "autotune_algorithm": None}


class Options(_Group):
    """``tf.data.Options``: settings for a pipeline, applied with ``with_options``."""

    _fields = {
        "autotune": AutotuneOptions,
        "deterministic": None,
        "experimental_distribute": DistributeOptions,
        "experimental_external_state_policy": None,
        "experimental_optimization": OptimizationOptions,
        "experimental_slack": None,
        "experimental_symbolic_checkpoint": None,
        "experimental_warm_start": None,
        "threading": ThreadingOptions,
        "dataset_name": None,
        "framework_type": None,
    }

    def merge(self, options):
        """A new Options with the options set in ``options`` overriding these."""
        merged = Options()
        self._merge_into(merged)
        if options is not None:
            options._merge_into(merged)
        return merged

    @property
    def experimental_threading(self):
        return self.threading

    # TF's deprecated spelling of ``deterministic``: the same option.
    @property
    def experimental_deterministic(self):
        return self.deterministic

    @experimental_deterministic.setter
    def experimental_deterministic(self, value):
        self.deterministic = value


class OptionsDataset(Dataset):
    """``Dataset.with_options``: the input, with options attached."""

    _tf_name = "_OptionsDataset"

    def __init__(self, input_dataset, options):
        if not isinstance(options, Options):
            raise TypeError(f"`options` must be a tf.data.Options, got {type(options)}.")
        super().__init__(input_dataset.element_spec, (input_dataset,))
        self._input = input_dataset
        self._own_options = options

    def _pull(self):
        return self._input._pull()

    def _cardinality(self):
        return self._input._cardinality()
