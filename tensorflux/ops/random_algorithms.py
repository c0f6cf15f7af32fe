"""``tf.random.Algorithm`` and the ``alg`` argument of the stateless ops and Generators.

TF's CPU kernels implement Philox only: ``auto_select`` picks it, and ThreeFry (which
XLA alone implements) fails when a CPU kernel would draw with it, with TF's own error.
"""

from __future__ import annotations

import enum

__all__ = ["Algorithm", "convert_alg_to_int"]


class Algorithm(enum.Enum):
    """The random-number algorithms (``tf.random.Algorithm``)."""

    PHILOX = 1
    THREEFRY = 2
    AUTO_SELECT = 3


_NAMES = {"philox": 1, "threefry": 2, "autoselect": 3}


def convert_alg_to_int(alg) -> int:
    """The number of an algorithm given as an ``Algorithm``, an int or a name
    ("philox", "threefry", "auto_select"; case, dashes and underscores ignored).

    Raises:
        ValueError: an unknown name or number.
        TypeError: another type.
    """
    if isinstance(alg, Algorithm):
        return alg.value
    if isinstance(alg, str):
        value = _NAMES.get(alg.strip().lower().replace("-", "").replace("_", ""))
        if value is None:
            raise ValueError(
                f"Argument `alg` got unsupported value {alg}. Supported values are philox "
                f"for the Philox algorithm, threefry for the ThreeFry algorithm, and "
                f"auto_select for auto-selection."
            )
        return value
    if isinstance(alg, int) and not isinstance(alg, bool):
        if alg not in (1, 2, 3):
            raise ValueError(
                f"Argument `alg` got unsupported value {alg}. Supported values are 1 for "
                f"the Philox algorithm, 2 for the ThreeFry algorithm, and 3 for "
                f"auto-selection."
            )
        return alg
    raise TypeError(f"Can't convert argument `alg` (of value {alg} and type {type(alg)}) to int.")
