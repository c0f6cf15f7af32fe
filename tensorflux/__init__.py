"""tensorflux: the TensorFlow 2 programming model on a small NumPy engine.

``import tensorflux as tf`` gives the ``tf.*`` namespace. This file only
re-exports; logic lives in the subpackages. Each ``ops`` module's ``__all__``
lists the names TF exposes at the top level; names that live only under
``tf.math``, ``tf.nn`` ... are re-exported by the namespace modules.

``import tensorflux`` stays cheap: only the core (tensors, variables, the registry, the
elementwise, reduction and array ops and the operators) loads here. The namespaces
(``tf.nn``, ``tf.data``, ...) and the other top-level names load on first use through
``__getattr__`` (tables below), and ``dir(tf)`` lists them as before they load. An op
asked for by name before its module loads (a SavedModel's node) is found: the registry
then imports every op module (``_register_all_ops``).
"""

from tensorflux.framework.dtypes import (  # noqa: F401
    DType,
    as_dtype,
    bfloat16,
    bool,
    complex64,
    complex128,
    double,
    float16,
    float32,
    float64,
    half,
    int8,
    int16,
    int32,
    int64,
    string,
    uint8,
    uint16,
    uint32,
    uint64,
)
from tensorflux.framework.shape import TensorShape  # noqa: F401
from tensorflux.framework.tensor import Tensor, constant, convert_to_tensor, is_tensor  # noqa: F401
from tensorflux.framework.variables import Variable  # noqa: F401
from tensorflux.framework.indexed_slices import IndexedSlices  # noqa: F401
from tensorflux.framework import errors, nest  # noqa: F401
from tensorflux.framework.context import executing_eagerly  # noqa: F401
from tensorflux.framework.tensor_spec import TensorSpec  # noqa: F401
from tensorflux.framework.name_scope import name_scope  # noqa: F401
from tensorflux.ops.math_ops import *  # noqa: F401,F403
from tensorflux.ops.unary_math_ops import *  # noqa: F401,F403
from tensorflux.ops.division_ops import *  # noqa: F401,F403
from tensorflux.ops.reduction_ops import *  # noqa: F401,F403
from tensorflux.ops.logic_ops import *  # noqa: F401,F403
from tensorflux.ops.array_ops import *  # noqa: F401,F403
from tensorflux.ops.slicing_ops import *  # noqa: F401,F403
from tensorflux.ops import operators as _operators  # noqa: F401
from tensorflux.framework.dtypes import (  # noqa: F401
    qint8,
    qint16,
    qint32,
    quint8,
    quint16,
    resource,
    variant,
)
from tensorflux.framework.tensor_conversion import register_tensor_conversion_function  # noqa: F401
from tensorflux.framework.variable_creator import variable_creator_scope  # noqa: F401
from tensorflux.framework.variable_enums import (  # noqa: F401
    VariableAggregation,
    VariableSynchronization,
)
from tensorflux.framework.type_spec import (  # noqa: F401
    IndexedSlicesSpec,
    NoneTensorSpec,
    TensorArraySpec,
    TypeSpec,
)
from tensorflux import dtypes  # noqa: F401
from tensorflux.engine import registry as _registry
from tensorflux.ops import ragged_dispatch as _ragged_dispatch

__version__ = "0.1.0"

_LAZY_MODULES = (
    "audio",
    "autodiff",
    "autograph",
    "bitwise",
    "compat",
    "config",
    "config_devices",
    "config_optimizer",
    "data",
    "debugging",
    "distribute",
    "experimental",
    "image",
    "io",
    "linalg",
    "lookup",
    "math",
    "math_special",
    "nn",
    "nn_experimental",
    "quantization",
    "queue",
    "ragged",
    "random",
    "raw_ops",
    "sets",
    "sparse",
    "strings",
    "summary",
    "test",
    "train",
    "types",
    "version",
    "xla",
)
# Top-level ops seldom used, imported (and registered) on first use: name -> module.
_LAZY_NAMES = {
    "get_static_value": "tensorflux.framework.tensor_util",
    "OptionalSpec": "tensorflux.ops.optional_ops",
    "fingerprint": "tensorflux.ops.fingerprint_ops",
    "random_index_shuffle": "tensorflux.ops.random_index_shuffle_ops",
    "edit_distance": "tensorflux.ops.edit_distance_ops",
    "approx_top_k": "tensorflux.ops.approx_top_k_ops",
    "conv": "tensorflux.ops.conv_generic_ops",
    "conv2d_backprop_input_v2": "tensorflux.ops.conv_generic_ops",
    "conv2d_backprop_filter_v2": "tensorflux.ops.conv_generic_ops",
    "extract_volume_patches": "tensorflux.ops.volume_patches_ops",
    "ragged_fill_empty_rows": "tensorflux.ops.ragged_fill_ops",
    "ragged_fill_empty_rows_grad": "tensorflux.ops.ragged_fill_ops",
    "make_tensor_proto": "tensorflux.framework.tensor_util",
    "make_ndarray": "tensorflux.framework.tensor_util",
    "RaggedTensor": "tensorflux.ragged.ragged_tensor",
    "RaggedTensorSpec": "tensorflux.ragged.ragged_tensor_spec",
}
# Public ops and classes of modules that load on first use: module -> the names it
# gives ``tf`` (an ops module's ``__all__``, or as named).
_LAZY_OPS = {
    "tensorflux.engine.control_flow": ("cond", "while_loop", "case", "switch_case"),
    "tensorflux.engine.critical_section": ("CriticalSection",),
    "tensorflux.engine.function": ("function",),
    "tensorflux.engine.function_scopes": (
        "control_dependencies",
        "get_current_name_scope",
        "get_logger",
        "init_scope",
        "inside_function",
        "is_symbolic_tensor",
    ),
    "tensorflux.engine.gradient_registry": ("Operation", "RegisterGradient", "no_gradient"),
    "tensorflux.engine.graph_gradients": ("AggregationMethod", "gradients", "hessians"),
    "tensorflux.engine.tape": ("GradientTape", "UnconnectedGradients", "custom_gradient"),
    "tensorflux.framework.device_spec": ("DeviceSpec", "device"),
    "tensorflux.framework.module": ("Module",),
    "tensorflux.engine.gradient_wrappers": ("recompute_grad", "grad_pass_through"),
    "tensorflux.ops.array_ops_extra": (
        "bitcast",
        "broadcast_dynamic_shape",
        "broadcast_static_shape",
        "ensure_shape",
        "guarantee_const",
        "identity_n",
        "no_op",
        "group",
        "tuple",
        "parallel_stack",
        "reverse_sequence",
        "roll",
        "saturate_cast",
        "shape_n",
        "timestamp",
        "unique_with_counts",
        "unravel_index",
        "required_space_to_batch_paddings",
    ),
    "tensorflux.ops.batch_function_ops": ("nondifferentiable_batch_function",),
    "tensorflux.ops.clip_ops": ("clip_by_value", "clip_by_norm", "clip_by_global_norm"),
    "tensorflux.ops.complex_ops": ("complex",),
    "tensorflux.ops.fft_ops": ("fftnd", "ifftnd", "rfftnd", "irfftnd"),
    "tensorflux.ops.functional_ops": ("map_fn", "scan", "foldl", "foldr", "vectorized_map"),
    "tensorflux.ops.init_ops": (
        "zeros_initializer",
        "ones_initializer",
        "constant_initializer",
        "random_uniform_initializer",
        "random_normal_initializer",
    ),
    "tensorflux.ops.linalg_decomposition_ops": ("eig", "eigvals"),
    "tensorflux.ops.linalg_ops": ("norm", "tensordot", "einsum"),
    "tensorflux.ops.logging_ops": (
        "print",
        "Assert",
        "assert_equal",
        "assert_greater",
        "assert_less",
        "assert_rank",
    ),
    "tensorflux.ops.matrix_functions_ops": ("matrix_square_root",),
    "tensorflux.ops.nn_ops": ("sigmoid",),
    "tensorflux.ops.pinned_memory_ops": ("check_pinned",),
    "tensorflux.ops.sparse.sparse_tensor": ("SparseTensor", "SparseTensorSpec"),
    "tensorflux.ops.type_specs": ("type_spec_from_value",),
    "tensorflux.ops.partition_ops": (
        "dynamic_partition",
        "dynamic_stitch",
        "tensor_scatter_nd_max",
        "tensor_scatter_nd_min",
        "searchsorted",
        "histogram_fixed_width",
        "histogram_fixed_width_bins",
    ),
    "tensorflux.ops.script_ops": ("py_function", "numpy_function"),
    "tensorflux.ops.sort_ops": ("sort", "argsort"),
    "tensorflux.ops.space_batch_ops": ("batch_to_space", "space_to_batch", "space_to_batch_nd"),
    "tensorflux.ops.string_ops": ("as_string",),
    "tensorflux.ops.tensor_array": ("TensorArray",),
}
# TF's name -> the defining module's, where they differ.
_RENAMED = {"matrix_square_root": "sqrtm"}
_LAZY_OP_MODULES = {name: module for module, names in _LAZY_OPS.items() for name in names}
# The lazy names that ``dir(tf)`` lists before they load, as it did when they loaded
# with the package.
_LISTED = frozenset(_LAZY_OP_MODULES) | frozenset(
    {
        "autodiff",
        "autograph",
        "bitwise",
        "config",
        # Modules that tf.config, tf.math and tf.nn are assembled from: attributes of the
        # package once those load, as they were when they loaded with it.
        "config_devices",
        "config_optimizer",
        "math_special",
        "nn_experimental",
        "data",
        "debugging",
        "linalg",
        "lookup",
        "math",
        "nn",
        "ragged",
        "random",
        "strings",
        "RaggedTensor",
        "RaggedTensorSpec",
    }
)


def _register_all_ops() -> None:
    """Imports every module that registers ops (most load on first use of a function)."""
    import importlib
    import pkgutil

    import tensorflux.ops

    for module in pkgutil.walk_packages(tensorflux.ops.__path__, "tensorflux.ops."):
        importlib.import_module(module.name)
    for module in (
        "engine.control_flow",
        "ragged.ragged_range_op",
        "lookup.lookup_tables",
        "lookup.mutable_tables",
        "summary.summary_ops",
    ):
        importlib.import_module(f"tensorflux.{module}")


_registry.set_loader(_register_all_ops)
_ragged_dispatch.install(__name__)


def __getattr__(name):
    # ``tf.keras`` is imported on first use, keeping ``import tensorflux`` fast.
    # TF 2 also exposes four Keras packages at the top (``tf.initializers.RandomNormal``).
    if name in _LAZY_MODULES:
        import importlib

        return importlib.import_module(f"tensorflux.{name}")
    if name in ("keras", "initializers", "losses", "metrics", "optimizers"):
        import importlib

        keras = importlib.import_module("tensorflux.keras")
        return keras if name == "keras" else getattr(keras, name)
    if name == "signal":
        import importlib

        return importlib.import_module("tensorflux.signal")
    if name == "saved_model":
        # ``tf.saved_model`` is imported on first use as well, with Keras, which installs
        # how Keras models are exported and how TF-written Keras SavedModels are served.
        import importlib

        importlib.import_module("tensorflux.keras")
        return importlib.import_module("tensorflux.saved_model")
    if name in _LAZY_NAMES or name in _LAZY_OP_MODULES:
        import importlib

        module = importlib.import_module(_LAZY_NAMES.get(name) or _LAZY_OP_MODULES[name])
        value = getattr(module, _RENAMED.get(name, name))
        if name in _LISTED:
            # Kept, as a name imported with the package would be (and given its ragged
            # dispatch, as those are).
            globals()[name] = value
            _ragged_dispatch.install(__name__, names=(name,))
            value = globals()[name]
        return value
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf", __name__, name)


def __dir__():
    return sorted(set(globals()) | _LISTED)
