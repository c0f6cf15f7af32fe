"""The fused optimizer steps written in TensorFlow's own op set, for SavedModels TF runs.

``_KerasAdamUpdate`` (``ops/optimizer_ops``) exists only in tensorflux. When a function
holding one is saved (a ``tf.function`` train step of a module), the node becomes the
separate elementwise ops it fuses, which TF's runtime executes, and an ``IdentityN`` under
the node's own name hands the new ``(var, m, v)`` to the function's other nodes. As for
the fused recurrent ops (``rnn_lowering``), the expansion nodes carry ``_tfx_lowered``
(skipped on load) and the ``IdentityN`` the op's name and original inputs, so tensorflux
runs the one fused kernel again.
"""

from __future__ import annotations

from tensorflux.saved_model.rnn_lowering import (
    _MARKER,
    FUSED_INPUTS,
    FUSED_OP,
    _identity_n,
    _Nodes,
)

__all__ = ["FUSED_OPS", "lower_fused_update"]

FUSED_OPS = frozenset({"_KerasAdamUpdate"})


def lower_fused_update(op, name, inputs, input_dtypes, taken):
    """TF's form of one fused optimizer node.

    Args:
        op: the fused op's name (in ``FUSED_OPS``).
        name: the node's name in the function (its outputs are ``name:output:k``).
        inputs: the node's input refs (var, m, v, grad, alpha, 1 - beta_1, 1 - beta_2,
            epsilon).
        input_dtypes: their dtypes.
        taken: the function's node names (extended with the new ones).

    Returns:
        The NodeDefs for the function.
    """
    var, m, v, grad, alpha, c1, c2, epsilon = inputs
    dtype = input_dtypes[0]
    b = _Nodes(f"{name}/", taken, dtype)
    new_m = b.binary("AddV2", m, b.binary("Mul", b.binary("Sub", grad, m), c1))
    squared = b.unary("Square", grad)
    new_v = b.binary("AddV2", v, b.binary("Mul", b.binary("Sub", squared, v), c2))
    step = b.binary(
        "RealDiv",
        b.binary("Mul", new_m, alpha),
        b.binary("AddV2", b.unary("Sqrt", new_v), epsilon),
    )
    results = [b.binary("Sub", var, step), new_m, new_v]
    own = {FUSED_OP: op, FUSED_INPUTS: list(inputs), _MARKER: True, "T": [dtype] * 3}
    b.nodes.append(_identity_n(name, results, own))
    return b.nodes
