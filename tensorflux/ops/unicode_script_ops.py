"""``tf.strings.unicode_script``: the ICU script code of each Unicode code point.

TensorFlow asks ICU (``uscript_getScript``) for the script of each code point and
returns ICU's ``UScriptCode`` numbers: 0 Common, 1 Inherited, 8 Cyrillic, 14 Greek,
17 Han, 25 Latin, ... and -1 (``USCRIPT_INVALID_CODE``) outside 0..0x10FFFF. The codes
of all code points form about 1,600 runs, recorded from TensorFlow by
``tests/ops/record_unicode_scripts.py`` into ``data/unicode_scripts.npz``; a lookup is one
binary search per code point.
"""

from __future__ import annotations

import functools
import pathlib

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import context, dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor

__all__ = ["unicode_script"]

_TABLE = pathlib.Path(__file__).with_name("data") / "unicode_scripts.npz"
_MAX_CODE_POINT = 0x10FFFF
_INVALID = -1


@functools.lru_cache(maxsize=1)
def _runs() -> tuple[np.ndarray, np.ndarray]:
    with np.load(_TABLE) as table:
        return table["starts"], table["codes"].astype(np.int32)


def _unicode_script_kernel(input):  # noqa: A002 - TF's argument name
    starts, codes = _runs()
    points = np.asarray(input, np.int32)
    out = codes[np.searchsorted(starts, points.reshape(-1), side="right") - 1]
    out[(points.reshape(-1) < 0) | (points.reshape(-1) > _MAX_CODE_POINT)] = _INVALID
    return out.reshape(points.shape)


def _unicode_script_infer(input: Spec) -> Spec:  # noqa: A002
    return Spec(dtypes.int32, input.shape)


_UNICODE_SCRIPT = register(
    "UnicodeScript",
    kernel=_unicode_script_kernel,
    grad=None,
    infer=_unicode_script_infer,
    allowed=frozenset({dtypes.int32}),
)


def unicode_script(input, name=None) -> Tensor:  # noqa: A002 - TF's argument name
    """The ICU script code (``UScriptCode``) of each int32 Unicode code point; -1 for
    values that are not code points. The output has the input's shape.

    >>> import tensorflux as tf
    >>> tf.strings.unicode_script([72, 0x3B1, 0x4E2D, 0x110000]).numpy()
    array([25, 14, 17, -1], dtype=int32)

    Raises:
        InvalidArgumentError: a tensor of another dtype than int32 (eagerly).
        TypeError: such a tensor while tracing, or values that are not integers.
    """
    if isinstance(input, Tensor) and input.dtype != dtypes.int32:
        if context.state.graph is not None:
            raise TypeError(
                f"Input 'input' of 'UnicodeScript' Op has type {input.dtype.name} that does "
                f"not match expected type of int32. Cast it: tf.cast(x, tf.int32)."
            )
        raise InvalidArgumentError(
            None,
            "UnicodeScript",
            f"cannot compute UnicodeScript as input #0(zero-based) was expected to be a int32 "
            f"tensor but is a {dtypes.tf_type_name(input.dtype)} tensor [Op:UnicodeScript]. "
            f"Cast it: tf.cast(x, tf.int32).",
        )
    return execute(_UNICODE_SCRIPT, (to_tensor(input, dtypes.int32),))
