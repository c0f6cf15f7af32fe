"""The whole XLA kernel table against the NumPy kernels, by hand: every row of every
op with an XLA kernel, values and gradients (the suite runs each op's first row and
the gradients of the model ops).

Prints how many ops have an XLA kernel, each comparison's largest difference per
dtype, the rows that disagree or do not lower, and the ops without a kernel. Run from
the repository root with JAX installed (``pip install tensorflux[xla]``)::

    PYTHONPATH=. python tests/kernels/check_xla_table.py

Exits 1 if any row disagrees.
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict

from tensorflux.engine import registry
from tensorflux.kernels import xla
from tensorflux.kernels.xla import lowering
from tensorflux.testing import op_samples, xla_check


def _report(title: str, results) -> bool:
    bad = [r for r in results if not r.within]
    skipped = [r for r in results if r.within and r.error]
    worst = defaultdict(float)
    for r in results:
        if r.error is None:
            dtypes = {x.dtype.name for x in op_samples.samples(r.op)[r.row].inputs}
            key = "/".join(sorted(dtypes))
            worst[key] = max(worst[key], r.max_diff)
    compared = len(results) - len(skipped)
    print(f"{title}: {compared} rows of {len({r.op for r in results})} ops compared")
    for key, diff in sorted(worst.items()):
        print(f"  largest difference, rows of {key}: {diff:.3g}")
    for r in skipped:
        print(f"  not compared: {r.op} row {r.row}: {r.error}")
    for r in bad:
        print(f"  DISAGREES: {r.op} row {r.row}: {r.error or r.max_diff}")
    return not bad


def main() -> int:
    table = xla.kernels()
    ops = registry.registered_ops()
    print(f"ops with an XLA kernel: {len(table)} of {len(ops)} registered ops")
    start = time.perf_counter()
    ok = _report("kernels", xla_check.compare_kernels())
    print(f"  ({time.perf_counter() - start:.1f} s)")
    differentiable = sorted(n for n in table if ops[n].grad is not None)
    start = time.perf_counter()
    ok &= _report("values and gradients", xla_check.compare_gradients(differentiable))
    print(f"  ({time.perf_counter() - start:.1f} s)")
    control_flow = sorted(lowering._CONTROL_FLOW)
    without = sorted(set(ops) - set(table) - set(xla.random_kernels()) - set(control_flow))
    print(f"lowered as control flow, not through the table: {' '.join(control_flow)}")
    print(f"ops without an XLA kernel ({len(without)}):")
    print("  " + " ".join(without))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
