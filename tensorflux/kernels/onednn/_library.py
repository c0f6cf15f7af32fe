"""Finding and loading ``libdnnl.so.3`` (oneDNN 3.x C API) and declaring its functions.

Lookup order (the first that loads wins):
1. the path in ``TENSORFLUX_ONEDNN_LIBRARY``;
2. the files of the ``onednn-cpu-gomp`` distribution (the PyPI wheel puts the library
   under ``<sys.prefix>/lib``);
3. ``ctypes.util.find_library("dnnl")`` (a system or conda install).

If ``TENSORFLUX_ONEDNN_LIBRARY`` is set, only that path is tried, so that a test (or a
user) can point it at nothing and get the reference kernels. Nothing here runs at
import: ``library()`` loads on the first call and remembers the outcome, success or not.

The constants are oneDNN 3.2's enum values and argument ids (``dnnl_types.h``); the C
API has kept them since 3.0.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading

from tensorflux.kernels import Unsupported

__all__ = ["library", "load_error", "check", "DnnlError", "DIMS", "ExecArg", "engine", "stream"]

ENV_PATH = "TENSORFLUX_ONEDNN_LIBRARY"

# dnnl_data_type_t, dnnl_format_tag_t
F32 = 3
S8 = 5
U8 = 6
TAG_ANY = 1
TAG_A = 2  # dnnl_a (dnnl_x): a plain 1-D tensor, per-channel statistics and parameters
TAG_NHWC = 22
TAG_HWIO = 28
TAG_NDHWC = 33
TAG_DHWIO = 38
# dnnl_hwigo (dnnl_decab): grouped 2-D weights stored as TF's depthwise [kh, kw, c, m]
# with one input channel per group.
TAG_HWIGO = 39
# The recurrent primitives' layouts: activations (time, batch, channels) stored batch
# first, states (layers, directions, batch, channels), weights (layers, directions,
# input, gates, output) as Keras stores a kernel (input, gates * units), biases
# (layers, directions, gates, output).
TAG_NTC = 16
TAG_LDNC = 5
TAG_LDIGO = 6
TAG_LDGO = 5
# dnnl_prop_kind_t, dnnl_alg_kind_t
FORWARD_TRAINING = 64
FORWARD_INFERENCE = 96
BACKWARD = 128
# dnnl_normalization_flags_t
USE_GLOBAL_STATS = 0x1
USE_SCALE = 0x2
USE_SHIFT = 0x4
CONVOLUTION_DIRECT = 0x1
ELTWISE_RELU = 0x20
ELTWISE_TANH = 0x21
ELTWISE_LOGISTIC = 0x29
POOLING_MAX = 0x1FF
POOLING_AVG_INCLUDE_PADDING = 0x2FF
POOLING_AVG_EXCLUDE_PADDING = 0x3FF
ELTWISE_CLIP = 0x2E
ELTWISE_CLIP_V2 = 0x2F
RESAMPLING_LINEAR = 0x2FFF1
# dnnl_query_t
QUERY_SRC_MD = 129
QUERY_DIFF_SRC_MD = 130
QUERY_WEIGHTS_MD = 131
QUERY_DIFF_WEIGHTS_MD = 132
QUERY_DST_MD = 133
QUERY_DIFF_DST_MD = 134
QUERY_WORKSPACE_MD = 135
QUERY_SCRATCHPAD_MD = 136
QUERY_IMPL_INFO_STR = 8
QUERY_EXEC_ARG_MD = 255
# dnnl_rnn_direction_t, dnnl_rnn_flags_t
RNN_LEFT2RIGHT = 1
RNN_DIFF_WEIGHTS_OVERWRITE = 0x1
# DNNL_ARG_*
ARG_SRC = 1
ARG_DST = 17
ARG_WEIGHTS = 33
ARG_BIAS = 41
ARG_MEAN = 49
ARG_VARIANCE = 50
ARG_SCALE = 51
ARG_SHIFT = 52
ARG_WORKSPACE = 64
ARG_SCRATCHPAD = 80
ARG_DIFF_SRC = 129
ARG_DIFF_DST = 145
ARG_DIFF_WEIGHTS = 161
ARG_DIFF_BIAS = 169
ARG_DIFF_SCALE = 255
ARG_DIFF_SHIFT = 256
ARG_SRC_ITER = 2
ARG_SRC_ITER_C = 3
ARG_DST_ITER = 18
ARG_DST_ITER_C = 19
ARG_WEIGHTS_ITER = 34
ARG_DIFF_SRC_ITER = 130
ARG_DIFF_SRC_ITER_C = 131
ARG_DIFF_DST_ITER = 146
ARG_DIFF_DST_ITER_C = 147
ARG_DIFF_WEIGHTS_ITER = 162
ARG_FROM = 1
ARG_TO = 17
SCRATCHPAD_MODE_USER = 1

_STATUS = {
    1: "out_of_memory",
    2: "invalid_arguments",
    3: "unimplemented",
    5: "runtime_error",
    6: "not_required",
    7: "invalid_graph",
    8: "invalid_graph_op",
    9: "invalid_shape",
    10: "invalid_data_type",
}

DIMS = ctypes.c_int64 * 12  # dnnl_dims_t
_P = ctypes.c_void_p
_PP = ctypes.POINTER(ctypes.c_void_p)


class ExecArg(ctypes.Structure):
    """``dnnl_exec_arg_t``: an argument id and the memory bound to it."""

    _fields_ = [("arg", ctypes.c_int), ("memory", ctypes.c_void_p)]


class DnnlError(Unsupported):
    """A oneDNN call returned an error status (most often: no implementation for this
    case); the dispatcher runs the reference kernel instead."""


def check(status: int, what: str) -> None:
    """Raises ``DnnlError`` unless ``status`` is ``dnnl_success``."""
    if status:
        raise DnnlError(f"{what} failed: dnnl status {_STATUS.get(status, status)}")


# name -> argtypes; every function returns dnnl_status_t (int) unless listed in _RESTYPES.
_SIGNATURES = {
    "dnnl_engine_create": [_PP, ctypes.c_int, ctypes.c_size_t],
    "dnnl_stream_create": [_PP, _P, ctypes.c_uint],
    "dnnl_stream_wait": [_P],
    "dnnl_memory_desc_create_with_tag": [_PP, ctypes.c_int, DIMS, ctypes.c_int, ctypes.c_int],
    "dnnl_memory_desc_destroy": [_P],
    "dnnl_memory_desc_equal": [_P, _P],
    "dnnl_memory_desc_get_size": [_P],
    "dnnl_memory_create": [_PP, _P, _P, _P],
    "dnnl_memory_set_data_handle": [_P, _P],
    "dnnl_memory_destroy": [_P],
    "dnnl_primitive_attr_create": [_PP],
    "dnnl_primitive_attr_destroy": [_P],
    "dnnl_primitive_attr_set_scratchpad_mode": [_P, ctypes.c_int],
    "dnnl_primitive_attr_set_post_ops": [_P, _P],
    "dnnl_post_ops_create": [_PP],
    "dnnl_post_ops_append_eltwise": [_P, ctypes.c_int, ctypes.c_float, ctypes.c_float],
    "dnnl_post_ops_destroy": [_P],
    "dnnl_primitive_desc_query_md": [_P, ctypes.c_int, ctypes.c_int],
    "dnnl_primitive_desc_destroy": [_P],
    "dnnl_primitive_create": [_PP, _P],
    "dnnl_primitive_execute": [_P, _P, ctypes.c_int, _P],
    "dnnl_primitive_destroy": [_P],
    "dnnl_reorder_primitive_desc_create": [_PP, _P, _P, _P, _P, _P],
    "dnnl_convolution_forward_primitive_desc_create": [
        _PP,
        _P,
        ctypes.c_int,
        ctypes.c_int,
        _P,
        _P,
        _P,
        _P,
        DIMS,
        DIMS,
        DIMS,
        DIMS,
        _P,
    ],
    "dnnl_convolution_backward_data_primitive_desc_create": [
        _PP,
        _P,
        ctypes.c_int,
        _P,
        _P,
        _P,
        DIMS,
        DIMS,
        DIMS,
        DIMS,
        _P,
        _P,
    ],
    "dnnl_convolution_backward_weights_primitive_desc_create": [
        _PP,
        _P,
        ctypes.c_int,
        _P,
        _P,
        _P,
        _P,
        DIMS,
        DIMS,
        DIMS,
        DIMS,
        _P,
        _P,
    ],
    "dnnl_pooling_forward_primitive_desc_create": [
        _PP,
        _P,
        ctypes.c_int,
        ctypes.c_int,
        _P,
        _P,
        DIMS,
        DIMS,
        DIMS,
        DIMS,
        DIMS,
        _P,
    ],
    "dnnl_pooling_backward_primitive_desc_create": [
        _PP,
        _P,
        ctypes.c_int,
        _P,
        _P,
        DIMS,
        DIMS,
        DIMS,
        DIMS,
        DIMS,
        _P,
        _P,
    ],
    # (pd, engine, prop_kind, alg_kind, factors, src_md, dst_md, attr)
    "dnnl_resampling_forward_primitive_desc_create": [_PP, _P] + [ctypes.c_int] * 2 + [_P] * 4,
    "dnnl_eltwise_forward_primitive_desc_create": [
        _PP,
        _P,
        ctypes.c_int,
        ctypes.c_int,
        _P,
        _P,
        ctypes.c_float,
        ctypes.c_float,
        _P,
    ],
    "dnnl_eltwise_backward_primitive_desc_create": [
        _PP,
        _P,
        ctypes.c_int,
        _P,
        _P,
        _P,
        ctypes.c_float,
        ctypes.c_float,
        _P,
        _P,
    ],
    "dnnl_batch_normalization_forward_primitive_desc_create": [
        _PP,
        _P,
        ctypes.c_int,
        _P,
        _P,
        ctypes.c_float,
        ctypes.c_uint,
        _P,
    ],
    "dnnl_batch_normalization_backward_primitive_desc_create": [
        _PP,
        _P,
        ctypes.c_int,
        _P,
        _P,
        _P,
        ctypes.c_float,
        ctypes.c_uint,
        _P,
        _P,
    ],
    "dnnl_lstm_forward_primitive_desc_create": [_PP, _P, ctypes.c_int, ctypes.c_int]
    + [_P] * 11
    + [ctypes.c_uint, _P],
    "dnnl_lstm_backward_primitive_desc_create": [_PP, _P, ctypes.c_int, ctypes.c_int]
    + [_P] * 22
    + [ctypes.c_uint, _P, _P],
    "dnnl_lbr_gru_forward_primitive_desc_create": [_PP, _P, ctypes.c_int, ctypes.c_int]
    + [_P] * 7
    + [ctypes.c_uint, _P],
    "dnnl_lbr_gru_backward_primitive_desc_create": [_PP, _P, ctypes.c_int, ctypes.c_int]
    + [_P] * 14
    + [ctypes.c_uint, _P, _P],
    "dnnl_vanilla_rnn_forward_primitive_desc_create": [_PP, _P]
    + [ctypes.c_int] * 3
    + [_P] * 7
    + [ctypes.c_uint, ctypes.c_float, ctypes.c_float, _P],
    "dnnl_vanilla_rnn_backward_primitive_desc_create": [_PP, _P]
    + [ctypes.c_int] * 3
    + [_P] * 14
    + [ctypes.c_uint, ctypes.c_float, ctypes.c_float, _P, _P],
}
_RESTYPES = {
    "dnnl_primitive_desc_query_md": _P,
    "dnnl_memory_desc_equal": ctypes.c_int,
    "dnnl_memory_desc_get_size": ctypes.c_size_t,
}

_lock = threading.Lock()
_loaded: dict = {}


def _candidates():
    """Paths to try, in order (see the module docstring)."""
    explicit = os.environ.get(ENV_PATH)
    if explicit is not None:
        return [explicit]
    import ctypes.util
    import platform
    from importlib import metadata

    found = []
    if sys.platform.startswith("linux") and platform.machine() in ("x86_64", "AMD64"):
        try:
            files = metadata.files("onednn-cpu-gomp") or []
        except metadata.PackageNotFoundError:
            files = []
        for f in files:
            if f.name == "libdnnl.so.3":
                found.append(str(f.locate()))
    name = ctypes.util.find_library("dnnl")
    if name:
        found.append(name)
    return found


def _declare(lib: ctypes.CDLL) -> None:
    for name, argtypes in _SIGNATURES.items():
        fn = getattr(lib, name)
        fn.argtypes = argtypes
        fn.restype = _RESTYPES.get(name, ctypes.c_int)


# GNU OpenMP's idle workers spin for GOMP_SPINCOUNT iterations before they sleep
# (300,000 by default, or for ever under OMP_WAIT_POLICY=active). On a machine with
# other work, a spinning worker holds a core the next kernel's team needs, and every
# barrier waits for a descheduled thread: a small CNN's fit ran at 270 samples/s with
# the default, 805 with 10,000 and 971 with passive waiting (2 cores, load 3). Quiet,
# the short spin still catches the kernels that follow each other.
_GOMP_SPINCOUNT = "10000"


def _bound_openmp_spinning() -> None:
    """Sets GNU OpenMP's spin count before libgomp loads, unless the user chose a wait
    policy or spin count themselves."""
    if not any(k in os.environ for k in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT")):
        os.environ["GOMP_SPINCOUNT"] = _GOMP_SPINCOUNT


def _load():
    _bound_openmp_spinning()
    errors = []
    for path in _candidates():
        try:
            lib = ctypes.CDLL(path)
            _declare(lib)
        except (OSError, AttributeError) as e:
            errors.append(f"{path}: {e}")
            continue
        eng, strm = ctypes.c_void_p(), ctypes.c_void_p()
        check(lib.dnnl_engine_create(ctypes.byref(eng), 1, 0), "dnnl_engine_create")
        check(lib.dnnl_stream_create(ctypes.byref(strm), eng, 1), "dnnl_stream_create")
        return lib, eng, strm, None
    return None, None, None, "; ".join(errors) or "no oneDNN library found"


def library():
    """The loaded ``libdnnl`` (with its functions declared), or None if it cannot load."""
    lib = _loaded.get("lib", False)
    if lib is not False:
        return lib
    with _lock:
        if "lib" not in _loaded:
            try:
                lib, eng, strm, error = _load()
            except DnnlError as e:
                lib, eng, strm, error = None, None, None, str(e)
            _loaded.update(lib=lib, engine=eng, stream=strm, error=error)
    return _loaded["lib"]


def load_error() -> str | None:
    """Why the library did not load (None if it loaded or was not tried yet)."""
    return _loaded.get("error")


def engine() -> ctypes.c_void_p:
    """The CPU engine (``library()`` must have succeeded)."""
    return _loaded["engine"]


def stream() -> ctypes.c_void_p:
    """The in-order stream every primitive runs on."""
    return _loaded["stream"]
