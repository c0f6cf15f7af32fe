"""``tf.RegisterGradient`` and ``tf.no_gradient``: Python gradient functions for op
types that have none, and ``tf.Operation``, the view of one op call they receive.

As in TF, an op type has at most one gradient registration: the ops tensorflux
defines with a gradient, and those TF declares not differentiable, are registered
already; the op types TF registers nothing for (``Where``, ``Unique``, ``IsNan`` ...)
and types tensorflux does not define are free. A function registered for an op type
tensorflux defines becomes that op's gradient, for GradientTape and ``tf.gradients``.
"""

from __future__ import annotations

from tensorflux.engine import registry

__all__ = ["Operation", "RegisterGradient", "no_entry_gradient", "no_gradient"]

# The tensorflux op types (outputs without a gradient) that TF registers no gradient
# for, not even "not differentiable": a Python gradient may be registered for them.
_FREE_IN_TF = frozenset(
    {
        "All",
        "Any",
        "ComputeAccidentalHits",
        "DecodeBmp",
        "DecodeGif",
        "DecodeImage",
        "DecodeJpeg",
        "DecodePng",
        "DenseBincount",
        "EncodeJpeg",
        "EncodePng",
        "FixedUnigramCandidateSampler",
        "IgammaGradA",
        "InTopKV2",
        "IsFinite",
        "IsInf",
        "IsNan",
        "LogUniformCandidateSampler",
        "LookupTableExportV2",
        "LookupTableRemoveV2",
        "Lu",
        "MatrixLogarithm",
        "PrintV2",
        "RaggedSegmentIdsToSplits",
        "RandomGammaGrad",
        "RandomPoissonV2",
        "RandomUniformInt",
        "ReadFile",
        "ResizeArea",
        "SparseCross",
        "SparseCrossV2",
        "SparseReduceMax",
        "SparseReduceMaxSparse",
        "SparseReduceSumSparse",
        "StatefulRandomBinomial",
        "StatefulStandardNormalV2",
        "StatefulTruncatedNormal",
        "StatefulUniform",
        "StatefulUniformFullInt",
        "StatefulUniformInt",
        "StatelessRandomGetKeyCounter",
        "StaticRegexFullMatch",
        "StaticRegexReplace",
        "StringFormat",
        "StringLength",
        "StringLower",
        "StringNGrams",
        "StringSplitV2",
        "StringStrip",
        "StringUpper",
        "Substr",
        "TruncateMod",
        "UnicodeDecodeWithOffsets",
        "UnicodeEncode",
        "UniformCandidateSampler",
        "Unique",
        "UnsortedSegmentJoin",
        "Where",
        "WriteFile",
        "WriteRawProtoSummary",
        "WriteSummary",
    }
)

# op type -> the function registered here (None: registered as not differentiable).
_registered: dict = {}


class Operation:
    """One call of an op, as a registered gradient function receives it (``op``):
    its type, inputs, outputs and attributes.

    >>> import tensorflux as tf
    >>> @tf.RegisterGradient("MyScaleOp")
    ... def _my_scale_grad(op, grad):
    ...     return [grad * op.get_attr("scale")]
    """

    __slots__ = ("_call",)

    def __init__(self, call: registry.OpCall):
        self._call = call

    @property
    def type(self) -> str:
        """The op type ("MatMul")."""
        return self._call.op.name

    @property
    def name(self) -> str:
        """The op's name: its first output's name without the ``:0`` (the type eagerly)."""
        first = self._call.outputs[0] if self._call.outputs else None
        return getattr(first, "_op_name", self.type)

    @property
    def inputs(self) -> tuple:
        return tuple(self._call.inputs)

    @property
    def outputs(self) -> list:
        return list(self._call.outputs)

    @property
    def graph(self):
        """The traced graph the op belongs to (None for an eager call)."""
        for t in tuple(self._call.outputs) + tuple(self._call.inputs):
            graph = getattr(t, "_graph", None)
            if graph is not None:
                return graph
        return None

    @property
    def device(self) -> str:
        return ""

    def values(self) -> tuple:
        """The outputs, as a tuple."""
        return tuple(self._call.outputs)

    def get_attr(self, name):
        """The value of attribute ``name``.

        Raises:
            ValueError: the op has no such attribute.
        """
        attrs = self._call.attrs
        if name not in attrs:
            raise ValueError(f"Operation '{self.name}' has no attr named '{name}'.")
        return attrs[name]

    def __repr__(self):
        return f"<tf.Operation '{self.name}' type={self.type}>"


def no_entry_gradient(op_type: str):
    """The gradient of an op type TF registers no gradient for, but whose outputs a
    gradient can reach (floats from floats): as in TF, differentiating through it
    raises LookupError. ``RegisterGradient`` and ``no_gradient`` may still claim the
    type, as TF lets them."""

    def grad(call, *dys):
        raise LookupError(f"gradient registry has no entry for: {op_type}")

    grad.__doc__ = f"No gradient: TF registers none for {op_type}, so reaching it raises."
    grad.no_entry = True
    return grad


def _unclaimed(op) -> bool:
    return (op.grad is None and op.name in _FREE_IN_TF) or getattr(op.grad, "no_entry", False)


def _check_free(op_type: str) -> None:
    op = registry.registered_ops().get(op_type)
    taken = op_type in _registered or (op is not None and not _unclaimed(op))
    if taken:
        where = "this program" if op_type in _registered else "tensorflux's op registry"
        raise KeyError(
            f"Registering two gradient with name '{op_type}'! (Previous registration was in "
            f"{where})"
        )


def _adapter(fn):
    def grad(call, *dys):
        result = fn(Operation(call), *dys)
        if not isinstance(result, (list, tuple)):
            result = [result]
        return tuple(result)

    grad.__doc__ = f"The gradient registered with tf.RegisterGradient: {fn.__name__}."
    return grad


def _install(fn):
    def attach(op):
        if op.grad is None or getattr(op.grad, "no_entry", False):
            op.grad = _adapter(fn)
            op.differentiable = True

    return attach


def _detach(op) -> None:
    if getattr(op.grad, "no_entry", False):
        op.grad = None
        op.differentiable = False


class RegisterGradient:
    """A decorator registering ``f(op, *output_grads)`` as the gradient of ``op_type``,
    returning one gradient (or None) per input of the op.

    Args:
        op_type: the op type's name.

    Raises:
        TypeError: ``op_type`` is not a string.
        KeyError (when decorating): ``op_type`` has a gradient registration already.
    """

    def __init__(self, op_type):
        if not isinstance(op_type, str):
            raise TypeError("op_type must be a string")
        self._op_type = op_type

    def __call__(self, f):
        _check_free(self._op_type)
        _registered[self._op_type] = f
        registry.when_registered(self._op_type, _install(f))
        return f


def no_gradient(op_type) -> None:
    """Declares that ``op_type`` has no gradient (gradients through it are None).

    Raises:
        TypeError: ``op_type`` is not a string.
        KeyError: ``op_type`` has a gradient registration already.

    >>> import tensorflux as tf
    >>> tf.no_gradient("MyLookupOp")
    """
    if not isinstance(op_type, str):
        raise TypeError("op_type must be a string")
    _check_free(op_type)
    _registered[op_type] = None
    registry.when_registered(op_type, _detach)
