"""What TensorFlow's own runtime needs of a NodeDef beyond tensorflux's attrs, for the ops
a saved Keras model or small module uses: the name of the op's output argument (a
function refers to ``"node:<arg>:0"``) and TF's attrs (``T``, ``SrcT``/``DstT``,
``Tshape``, ...), which TF's op definitions require and tensorflux's kernels do not take.

tensorflux's own attrs travel beside them with a ``_tfx_`` prefix (TF ignores attrs
starting with ``_``), so both runtimes read the same file.
"""

from __future__ import annotations

import numpy as np

__all__ = ["output_arg_name", "tf_attrs", "extra_inputs", "from_tensorflow"]

# tensorflux's reductions and ConcatV2 take the axis as an attr; TF's take it as an int32
# input.
_REDUCTIONS = {"Sum", "Mean", "Max", "Min", "Prod", "Any", "All"}

_T = "T"

# op -> (output argument name, extra TF attrs besides T, whether T is set).
_OPS = {
    "AddV2": ("z", {}),
    "Sub": ("z", {}),
    "Mul": ("z", {}),
    "RealDiv": ("z", {}),
    "Maximum": ("z", {}),
    "Minimum": ("z", {}),
    "SquaredDifference": ("z", {}),
    "MatMul": ("product", {"transpose_a": False, "transpose_b": False}),
    "BiasAdd": ("output", {"data_format": "NHWC"}),
    "Relu": ("activations", {}),
    "Relu6": ("activations", {}),
    "Elu": ("activations", {}),
    "Selu": ("activations", {}),
    "Softplus": ("activations", {}),
    "Softmax": ("softmax", {}),
    "LogSoftmax": ("logsoftmax", {}),
    "Sigmoid": ("y", {}),
    "Tanh": ("y", {}),
    "Rsqrt": ("y", {}),
    "Sqrt": ("y", {}),
    "Neg": ("y", {}),
    "Square": ("y", {}),
    "Exp": ("y", {}),
    "Log": ("y", {}),
    "Abs": ("y", {}),
    "Identity": ("output", {}),
    "StopGradient": ("output", {}),
    "Conv2D": (
        "output",
        {
            "strides": None,
            "padding": None,
            "explicit_paddings": [],
            "data_format": "NHWC",
            "dilations": [1, 1, 1, 1],
            "use_cudnn_on_gpu": True,
        },
    ),
    "MaxPool": (
        "output",
        {
            "ksize": None,
            "strides": None,
            "padding": None,
            "explicit_paddings": [],
            "data_format": "NHWC",
        },
    ),
    "AvgPool": ("output", {"ksize": None, "strides": None, "padding": None, "data_format": "NHWC"}),
    "Reshape": ("output", {}),
    "DepthwiseConv2dNative": (
        "output",
        {
            "strides": None,
            "padding": None,
            "explicit_paddings": [],
            "data_format": "NHWC",
            "dilations": [1, 1, 1, 1],
        },
    ),
    "LeakyRelu": ("activations", {"alpha": 0.2}),
    "Softsign": ("activations", {}),
    "Erf": ("y", {}),
    "Pow": ("z", {}),
    "Cast": ("y", {}),
    "Sum": ("output", {}),
    "Mean": ("output", {}),
    "Max": ("output", {}),
    "Min": ("output", {}),
    "Prod": ("output", {}),
    "ConcatV2": ("output", {}),
    # What a recurrent layer's call writes around its fused op.
    "Shape": ("output", {"out_type": None}),
    "StridedSlice": (
        "output",
        {
            "begin_mask": 0,
            "end_mask": 0,
            "ellipsis_mask": 0,
            "new_axis_mask": 0,
            "shrink_axis_mask": 0,
        },
    ),
    "Pack": ("output", {"axis": 0}),
    "Fill": ("output", {}),
    "OnesLike": ("y", {}),
    "ZerosLike": ("y", {}),
    "NotEqual": ("z", {"incompatible_shape_error": True}),
    "ReverseV2": ("output", {}),
    "GatherV2": ("output", {"batch_dims": 0}),
    "Einsum": ("output", {"equation": None}),
    "Transpose": ("y", {}),
    "Any": ("output", {}),
    "All": ("output", {}),
}


def output_arg_name(op: str) -> str:
    """The name of ``op``'s (first) output argument in TF's op definition."""
    entry = _OPS.get(op)
    return entry[0] if entry else _OUTPUT_NAMES.get(op, "output")


# Ops of no attrs whose output TF names otherwise (what a FunctionDef's returns cite).
_OUTPUT_NAMES = {"ReadFile": "contents"}


def tf_attrs(op: str, attrs: dict, input_dtypes: list):
    """TF's attrs for a node of ``op`` given tensorflux's ``attrs`` and its inputs'
    dtypes, or None for an op this table does not know (its attrs are written as
    tensorflux has them)."""
    entry = _OPS.get(op)
    if op == "Cast" and input_dtypes and "dtype" in attrs:
        return {"SrcT": input_dtypes[0], "DstT": attrs["dtype"], "Truncate": False}
    if op == "ConcatV2" and input_dtypes:
        return {_T: input_dtypes[0], "N": len(input_dtypes), "Tidx": _int32()}
    if op in _REDUCTIONS and input_dtypes:
        out = {"Tidx": _int32(), "keep_dims": bool(attrs.get("keepdims"))}
        if op not in ("Any", "All"):  # TF's boolean reductions have no T
            out[_T] = input_dtypes[0]
        return out
    if entry is None or not input_dtypes:
        return None
    out = {_T: input_dtypes[0]}
    for name, default in entry[1].items():
        value = attrs.get(name, default)
        if value is None:
            return None
        out[name] = list(value) if isinstance(value, tuple) else value
    if op == "Reshape":
        out["Tshape"] = input_dtypes[1]
    elif op == "StridedSlice":
        out["Index"] = input_dtypes[1]
    elif op in ("Pack", "Einsum"):
        out["N"] = len(input_dtypes)
    elif op == "ReverseV2":
        out["Tidx"] = _int32()
    elif op == "Transpose":
        out["Tperm"] = _int32()
    elif op == "GatherV2":
        del out[_T]
        out.update({"Tparams": input_dtypes[0], "Tindices": input_dtypes[1], "Taxis": _int32()})
    elif op == "Fill":
        out.update({_T: input_dtypes[1], "index_type": input_dtypes[0]})
    elif op in ("OnesLike", "ZerosLike") and attrs.get("dtype", input_dtypes[0]) != input_dtypes[0]:
        return None  # TF's form keeps the input's dtype
    return out


def _int32():
    from tensorflux.framework import dtypes

    return dtypes.int32


def extra_inputs(op: str, attrs: dict, rank):
    """The constant inputs TF's op takes where tensorflux has an attr (a reduction's
    axes, all of them for ``axis=None`` on an input of rank ``rank``; the axis of a
    concatenation, a gather or a reversal; a transposition's permutation), or []."""
    if op == "ConcatV2" or op == "GatherV2":
        return [np.asarray(attrs.get("axis", 0), dtype=np.int32)]
    if op == "ReverseV2":
        return [np.asarray(attrs["axis"], dtype=np.int32).reshape(-1)]
    if op == "Transpose":
        return [np.asarray(attrs["perm"], dtype=np.int32).reshape(-1)]
    if op not in _REDUCTIONS:
        return []
    axis = attrs.get("axis")
    if axis is None:
        if rank is None:
            return []
        axis = list(range(rank))
    return [np.asarray(axis, dtype=np.int32)]


# TF attrs that only say what types a node handles: tensorflux's kernels infer them.
_TYPE_ATTRS = {
    "T",
    "Tidx",
    "Tshape",
    "SrcT",
    "DstT",
    "N",
    "Truncate",
    "use_cudnn_on_gpu",
    "Tpaddings",
    "TI",
    "Index",
    "Tmultiples",
    "Tperm",
    "out_type",
    "Tdim",
    "keep_dims",
}


def from_tensorflow(op: str, attrs: dict, n_inputs: int):
    """tensorflux's attrs for a node TensorFlow wrote: ``(attrs, {attr: (input index,
    as a tuple)})``, the second naming the constant inputs TF uses where tensorflux has
    an attr (read when the node runs; a reduction's axes become a tuple)."""
    own = {k: v for k, v in attrs.items() if not k.startswith("_") and k not in _TYPE_ATTRS}
    from_inputs = {}
    if op == "Cast":
        own = {"dtype": attrs["DstT"]}
    elif op in _REDUCTIONS:
        own["keepdims"] = bool(attrs.get("keep_dims", False))
        from_inputs["axis"] = (1, True)
    elif op == "ConcatV2":
        from_inputs["axis"] = (n_inputs - 1, False)
    elif op in ("Softmax", "LogSoftmax"):
        own["axis"] = -1
    for key, value in own.items():
        if isinstance(value, list) and key in (
            "strides",
            "ksize",
            "dilations",
            "explicit_paddings",
        ):
            own[key] = tuple(value)
    return _accepted(op, own), from_inputs


def _accepted(op: str, attrs: dict) -> dict:
    """``attrs`` less those ``op``'s kernel does not take (TF defaults such as MatMul's
    ``grad_a``), when its parameters can be read."""
    import inspect

    from tensorflux.engine import registry

    try:
        params = inspect.signature(registry.get(op).kernel).parameters
    except (TypeError, ValueError, KeyError, LookupError):
        return attrs
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):
        return attrs
    return {k: v for k, v in attrs.items() if k in params}
