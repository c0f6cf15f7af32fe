"""The fused recurrent ops written in TensorFlow's own op set, for SavedModels TF runs.

``FusedSimpleRNN``, ``FusedGRU`` and ``FusedLSTM`` exist only in tensorflux. When a
function holding one is saved, the node becomes what TF's runtime executes: the inputs
made time-major (reversed for ``go_backwards``), a functional ``While`` whose ``cond``
and ``body`` are FunctionDefs added to the library, one step of the cell per iteration
from TF primitives (``MatMul``, ``BiasAdd``, ``Split``, ``Sigmoid``/``Tanh``/...,
``SelectV2`` for masked steps), the per-step outputs gathered in a TensorList and
stacked batch-major again. An ``IdentityN`` node under the fused node's name hands the
results (outputs, final states) to the function's other nodes.

tensorflux reads the same file without running the loop: every expansion node carries
``_tfx_lowered`` (skipped on load), and the ``IdentityN`` carries the fused op's name,
attrs and original inputs (``_tfx_op``, ``_tfx_inputs``, ``_tfx_*``), so loading runs
the one fused kernel again.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework import graph_protos as protos
from tensorflux.framework.proto_wire import MessageWriter

__all__ = ["FUSED_OPS", "LOWERED", "FUSED_OP", "FUSED_INPUTS", "lower_fused_rnn", "unique_name"]

LOWERED = "_tfx_lowered"
FUSED_OP = "_tfx_op"
FUSED_INPUTS = "_tfx_inputs"
# function_codec's mark of a node whose tensorflux attrs travel as ``_tfx_*``.
_MARKER = "_tfx_marker"

# op -> number of state inputs (h, or h and c); inputs are x, states..., mask, kernel,
# recurrent_kernel, bias.
FUSED_OPS = {"FusedSimpleRNN": 1, "FusedGRU": 1, "FusedLSTM": 2}

_INT32 = dtypes.int32


class _Func:
    """A ``func`` AttrValue: the name of a library function."""

    def __init__(self, name: str):
        self.name = name


def _attr_value(value) -> MessageWriter:
    if isinstance(value, _Func):
        return MessageWriter().raw(10, MessageWriter().raw(1, value.name))
    return protos.encode_attr(value)


def unique_name(base: str, taken: set) -> str:
    """``base``, or ``base_<n>`` for the first ``n`` not in ``taken``; added to ``taken``."""
    out, n = base, 0
    while out in taken:
        n += 1
        out = f"{base}_{n}"
    taken.add(out)
    return out


class _Nodes:
    """NodeDefs of one function body, each marked as TF's form only."""

    def __init__(self, prefix: str, taken: set, dtype):
        self.prefix, self.taken, self.dtype = prefix, taken, dtype
        self.nodes: list[MessageWriter] = []

    def add(self, op, inputs, attrs, out="output", n=1):
        name = unique_name(f"{self.prefix}{op}", self.taken)
        w = MessageWriter().raw(1, name).raw(2, op)
        for ref in inputs:
            w.raw(3, ref)
        entries = {**attrs, LOWERED: True}
        for key in sorted(entries):
            w.raw(5, MessageWriter().raw(1, key).raw(2, _attr_value(entries[key])))
        self.nodes.append(w)
        refs = [f"{name}:{out}:{i}" for i in range(n)]
        return refs if n > 1 else refs[0]

    def const(self, value, dtype=None):
        dtype = dtype or self.dtype
        array = np.asarray(value, dtype=dtype.as_numpy_dtype)
        return self.add("Const", [], {"value": array, "dtype": dtype})

    def unary(self, op, x, out="y"):
        return self.add(op, [x], {"T": self.dtype}, out)

    def binary(self, op, a, b):
        return self.add(op, [a, b], {"T": self.dtype}, "z")

    def matmul(self, a, b):
        attrs = {"T": self.dtype, "transpose_a": False, "transpose_b": False}
        return self.add("MatMul", [a, b], attrs, "product")

    def bias_add(self, a, b):
        return self.add("BiasAdd", [a, b], {"T": self.dtype, "data_format": "NHWC"})

    def split(self, value, parts, axis=1):
        axis_ref = self.const(axis, _INT32)
        attrs = {"T": self.dtype, "num_split": parts}
        return self.add("Split", [axis_ref, value], attrs, n=parts)

    def transpose(self, x, perm, dtype=None):
        attrs = {"T": dtype or self.dtype, "Tperm": _INT32}
        return self.add("Transpose", [x, self.const(perm, _INT32)], attrs, "y")

    def reverse(self, x, dtype=None):
        attrs = {"T": dtype or self.dtype, "Tidx": _INT32}
        return self.add("ReverseV2", [x, self.const([0], _INT32)], attrs)

    def gather(self, params, index, dtype=None):
        attrs = {"Tparams": dtype or self.dtype, "Tindices": _INT32, "Taxis": _INT32}
        attrs["batch_dims"] = 0
        return self.add("GatherV2", [params, index, self.const(0, _INT32)], attrs)

    def activation(self, name, x):
        if name == "linear":
            return self.add("Identity", [x], {"T": self.dtype})
        if name == "hard_sigmoid":
            # Keras 2's hard_sigmoid: clip(0.2 x + 0.5, 0, 1).
            y = self.binary("AddV2", self.binary("Mul", x, self.const(0.2)), self.const(0.5))
            y = self.binary("Maximum", y, self.const(0.0))
            return self.binary("Minimum", y, self.const(1.0))
        op, out = _ACTIVATION_OPS[name]
        return self.add(op, [x], {"T": self.dtype}, out)


_ACTIVATION_OPS = {
    "tanh": ("Tanh", "y"),
    "sigmoid": ("Sigmoid", "y"),
    "relu": ("Relu", "activations"),
    "elu": ("Elu", "activations"),
    "softplus": ("Softplus", "activations"),
}


def _function(name, args, outputs, nodes) -> bytes:
    """A FunctionDef: ``args`` and ``outputs`` are (name, dtype) / (name, ref, dtype)."""
    signature = MessageWriter().raw(1, name)
    for arg, dtype in args:
        signature.raw(2, MessageWriter().raw(1, arg).varint(3, dtype.as_datatype_enum))
    for out, _, dtype in outputs:
        signature.raw(3, MessageWriter().raw(1, out).varint(3, dtype.as_datatype_enum))
    fdef = MessageWriter().raw(1, signature)
    for node in nodes:
        fdef.raw(3, node)
    for out, ref, _ in outputs:
        fdef.raw(4, MessageWriter().raw(1, out).raw(2, ref))
    return fdef.bytes()


def _cell_step(b: _Nodes, op, attrs, x_t, states, weights):
    """One step of the cell in TF ops: (unmasked output, new states)."""
    act = attrs.get("activation", "tanh")
    ract = attrs.get("recurrent_activation", "sigmoid")
    h = states[0]
    if op == "FusedSimpleRNN":
        kernel, recurrent, bias = weights
        pre = b.binary("AddV2", b.bias_add(b.matmul(x_t, kernel), bias), b.matmul(h, recurrent))
        new = b.activation(act, pre)
        return new, [new]
    if op == "FusedLSTM":
        kernel, recurrent, bias = weights
        z = b.binary("AddV2", b.bias_add(b.matmul(x_t, kernel), bias), b.matmul(h, recurrent))
        z_i, z_f, z_c, z_o = b.split(z, 4)
        i, f, o = (b.activation(ract, g) for g in (z_i, z_f, z_o))
        c = b.binary(
            "AddV2", b.binary("Mul", f, states[1]), b.binary("Mul", i, b.activation(act, z_c))
        )
        new = b.binary("Mul", o, b.activation(act, c))
        return new, [new, c]
    if attrs.get("reset_after", True):
        kernel, recurrent, in_bias, rec_bias = weights
        x_z, x_r, x_h = b.split(b.bias_add(b.matmul(x_t, kernel), in_bias), 3)
        r_z, r_r, r_h = b.split(b.bias_add(b.matmul(h, recurrent), rec_bias), 3)
        z = b.activation(ract, b.binary("AddV2", x_z, r_z))
        r = b.activation(ract, b.binary("AddV2", x_r, r_r))
        cand = b.binary("AddV2", x_h, b.binary("Mul", r, r_h))
    else:
        kernel, recurrent, bias = weights
        x_z, x_r, x_h = b.split(b.bias_add(b.matmul(x_t, kernel), bias), 3)
        k_z, k_r, k_h = b.split(recurrent, 3)
        z = b.activation(ract, b.binary("AddV2", x_z, b.matmul(h, k_z)))
        r = b.activation(ract, b.binary("AddV2", x_r, b.matmul(h, k_r)))
        cand = b.binary("AddV2", x_h, b.matmul(b.binary("Mul", r, h), k_h))
    hh = b.activation(act, cand)
    new = b.binary("AddV2", hh, b.binary("Mul", z, b.binary("Sub", h, hh)))
    return new, [new]


def _body(fn_name, op, attrs, dtype, n_weights, n_states):
    """The loop body: args (i, n, xs, mask, *weights, list, prev_output, *states)."""
    b = _Nodes("", set(), dtype)
    weights = [f"w{k}" for k in range(n_weights)]
    states = [f"state{k}" for k in range(n_states)]
    names = ["i", "n", "xs", "mask", *weights, "outputs", "prev", *states]
    x_t = b.gather("xs", "i")
    m_t = b.add(
        "ExpandDims",
        [b.gather("mask", "i", dtypes.bool), b.const(-1, _INT32)],
        {"T": dtypes.bool, "Tdim": _INT32},
    )
    new, new_states = _cell_step(b, op, attrs, x_t, states, weights)

    def select(a, other):
        return b.add("SelectV2", [m_t, a, other], {"T": dtype})

    kept = [select(s, old) for s, old in zip(new_states, states)]
    if attrs.get("zero_output_for_mask", False):
        out = select(new, b.unary("ZerosLike", new))
    else:
        out = select(new, "prev")
    pushed = b.add(
        "TensorListSetItem",
        ["outputs", "i", out],
        {"element_dtype": dtype, "resize_if_index_out_of_bounds": False},
        "output_handle",
    )
    i_next = b.add("AddV2", ["i", b.const(1, _INT32)], {"T": _INT32}, "z")
    results = [i_next, "n", "xs", "mask", *weights, pushed, out, *kept]
    types = _loop_types(dtype, n_weights, n_states)
    args = list(zip(names, types))
    outs = [(f"{a}_out", _identity(b, r, t), t) for a, r, t in zip(names, results, types)]
    return _function(fn_name, args, outs, b.nodes)


def _identity(b: _Nodes, ref, dtype):
    # A body output must be a node output, not the argument itself.
    return b.add("Identity", [ref], {"T": dtype})


def _loop_types(dtype, n_weights, n_states):
    """The loop variables' dtypes: step, steps, inputs, mask, weights, the outputs'
    TensorList, the previous output and the states."""
    head = [_INT32, _INT32, dtype, dtypes.bool]
    return head + [dtype] * n_weights + [dtypes.variant] + [dtype] * (1 + n_states)


def _cond(fn_name, dtype, n_weights, n_states) -> bytes:
    b = _Nodes("", set(), dtype)
    types = _loop_types(dtype, n_weights, n_states)
    args = [(f"a{k}", t) for k, t in enumerate(types)]
    less = b.add("Less", ["a0", "a1"], {"T": _INT32}, "z")
    return _function(fn_name, args, [("less", less, dtypes.bool)], b.nodes)


def lower_fused_rnn(op, name, inputs, input_dtypes, attrs, taken, fn_name):
    """TF's form of one fused recurrent node.

    Args:
        op: the fused op's name (a key of ``FUSED_OPS``).
        name: the node's name in the function (its outputs are ``name:output:k``).
        inputs: the node's input refs (x, states..., mask, kernel, recurrent, bias).
        input_dtypes: their dtypes.
        attrs: the node's tensorflux attrs.
        taken: the function's node names (extended with the new ones).
        fn_name: the enclosing function's name (prefix of the loop functions' names).

    Returns:
        ``(NodeDefs for the function, FunctionDef bytes for the library)``.
    """
    n_states = FUSED_OPS[op]
    x, states = inputs[0], inputs[1 : 1 + n_states]
    mask, kernel, recurrent, bias = inputs[1 + n_states :]
    dtype, mask_dtype = input_dtypes[0], input_dtypes[1 + n_states]
    b = _Nodes(f"{name}/", taken, dtype)
    backwards = attrs.get("go_backwards", False)
    xs = b.transpose(x, [1, 0, 2])
    mask_t = b.transpose(mask, [1, 0], mask_dtype)
    if backwards:
        xs, mask_t = b.reverse(xs), b.reverse(mask_t, mask_dtype)
    if mask_dtype != dtypes.bool:  # a step counts where its mask is nonzero
        cast = {"SrcT": mask_dtype, "DstT": dtypes.bool, "Truncate": False}
        mask_t = b.add("Cast", [mask_t], cast, "y")
    shape = b.add("Shape", [xs], {"T": dtype, "out_type": _INT32})
    steps = b.add(
        "StridedSlice",
        [shape, b.const([0], _INT32), b.const([1], _INT32), b.const([1], _INT32)],
        {
            "T": _INT32,
            "Index": _INT32,
            "begin_mask": 0,
            "end_mask": 0,
            "ellipsis_mask": 0,
            "new_axis_mask": 0,
            "shrink_axis_mask": 1,
        },
    )
    weights = [kernel, recurrent, bias]
    if op == "FusedGRU" and attrs.get("reset_after", True):
        parts = b.add("Unpack", [bias], {"T": dtype, "num": 2, "axis": 0}, n=2)
        weights = [kernel, recurrent, *parts]
    unknown = b.const(-1, _INT32)
    tensor_list = b.add(
        "TensorListReserve",
        [unknown, steps],
        {"element_dtype": dtype, "shape_type": _INT32},
        "handle",
    )
    prev = b.unary("ZerosLike", states[0])
    loop_in = [b.const(0, _INT32), steps, xs, mask_t, *weights, tensor_list, prev, *states]
    types = _loop_types(dtype, len(weights), n_states)
    base = f"{fn_name}_{name.replace('/', '_')}_while"
    body_name, cond_name = unique_name(f"{base}_body", taken), unique_name(f"{base}_cond", taken)
    loop = b.add(
        "While",
        loop_in,
        {
            "T": types,
            "body": _Func(body_name),
            "cond": _Func(cond_name),
            "output_shapes": [],
            "parallel_iterations": 10,
        },
        n=len(loop_in),
    )
    n_w = len(weights)
    stacked = b.add(
        "TensorListStack",
        [loop[4 + n_w], unknown],
        {"element_dtype": dtype, "num_elements": -1},
        "tensor",
    )
    results = [b.transpose(stacked, [1, 0, 2]), *loop[6 + n_w :]]
    own = {f"_tfx_{k}": v for k, v in attrs.items()}
    own.update({FUSED_OP: op, FUSED_INPUTS: list(inputs), _MARKER: True})
    own["T"] = [dtype] * len(results)
    b.nodes.append(_identity_n(name, results, own))
    library = [
        _body(body_name, op, attrs, dtype, n_w, n_states),
        _cond(cond_name, dtype, n_w, n_states),
    ]
    return b.nodes, library


def _identity_n(name, results, attrs) -> MessageWriter:
    """The ``IdentityN`` that stands for the fused node, under the node's own name."""
    w = MessageWriter().raw(1, name).raw(2, "IdentityN")
    for ref in results:
        w.raw(3, ref)
    for key in sorted(attrs):
        w.raw(5, MessageWriter().raw(1, key).raw(2, _attr_value(attrs[key])))
    return w
