"""Abstract evaluation: running Python code on values that have only a dtype and a
partly known shape, computing no kernel.

Keras builds symbolic models this way (as Keras 3's ``compute_output_spec`` and JAX's
shaped arrays do): a layer's ``call`` runs on the placeholders of an abstract graph,
every op it calls appends a node whose outputs' dtypes and shapes come from the op's
inference rule alone (``registry.execute``), and the outputs' specs are read back.
Ops on constants only (a ``tf.ones`` inside ``call``) still run, as they would when
tracing; ops that read only a fully known shape fold to constants. Variables are read
but never assigned.
"""

from __future__ import annotations

import contextlib

import numpy as np

from tensorflux.engine.graph import FuncGraph
from tensorflux.framework import context
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import SymbolicTensor

__all__ = ["abstract_graph", "abstract_value"]


@contextlib.contextmanager
def abstract_graph(name: str = "abstract"):
    """A fresh abstract graph, made the graph ops record into (outside any tape)."""
    graph = FuncGraph(name)
    graph.abstract = True
    with context.eager_scope(), graph.as_default():
        yield graph


def abstract_value(graph: FuncGraph, shape, dtype, name: str = "x") -> SymbolicTensor:
    """A placeholder of ``graph`` with static ``shape`` (None dims and unknown rank
    allowed) and ``dtype``; its example is zeros, with unknown sizes taken as 1."""
    shape = TensorShape(shape)
    dims = () if shape.rank is None else tuple(1 if d is None else d for d in shape.as_list())
    example = np.broadcast_to(np.zeros((), dtype.as_numpy_dtype), dims)
    return graph.placeholder(example, dtype, name, shape=shape)
