"""``tf.random.Generator``: a Philox state in a variable, drawn from and advanced.

The state is TF's: an int64 vector ``[counter_low, counter_high, key]``. A draw of
``n`` numbers reads the Philox stream at the counter and moves the counter on by
``256 n`` calls, as TF's ``Stateful*`` kernels do, so the numbers are TensorFlow's.
Here each ``Stateful*`` op takes the state's value and returns the numbers and the
next state, which the Generator assigns back (eagerly, or as ordered graph nodes
inside a ``tf.function``).
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError, UnimplementedError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor, op_hooks
from tensorflux.framework.variables import Variable
from tensorflux.ops import binomial_sampling, philox, random_binomial_ops
from tensorflux.ops.array_ops_extra import bitcast
from tensorflux.ops.common import shape_tensor, to_tensor
from tensorflux.ops.creation_ops import is_traced_shape, shape_arg, traced_shape_arg, zeros_like
from tensorflux.ops.joining_ops import concat, stack
from tensorflux.ops.math_ops import add, multiply, subtract
from tensorflux.ops.random_algorithms import convert_alg_to_int
from tensorflux.ops.stateless_random_ops import _FULL_INT as _STATELESS_FULL_INT

__all__ = ["Generator", "create_rng_state", "get_global_generator", "set_global_generator"]

PHILOX = 1
THREEFRY = 2
AUTO_SELECT = 3
_STATE_SIZE = 3
_THREEFRY_STATE_SIZE = 2
_CALLS_PER_OUTPUT = 256
_MASK64 = (1 << 64) - 1


def _state_parts(state) -> tuple[int, int]:
    lo, hi, key = (int(v) & _MASK64 for v in state)
    return key, lo | hi << 64


def _next_state(key: int, counter: int) -> np.ndarray:
    words = [counter & _MASK64, counter >> 64, key]
    return np.array([w - (1 << 64) if w >> 63 else w for w in words], np.int64)


def _make_kernel(name, dist):
    def kernel(state, shape, *bounds, dtype):
        dims = tuple(int(d) for d in shape.tolist())
        for d in dims:
            if d < 0:
                raise InvalidArgumentError(None, name, f"Dimension {d} must be >= 0 [Op:{name}]")
        n = int(np.prod(dims, dtype=np.int64))
        key, counter = _state_parts(state)
        values = dist(key, counter, n, *[int(b) for b in bounds], dtype.as_numpy_dtype)
        return (values.reshape(dims), _next_state(key, philox.skip(counter, n * _CALLS_PER_OUTPUT)))

    return kernel


def _full_int(key, counter, n, np_dtype):
    if np.dtype(np_dtype).itemsize == 8:
        w = philox.words(key, counter, 2 * n).reshape(-1, 2).astype(np.uint64)
        return (w[:, 0] | (w[:, 1] << np.uint64(32))).view(np_dtype)
    return philox.words(key, counter, n).view(np_dtype)


def _uniform_int(key, counter, n, lo, hi, np_dtype):
    if lo >= hi:
        raise InvalidArgumentError(
            None,
            "StatefulUniformInt",
            f"Need minval < maxval, got {lo} >= {hi} [Op:StatefulUniformInt]",
        )
    return philox.uniform_int(key, counter, n, lo, hi, np_dtype)


def _infer(state: Spec, shape: Spec, *bounds: Spec, dtype) -> tuple:
    if shape.value is not None:
        out = TensorShape(list(shape.value))
    else:
        n = shape.shape.num_elements()
        out = TensorShape(None if n is None else [None] * n)
    return Spec(dtype, out), Spec(dtypes.int64, TensorShape([_STATE_SIZE]))


def _register(name, dist):
    return register(
        name,
        kernel=_make_kernel(name, dist),
        grad=None,
        infer=_infer,
        num_outputs=2,
        shape_inputs=(1,),
    )


_UNIFORM = _register("StatefulUniform", philox.uniform)
_NORMAL = _register("StatefulStandardNormalV2", philox.normal)
_TRUNCATED = _register("StatefulTruncatedNormal", philox.truncated_normal)
_UNIFORM_INT = _register("StatefulUniformInt", _uniform_int)
_FULL_INT = _register("StatefulUniformFullInt", _full_int)


def _binomial_kernel(state, shape, counts, probs, dtype):
    name = "StatefulRandomBinomial"
    dims, samples, counts, probs = random_binomial_ops.layout(name, shape, counts, probs)
    key, counter = _state_parts(state)
    flat = binomial_sampling.binomial(key, counter, counts, probs, samples)
    # TF's reservation: 256 calls for each of 50 outputs per sample, counted in whole
    # groups of four samples.
    skipped = _CALLS_PER_OUTPUT * (counts.size * 2 * 100 * (samples + 3) // 4)
    return (
        random_binomial_ops.to_output(flat, dims, dtype),
        _next_state(key, philox.skip(counter, skipped)),
    )


_BINOMIAL = register(
    "StatefulRandomBinomial",
    kernel=_binomial_kernel,
    grad=None,
    infer=_infer,
    num_outputs=2,
    shape_inputs=(1,),
)


def _alg_value(alg) -> int:
    """The algorithm number of ``alg``; None is Philox, as in TF."""
    return PHILOX if alg is None else convert_alg_to_int(alg)


def _state_size(alg: int) -> int:
    return _THREEFRY_STATE_SIZE if alg == THREEFRY else _STATE_SIZE


def _seed_state(seed, size: int = _STATE_SIZE) -> np.ndarray:
    """TF's ``create_rng_state``: an int is cut into 64-bit pieces, low first; a vector
    is truncated or left-padded with zeros to the state size."""
    if isinstance(seed, bool) or isinstance(seed, (float, np.floating)):
        raise TypeError(
            f"Generator.from_seed: the seed must be an integer or a vector of "
            f"integers, got {seed!r}."
        )
    if isinstance(seed, (int, np.integer)):
        seed = int(seed)
        parts = []
        for _ in range(size):
            parts.append(seed & _MASK64)
            seed >>= 64
    else:
        parts = [
            int(v) & _MASK64
            for v in np.asarray(seed.numpy() if isinstance(seed, Tensor) else seed).reshape(-1)
        ]
    parts = parts[:size]
    parts = [0] * (size - len(parts)) + parts
    return np.array([p - (1 << 64) if p >> 63 else p for p in parts], np.int64)


class Generator:
    """A random number generator with TF's Philox state (``tf.random.Generator``).

    Args:
        state: the initial state, an int64 vector of 3 (counter low, counter high, key);
            2 for ThreeFry.
        alg: ``"philox"`` (the default), ``"auto_select"`` (Philox, as on TF's CPU) or
            ``"threefry"``, whose state can be made and kept but, as on TF's CPU, not
            drawn from (UnimplementedError).

    Raises:
        ValueError: a state of another shape, or an unknown algorithm.

    >>> import tensorflux as tf
    >>> g = tf.random.Generator.from_seed(1234)
    >>> g.normal([2, 3]).shape
    TensorShape([2, 3])
    """

    def __init__(self, copy_from=None, state=None, alg=None):
        if copy_from is not None:
            state, alg = copy_from.state.numpy(), copy_from.algorithm
        self._alg = _alg_value(alg)
        size = _state_size(self._alg)
        value = np.asarray(state.numpy() if isinstance(state, (Tensor, Variable)) else state)
        if value.shape != (size,):
            raise ValueError(
                f"Shapes {tuple(value.shape)} and [{size}] are incompatible: the state "
                f"of this Generator is an int64 vector of {size}."
            )
        self._state = Variable(value.astype(np.int64), trainable=False, dtype=dtypes.int64)

    @classmethod
    def from_seed(cls, seed, alg=None) -> Generator:
        """A generator whose state is ``seed`` (an int cut into 64-bit pieces, or a
        vector), as TF's ``Generator.from_seed``."""
        return cls(state=_seed_state(seed, _state_size(_alg_value(alg))), alg=alg)

    @classmethod
    def from_state(cls, state, alg) -> Generator:
        """A generator starting from ``state``."""
        return cls(state=state, alg=alg)

    @classmethod
    def from_non_deterministic_state(cls, alg=None) -> Generator:
        """A generator seeded from OS entropy."""
        bits = np.random.default_rng().integers(
            -(2**63), 2**63 - 1, _state_size(_alg_value(alg)), dtype=np.int64, endpoint=True
        )
        return cls(state=bits, alg=alg)

    @property
    def state(self) -> Variable:
        """The state variable (int64, shape [3]; [2] for ThreeFry)."""
        return self._state

    @property
    def algorithm(self) -> int:
        """The algorithm's number (1: Philox, 2: ThreeFry, 3: auto-select)."""
        return self._alg

    def reset_from_seed(self, seed) -> None:
        """Sets the state as ``from_seed(seed)`` would."""
        self._state.assign(_seed_state(seed, _state_size(self._alg)))

    def _draw(self, op, shape, dtype, bounds=()) -> Tensor:
        if self._alg == THREEFRY:
            raise UnimplementedError(
                None,
                "RngReadAndSkip",
                "Non-XLA devices don't support the ThreeFry algorithm. [Op:RngReadAndSkip] "
                "Use alg='philox' on the CPU.",
            )
        dims = (
            traced_shape_arg(shape)[0]
            if is_traced_shape(shape)
            else shape_tensor(
                shape_arg(
                    shape,
                    op.name,
                    "shape",
                    floats=InvalidArgumentError,
                    strings=InvalidArgumentError,
                )
            )
        )
        state = self._state.read_value()
        replica_key = self._replica_key(state)
        if replica_key is None:
            values, new_state = execute(op, (state, dims, *bounds), {"dtype": dtype})
        else:
            drawn = concat([state[:2], replica_key], 0)
            values, new_state = execute(op, (drawn, dims, *bounds), {"dtype": dtype})
            new_state = concat([new_state[:2], state[2:]], 0)
        self._state.assign(new_state)
        return values

    def _replica_key(self, state):
        """Inside ``Strategy.run`` of the strategy this generator was created under, the
        key this replica draws with: TF hashes the replica's id into the state's key
        (the first full-range uint64 of the stream at counter ``[replica_id, 0]``), so
        the replicas draw different numbers from one state. None elsewhere."""
        strategy = getattr(self._state, "_distribute_strategy", None)
        replica_id = op_hooks["replica_id"](strategy) if strategy is not None else None
        if replica_id is None:
            return None
        key = bitcast(state[2:], dtypes.uint64)
        counter = Tensor(np.array([replica_id, 0], np.uint64), dtypes.uint64)
        hashed = execute(
            _STATELESS_FULL_INT,
            (shape_tensor([1]), key, counter, to_tensor(PHILOX, dtypes.int32)),
            {"dtype": dtypes.uint64},
        )
        return bitcast(hashed, dtypes.int64)

    def uniform(self, shape, minval=0, maxval=None, dtype=dtypes.float32, name=None):
        """Uniform numbers on ``[minval, maxval)``; integer dtypes need ``maxval`` (or
        neither bound: the full range)."""
        dtype = dtypes.as_dtype(dtype)
        if dtype.is_integer:
            if maxval is None:
                if minval not in (None, 0):
                    raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
                return self.uniform_full_int(shape, dtype)
            lo, hi = to_tensor(minval, dtype), to_tensor(maxval, dtype)
            return self._draw(_UNIFORM_INT, shape, dtype, (lo, hi))
        rnd = self._draw(_UNIFORM, shape, dtype)
        lo = minval if isinstance(minval, Tensor) else to_tensor(minval, dtype)
        hi = (
            to_tensor(1 if maxval is None else maxval, dtype)
            if not isinstance(maxval, Tensor)
            else maxval
        )
        return add(multiply(rnd, subtract(hi, lo)), lo)

    def uniform_full_int(self, shape, dtype=dtypes.uint64, name=None):
        """Integers over the whole range of ``dtype``."""
        return self._draw(_FULL_INT, shape, dtypes.as_dtype(dtype))

    def normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
        """Normal numbers with ``mean`` and ``stddev``."""
        dtype = dtypes.as_dtype(dtype)
        rnd = self._draw(_NORMAL, shape, dtype)
        return add(multiply(rnd, to_tensor(stddev, dtype)), to_tensor(mean, dtype))

    def truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
        """Normal numbers within two standard deviations of ``mean``."""
        dtype = dtypes.as_dtype(dtype)
        rnd = self._draw(_TRUNCATED, shape, dtype)
        return add(multiply(rnd, to_tensor(stddev, dtype)), to_tensor(mean, dtype))

    def binomial(self, shape, counts, probs, dtype=dtypes.int32, name=None):
        """Binomial samples: ``shape`` ends with the broadcast shape of ``counts`` and
        ``probs`` (float tensors of one dtype), its leading dimensions number the
        samples."""
        counts, probs, dtype = random_binomial_ops.parameters(
            "StatefulRandomBinomial", convert_to_tensor(counts), convert_to_tensor(probs), dtype
        )
        return self._draw(_BINOMIAL, shape, dtype, (counts, probs))

    def make_seeds(self, count=1) -> Tensor:
        """``count`` seeds for stateless ops: an int64 ``[2, count]`` tensor whose first
        row is drawn from this generator and whose second row is zero."""
        # Built from ops, so that a tf.function draws new seeds on every call.
        keys = self.uniform_full_int([count], dtypes.int64)
        return stack([keys, zeros_like(keys)])

    def split(self, count=1) -> list:
        """``count`` new generators, each keyed by a number drawn from this one (their
        counters start at zero)."""
        keys = self.uniform_full_int([count], dtypes.int64).numpy()
        return [Generator(state=np.array([0, 0, k], np.int64), alg=self._alg) for k in keys]


def create_rng_state(seed, alg) -> Tensor:
    """The state a Generator of algorithm ``alg`` seeded with ``seed`` starts from
    (``tf.random.create_rng_state``): an int is cut into 64-bit pieces, low first; a
    vector is truncated or left-padded with zeros.

    >>> import tensorflux as tf
    >>> tf.random.create_rng_state(1234, "philox").numpy()
    array([1234,    0,    0])
    """
    return Tensor(_seed_state(seed, _state_size(convert_alg_to_int(alg))), dtypes.int64)


_global_generator = None


def get_global_generator() -> Generator:
    """The global Generator, made from OS entropy on first use unless
    ``set_global_generator`` gave one (``tf.random.get_global_generator``)."""
    global _global_generator
    if _global_generator is None:
        _global_generator = Generator.from_non_deterministic_state()
    return _global_generator


def set_global_generator(generator: Generator) -> None:
    """Makes ``generator`` the global Generator (``tf.random.set_global_generator``)."""
    global _global_generator
    _global_generator = generator
