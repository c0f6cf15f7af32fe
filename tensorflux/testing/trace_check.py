"""Checks that one traced graph serves every size an ``input_signature`` admits.

``check_one_graph(fn, signature, calls)`` wraps ``fn`` in ``tf.function`` with the
signature, runs it on each call's arguments, and checks that

- the results equal those of ``fn`` run eagerly on the same arguments;
- the function was traced once, its graph never specialised to its example shapes
  (see ``tensorflux.engine.partial_shapes``); on failure the message shows where
  Python code read an example's size.
"""

from __future__ import annotations

import numpy as np

__all__ = ["check_one_graph"]


def check_one_graph(fn, signature, calls, rtol=1e-5, atol=1e-6):
    """Asserts that ``tf.function(fn, input_signature=signature)`` traces once for all
    ``calls`` (tuples of arguments, of several sizes) and matches eager ``fn``.

    Returns:
        The ``tf.function``, for further checks.
    """
    import tensorflux as tf

    f = tf.function(fn, input_signature=signature)
    for args in calls:
        got = tf.nest.flatten(f(*args))
        want = tf.nest.flatten(fn(*args))
        assert len(got) == len(want), f"{len(got)} results traced, {len(want)} eager"
        for i, (g, w) in enumerate(zip(got, want)):
            g, w = np.asarray(g), np.asarray(w)
            assert g.shape == w.shape, f"result {i}: shape {g.shape} traced, {w.shape} eager"
            np.testing.assert_allclose(
                g, w, rtol=rtol, atol=atol, err_msg=f"result {i} differs from eager"
            )
    sites = [
        c.graph.specialized_at
        for family in f._families.values()
        for _, c in family
        if c.graph.specialized_at is not None
    ]
    assert not sites, "the graph was specialised to its example shapes at:\n" + sites[0]
    count = f.experimental_get_tracing_count()
    assert count == 1, f"traced {count} times for one signature"
    return f
