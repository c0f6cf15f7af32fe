"""tensorflux: the TensorFlow 2 programming model on a small NumPy engine.

``import tensorflux as tf`` gives the ``tf.*`` namespace. This file only
re-exports; logic lives in the subpackages. Each ``ops`` module's ``__all__``
lists the names TF exposes at the top level; names that live only under
``tf.math``, ``tf.nn`` ... are re-exported by the namespace modules.
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
from tensorflux.engine.tape import GradientTape, UnconnectedGradients, custom_gradient  # noqa: F401
from tensorflux.engine.function import function  # noqa: F401
from tensorflux.engine.control_flow import case, cond, switch_case, while_loop  # noqa: F401
from tensorflux.ops.tensor_array import TensorArray  # noqa: F401
from tensorflux.framework.tensor_spec import TensorSpec  # noqa: F401
from tensorflux.framework.module import Module  # noqa: F401
from tensorflux.framework.name_scope import name_scope  # noqa: F401
from tensorflux.ops.math_ops import *  # noqa: F401,F403
from tensorflux.ops.unary_math_ops import *  # noqa: F401,F403
from tensorflux.ops.division_ops import *  # noqa: F401,F403
from tensorflux.ops.reduction_ops import *  # noqa: F401,F403
from tensorflux.ops.logic_ops import *  # noqa: F401,F403
from tensorflux.ops.array_ops import *  # noqa: F401,F403
from tensorflux.ops.slicing_ops import *  # noqa: F401,F403
from tensorflux.ops.nn_ops import *  # noqa: F401,F403
from tensorflux.ops.linalg_ops import *  # noqa: F401,F403
from tensorflux.ops.sort_ops import *  # noqa: F401,F403
from tensorflux.ops.random_ops import *  # noqa: F401,F403
from tensorflux.ops.clip_ops import *  # noqa: F401,F403
from tensorflux.ops.logging_ops import *  # noqa: F401,F403
from tensorflux.ops.script_ops import *  # noqa: F401,F403
from tensorflux.ops.string_ops import *  # noqa: F401,F403
from tensorflux.ops.complex_ops import *  # noqa: F401,F403
from tensorflux.ops.fft_ops import *  # noqa: F401,F403
from tensorflux.ops.space_batch_ops import *  # noqa: F401,F403
from tensorflux.ops.pinned_memory_ops import check_pinned  # noqa: F401
from tensorflux.ops.array_ops_extra import *  # noqa: F401,F403
from tensorflux.ops.partition_ops import *  # noqa: F401,F403
from tensorflux.ops.functional_ops import *  # noqa: F401,F403
from tensorflux.ops.init_ops import *  # noqa: F401,F403
from tensorflux.engine.gradient_wrappers import grad_pass_through, recompute_grad  # noqa: F401
from tensorflux.ops.linalg_decomposition_ops import eig, eigvals  # noqa: F401
from tensorflux.ops.matrix_functions_ops import sqrtm as matrix_square_root  # noqa: F401
from tensorflux.ops.batch_function_ops import nondifferentiable_batch_function  # noqa: F401
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
from tensorflux.framework.device_spec import DeviceSpec, device  # noqa: F401
from tensorflux.framework.tensor_conversion import register_tensor_conversion_function  # noqa: F401
from tensorflux.framework.variable_creator import variable_creator_scope  # noqa: F401
from tensorflux.framework.variable_enums import (  # noqa: F401
    VariableAggregation,
    VariableSynchronization,
)
from tensorflux.engine.function_scopes import (  # noqa: F401
    control_dependencies,
    get_current_name_scope,
    get_logger,
    init_scope,
    inside_function,
    is_symbolic_tensor,
)
from tensorflux.engine.graph_gradients import AggregationMethod, gradients, hessians  # noqa: F401
from tensorflux.framework.type_spec import (  # noqa: F401
    IndexedSlicesSpec,
    NoneTensorSpec,
    TensorArraySpec,
    TypeSpec,
)
from tensorflux.ops.type_specs import type_spec_from_value  # noqa: F401
from tensorflux.engine.gradient_registry import Operation, RegisterGradient, no_gradient  # noqa: F401
from tensorflux.engine.critical_section import CriticalSection  # noqa: F401
from tensorflux import (  # noqa: F401
    autodiff,
    autograph,
    bitwise,
    config,
    data,
    debugging,
    dtypes,
    linalg,
    math,
    nn,
    random,
    strings,
)
from tensorflux.ops.sparse.sparse_tensor import SparseTensor, SparseTensorSpec  # noqa: F401
from tensorflux import ragged  # noqa: F401
from tensorflux.ragged.ragged_tensor import RaggedTensor  # noqa: F401
from tensorflux.ragged.ragged_tensor_spec import RaggedTensorSpec  # noqa: F401
from tensorflux import lookup  # noqa: F401
from tensorflux.ragged import ragged_dispatch as _ragged_dispatch  # noqa: F401

__version__ = "0.1.0"

_LAZY_MODULES = (
    "audio",
    "compat",
    "experimental",
    "image",
    "io",
    "quantization",
    "queue",
    "raw_ops",
    "sets",
    "sparse",
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
}


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
    if name in _LAZY_NAMES:
        import importlib

        return getattr(importlib.import_module(_LAZY_NAMES[name]), name)
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf", __name__, name)
