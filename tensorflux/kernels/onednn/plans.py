"""Cached oneDNN execution plans over NumPy buffers.

A ``Plan`` holds one primitive, the memory objects bound to each of its arguments and
the reorders that move weights between the user's layout (Keras HWIO) and the layout
the primitive chose (``format_tag_any``). Plans are built once per shape key and kept
in a bounded cache; each call only rebinds the data handles to the NumPy buffers
(zero-copy) and runs. oneDNN primitives fix their OpenMP team size when they are made
(a primitive made for two threads runs two even when OpenMP is then set to one), so
the thread count is set before a plan is looked up and is part of its key.
oneDNN memory objects are not safe to rebind from two threads at once, so a plan runs
under its own lock (a tf.data map may run a kernel on the prefetch thread while the
training step runs one).
"""

from __future__ import annotations

import ctypes
import threading
import weakref
from collections import OrderedDict

import numpy as np

from tensorflux.kernels import threads
from tensorflux.kernels.onednn import _library as L

__all__ = [
    "Plan",
    "cached_plan",
    "memory_desc",
    "dims",
    "PlanBuilder",
    "aligned_empty",
    "WorkspaceTable",
]

_MAX_PLANS = 256


_ALIGNMENT = 64  # bytes: a cache line, and oneDNN's own allocations' alignment


def aligned_empty(shape, dtype) -> np.ndarray:
    """An uninitialised array whose data starts on a 64-byte boundary, as oneDNN aligns
    the scratchpads and weight buffers it allocates itself (NumPy's small buffers start
    wherever malloc puts them, in 16-byte steps)."""
    dtype = np.dtype(dtype)
    count = int(np.prod(shape))
    raw = np.empty(count * dtype.itemsize + _ALIGNMENT, np.uint8)
    start = -raw.ctypes.data % _ALIGNMENT
    return raw[start : start + count * dtype.itemsize].view(dtype).reshape(shape)


def dims(values) -> L.DIMS:
    """A ``dnnl_dims_t`` holding ``values`` (zero-filled after them)."""
    return L.DIMS(*[int(v) for v in values])


def memory_desc(lib, shape, tag: int, data_type: int = L.F32) -> ctypes.c_void_p:
    """A memory descriptor of logical ``shape`` (NCHW / OIHW order) with ``tag``, of
    ``data_type`` (float32 unless given)."""
    md = ctypes.c_void_p()
    L.check(
        lib.dnnl_memory_desc_create_with_tag(
            ctypes.byref(md), len(shape), dims(shape), data_type, tag
        ),
        "dnnl_memory_desc_create",
    )
    return md


class PlanBuilder:
    """Collects the oneDNN objects made while building a plan, so that a failure half-way
    destroys them all (and a finished plan owns them)."""

    def __init__(self, lib):
        self.lib = lib
        self.plan = Plan(lib)

    def md(self, shape, tag, data_type: int = L.F32):
        md = memory_desc(self.lib, shape, tag, data_type)
        self.plan.mds.append(md)
        return md

    def attr(self):
        """Primitive attributes: a user-managed scratchpad (one buffer per plan instead of
        a malloc per call)."""
        lib = self.lib
        attr = ctypes.c_void_p()
        L.check(lib.dnnl_primitive_attr_create(ctypes.byref(attr)), "dnnl_primitive_attr_create")
        self.plan.attrs.append(attr)
        L.check(
            lib.dnnl_primitive_attr_set_scratchpad_mode(attr, L.SCRATCHPAD_MODE_USER),
            "dnnl_primitive_attr_set_scratchpad_mode",
        )
        return attr

    def relu_post_op(self, attr) -> None:
        """Adds a ReLU applied to the primitive's output before it is written to ``attr``
        (oneDNN copies the post-ops into the attributes)."""
        lib = self.lib
        post_ops = ctypes.c_void_p()
        L.check(lib.dnnl_post_ops_create(ctypes.byref(post_ops)), "dnnl_post_ops_create")
        try:
            L.check(
                lib.dnnl_post_ops_append_eltwise(post_ops, L.ELTWISE_RELU, 0.0, 0.0),
                "dnnl_post_ops_append_eltwise",
            )
            L.check(
                lib.dnnl_primitive_attr_set_post_ops(attr, post_ops),
                "dnnl_primitive_attr_set_post_ops",
            )
        finally:
            lib.dnnl_post_ops_destroy(post_ops)

    def pd(self, create, *args, what: str):
        pd = ctypes.c_void_p()
        L.check(create(ctypes.byref(pd), *args), what)
        self.plan.pds.append(pd)
        return pd

    def query(self, pd, what: int):
        """A memory descriptor the primitive chose (owned by ``pd``; not to be destroyed)."""
        return self.lib.dnnl_primitive_desc_query_md(pd, what, 0)

    def finish(self, pd, user_args: dict, reorders_in=(), reorders_out=(), shared_scratchpad=False):
        """Creates the primitive of ``pd`` and the plan's memories.

        Args:
            user_args: argument id -> memory descriptor whose buffer the caller gives at
                run time (a NumPy array, bound by ``Plan.run``).
            reorders_in: ``(arg, user_md, prim_md)``: a caller buffer in ``user_md``
                layout reordered into a plan-owned buffer in ``prim_md`` before running.
            reorders_out: ``(arg, prim_md, user_md)``: the primitive writes a plan-owned
                buffer that is reordered into the caller's buffer after running.
            shared_scratchpad: run on the calling thread's scratchpad (one buffer, grown
                to the largest plan's need) instead of one owned by the plan: for
                primitives whose scratchpad is tens of MB and grows with a dimension
                that varies between calls (a sequence's length), so that the cache does
                not hold one such buffer per shape.
        """
        plan = self.plan
        plan.primitive = self._primitive(pd)
        for arg, md in user_args.items():
            plan.user[arg] = self._memory(md, None)
        for arg, user_md, prim_md in reorders_in:
            plan.pre.append(self._reorder(arg, user_md, prim_md, into_primitive=True))
        for arg, prim_md, user_md in reorders_out:
            plan.post.append(self._reorder(arg, prim_md, user_md, into_primitive=False))
        scratch = self.query(pd, L.QUERY_SCRATCHPAD_MD)
        if shared_scratchpad:
            plan.scratchpad_size = self.lib.dnnl_memory_desc_get_size(scratch)
            if plan.scratchpad_size:
                plan.user[L.ARG_SCRATCHPAD] = self._memory(scratch, None)
        else:
            self._owned(plan.args, L.ARG_SCRATCHPAD, scratch)
        plan.args.update(plan.user)
        plan.finalize()
        return plan

    def _owned(self, args: dict, arg: int, md) -> None:
        """Binds ``arg`` to a plan-owned buffer of ``md``'s size (nothing if size 0)."""
        size = self.lib.dnnl_memory_desc_get_size(md)
        if size:
            buf = aligned_empty(size, np.uint8)
            self.plan.buffers.append(buf)
            args[arg] = self._memory(md, buf.ctypes.data)

    def _memory(self, md, ptr):
        mem = ctypes.c_void_p()
        L.check(
            self.lib.dnnl_memory_create(ctypes.byref(mem), md, L.engine(), ptr),
            "dnnl_memory_create",
        )
        self.plan.memories.append(mem)
        return mem

    def _primitive(self, pd):
        prim = ctypes.c_void_p()
        L.check(self.lib.dnnl_primitive_create(ctypes.byref(prim), pd), "dnnl_primitive_create")
        self.plan.primitives.append(prim)
        return prim

    def _reorder(self, arg, src_md, dst_md, into_primitive: bool):
        """A reorder between a caller buffer and a plan-owned one (see ``finish``)."""
        lib = self.lib
        pd = self.pd(
            lib.dnnl_reorder_primitive_desc_create,
            src_md,
            L.engine(),
            dst_md,
            L.engine(),
            None,
            what="dnnl_reorder_primitive_desc_create",
        )
        prim = self._primitive(pd)
        owned_md, user_md = (dst_md, src_md) if into_primitive else (src_md, dst_md)
        holder: dict = {}
        self._owned(holder, arg, owned_md)
        user = self._memory(user_md, None)
        self.plan.args[arg] = holder[arg]
        src, dst = (user, holder[arg]) if into_primitive else (holder[arg], user)
        return arg, prim, src, dst, user


class Plan:
    """A built primitive and its memories; ``run`` binds NumPy buffers and executes."""

    def __init__(self, lib):
        self.lib = lib
        self.primitive = None
        self.user: dict = {}  # arg -> memory bound to a caller buffer per call
        self.args: dict = {}  # arg -> memory passed to the primitive
        self.pre: list = []
        self.post: list = []
        self.buffers: list = []
        self.workspace_size = 0
        self.scratchpad_size = 0  # of a shared scratchpad (``PlanBuilder.finish``)
        # Every oneDNN object made for the plan, destroyed with it.
        self.memories: list = []
        self.primitives: list = []
        self.pds: list = []
        self.mds: list = []
        self.attrs: list = []
        self.lock = threading.Lock()

    def finalize(self) -> None:
        n = len(self.args)
        self._exec = (L.ExecArg * n)(*[L.ExecArg(a, m) for a, m in self.args.items()])
        self._nargs = n

    def run(self, arrays: dict) -> None:
        """Runs on ``arrays`` (argument id -> C-contiguous array of the plan's data type,
        for every caller argument and reorder source/target), in the thread that looked
        the plan up."""
        lib = self.lib
        strm = L.stream()
        if self.scratchpad_size:
            arrays = {**arrays, L.ARG_SCRATCHPAD: _thread_scratchpad(self.scratchpad_size)}
        with self.lock:
            if self.primitive is None:
                raise L.DnnlError("the plan was evicted from the cache while in use")
            for arg, mem in self.user.items():
                lib.dnnl_memory_set_data_handle(mem, arrays[arg].ctypes.data)
            for arg, prim, src, dst, user in self.pre:
                lib.dnnl_memory_set_data_handle(user, arrays[arg].ctypes.data)
                _execute(lib, prim, strm, ((L.ARG_FROM, src), (L.ARG_TO, dst)))
            L.check(
                lib.dnnl_primitive_execute(self.primitive, strm, self._nargs, self._exec),
                "dnnl_primitive_execute",
            )
            for arg, prim, src, dst, user in self.post:
                lib.dnnl_memory_set_data_handle(user, arrays[arg].ctypes.data)
                _execute(lib, prim, strm, ((L.ARG_FROM, src), (L.ARG_TO, dst)))
            L.check(lib.dnnl_stream_wait(strm), "dnnl_stream_wait")

    def destroy(self) -> None:
        lib = self.lib
        for p in self.primitives:
            lib.dnnl_primitive_destroy(p)
        for m in self.memories:
            lib.dnnl_memory_destroy(m)
        for pd in self.pds:
            lib.dnnl_primitive_desc_destroy(pd)
        for md in self.mds:
            lib.dnnl_memory_desc_destroy(md)
        for a in self.attrs:
            lib.dnnl_primitive_attr_destroy(a)
        self.primitive = None
        self.primitives, self.memories, self.pds, self.mds, self.attrs = [], [], [], [], []


_scratchpads = threading.local()


def _thread_scratchpad(size: int) -> np.ndarray:
    """The calling thread's shared scratchpad, at least ``size`` bytes. Plans run one
    at a time on a thread, so they can share it."""
    buffer = getattr(_scratchpads, "buffer", None)
    if buffer is None or buffer.nbytes < size:
        buffer = _scratchpads.buffer = aligned_empty(size, np.uint8)
    return buffer


def _execute(lib, prim, strm, args) -> None:
    exec_args = (L.ExecArg * len(args))(*[L.ExecArg(a, m) for a, m in args])
    L.check(lib.dnnl_primitive_execute(prim, strm, len(args), exec_args), "reorder")


_cache: OrderedDict = OrderedDict()
_cache_lock = threading.Lock()


def cached_plan(key, build, size: int) -> Plan:
    """The plan for ``key``, built by ``build(builder)`` on first use, for the OpenMP
    thread count this thread gives a kernel of ``size`` (``threads.kernel_size``), which
    it sets now. A build that fails (``DnnlError``: oneDNN has no implementation for the
    case) frees what it made and re-raises, so the caller can fall back to the reference
    kernel."""
    L.library()  # loads libgomp, whose thread count sync_openmp sets
    key = (key, threads.sync_openmp(size))
    plan = _cache.get(key)
    if plan is not None:
        return plan
    with _cache_lock:
        plan = _cache.get(key)
        if plan is not None:
            return plan
        builder = PlanBuilder(L.library())
        try:
            plan = build(builder)
        except L.DnnlError:
            builder.plan.destroy()
            raise
        _cache[key] = plan
        while len(_cache) > _MAX_PLANS:
            _, old = _cache.popitem(last=False)
            with old.lock:
                old.destroy()
    return plan


class WorkspaceTable:
    """What a training primitive wrote for its backward pass (a oneDNN workspace), kept
    by the forward op's output array while that array lives (past ``limit`` entries, the
    oldest go first). A gradient op given the same input and output arrays finds it;
    otherwise it runs the forward primitive again."""

    def __init__(self, limit: int = 64):
        self.limit = limit
        self.entries: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def keep(self, x, y, key, workspace) -> None:
        """Keeps ``workspace`` for the forward call that read ``x`` and wrote ``y``;
        ``key`` (a tuple) holds the attributes that must match too."""
        ident = id(y)
        y_ref = weakref.ref(y, lambda _: self._drop(ident))
        entry = (weakref.ref(x), y_ref, key, workspace)
        with self.lock:
            self.entries[ident] = entry
            while len(self.entries) > self.limit:
                self.entries.popitem(last=False)

    def _drop(self, ident) -> None:
        with self.lock:
            self.entries.pop(ident, None)

    def find(self, x, y, key):
        """The workspace kept for exactly ``x``, ``y`` and ``key``, or None."""
        with self.lock:
            entry = self.entries.get(id(y))
        if entry is None:
            return None
        x_ref, y_ref, kept_key, workspace = entry
        if x_ref() is x and y_ref() is y and kept_key == key:
            return workspace
        return None
