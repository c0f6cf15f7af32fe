"""``keras.mixed_precision.Policy`` and the global policy layers default to.

A policy names two dtypes: the one a layer computes in and the one its variables
are stored in. ``"mixed_float16"`` and ``"mixed_bfloat16"`` compute in 16 bits and
keep float32 variables, so small updates are not lost to rounding; any dtype name
("float32", "float16", ...) is the policy whose two dtypes are that dtype.
"""

from __future__ import annotations

from tensorflux.framework import dtypes

__all__ = ["Policy", "get_policy", "global_policy", "serialize", "set_global_policy"]

_MIXED = {"mixed_float16": ("float16", "float32"), "mixed_bfloat16": ("bfloat16", "float32")}
_REMOVED_HINTS = {
    "infer_float32_vars": " Please use the 'mixed_float16' or 'mixed_bfloat16' policy instead.",
    "infer_with_float32_vars": (
        " Please use the 'mixed_float16' or 'mixed_bfloat16' policy instead."
    ),
    "float16_with_float32_vars": " Please use the 'mixed_float16' policy instead.",
    "bfloat16_with_float32_vars": " Please use the 'mixed_bfloat16' policy instead.",
}


def _parse_name(name: str):
    """``(compute_dtype, variable_dtype)`` of a policy name."""
    if name.endswith("_float32_vars"):
        raise ValueError(
            "Policies ending in '_float32_vars' have been removed from TensorFlow."
            f"{_REMOVED_HINTS.get(name, '')} Got policy name: '{name}'"
        )
    if name in _MIXED:
        return _MIXED[name]
    if name == "_infer":
        # Both dtypes are taken from the first input a layer is called on.
        return None, None
    try:
        dtype = dtypes.as_dtype(name).name
    except TypeError:
        raise ValueError(
            f"Cannot convert value {name} to a mixed precision Policy. Valid policies "
            "include 'mixed_float16', 'mixed_bfloat16', and the name of any dtype such "
            "as 'float32'."
        ) from None
    return dtype, dtype


class Policy:
    """A dtype policy for a Keras layer: its compute dtype and its variable dtype.

    >>> import tensorflux as tf
    >>> policy = tf.keras.mixed_precision.Policy("mixed_float16")
    >>> policy.compute_dtype, policy.variable_dtype
    ('float16', 'float32')
    >>> tf.keras.layers.Dense(4, dtype=policy).dtype_policy
    <Policy "mixed_float16">

    Args:
        name: ``"mixed_float16"``, ``"mixed_bfloat16"`` or a dtype name such as
            ``"float32"``.

    Raises:
        TypeError: ``name`` is not a string (a DType must be passed as ``dtype.name``).
        ValueError: ``name`` names neither a mixed policy nor a dtype.
        ImportError: a bfloat16 policy without the optional package ``ml_dtypes``.
    """

    def __init__(self, name):
        if isinstance(name, dtypes.DType):
            raise TypeError(
                "'name' must be a string, not a DType. Instead, pass DType.name. "
                f"Received: name={name.name}"
            )
        if not isinstance(name, str):
            raise TypeError(f"'name' must be a string, but got: {name}")
        self._name = name
        self._compute_dtype, self._variable_dtype = _parse_name(name)
        if self._compute_dtype == "bfloat16" and not dtypes._enable_bfloat16():
            raise ImportError(
                f"The dtype policy '{name}' computes in bfloat16, which NumPy holds only "
                "with the optional package 'ml_dtypes': `pip install ml_dtypes` (or use "
                "'mixed_float16', which needs nothing more)."
            )

    @property
    def variable_dtype(self):
        """The dtype of the layer's variables (``None`` for ``"_infer"``)."""
        return self._variable_dtype

    @property
    def compute_dtype(self):
        """The dtype the layer computes in: its inputs are cast to it (``None`` for
        ``"_infer"``)."""
        return self._compute_dtype

    @property
    def name(self) -> str:
        return self._name

    def __repr__(self):
        return f'<Policy "{self._name}">'

    def get_config(self) -> dict:
        return {"name": self._name}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        config = dict(config)
        # Configs of TF 2.3 and older carried a loss scale; it now lives in the optimizer.
        config.pop("loss_scale", None)
        return cls(**config)


# None: follow keras.backend.floatx(), as TF does until a policy is set.
_global_policy: Policy | None = None


def global_policy() -> Policy:
    """The policy layers get when none is passed to their constructor.

    Until ``set_global_policy`` is called it is the policy of
    ``keras.backend.floatx()``.

    >>> import tensorflux as tf
    >>> tf.keras.mixed_precision.global_policy()
    <Policy "float32">
    """
    if _global_policy is None:
        from tensorflux.keras import backend

        return Policy(backend.floatx())
    return _global_policy


def set_global_policy(policy) -> None:
    """Sets the policy that layers created from now on default to.

    Args:
        policy: a ``Policy``, a policy name, or ``None`` to follow
            ``keras.backend.floatx()`` again.

    Raises:
        ValueError: a policy that does not compute in a floating dtype.

    >>> import tensorflux as tf
    >>> tf.keras.mixed_precision.set_global_policy("mixed_float16")
    >>> tf.keras.layers.Dense(4).compute_dtype
    'float16'
    >>> tf.keras.mixed_precision.set_global_policy("float32")
    """
    global _global_policy
    if policy is not None and not isinstance(policy, Policy):
        policy = Policy(policy)
    if (
        policy is not None
        and policy.compute_dtype is not None
        and not dtypes.as_dtype(policy.compute_dtype).is_floating
    ):
        raise ValueError(
            "set_global_policy can only be used to set the global policy to "
            'floating-point policies, such as "float32" and "mixed_float16", but got '
            f"policy: {policy.name}"
        )
    _global_policy = policy


def equivalent_to_dtype(policy: Policy) -> bool:
    """Whether configs write ``policy`` as a plain dtype name (or None for ``_infer``)."""
    return type(policy) is Policy and (
        policy.name == "_infer" or policy.compute_dtype == policy.variable_dtype
    )


def serialize(policy: Policy):
    """A layer config's ``dtype``: the dtype name when the policy is one dtype,
    ``None`` for ``"_infer"``, else the policy's Keras object dict."""
    if equivalent_to_dtype(policy):
        return None if policy.name == "_infer" else policy.name
    return {
        "module": "keras.mixed_precision",
        "class_name": type(policy).__name__,
        "config": policy.get_config(),
        "registered_name": None,
    }


def deserialize(config, custom_objects=None) -> Policy:
    """Rebuilds a policy from ``serialize``'s output (Keras 3's ``DTypePolicy`` too).

    Raises:
        ValueError: a dict naming a class that is not a policy.
    """
    if config is None:
        return Policy("_infer")
    if isinstance(config, str):
        return Policy(config)
    name = config.get("class_name")
    if name not in ("Policy", "PolicyV1", "DTypePolicy", "FloatDTypePolicy"):
        raise ValueError(
            f"Unknown dtype policy: '{name}'. Please ensure you are using a "
            "`keras.utils.custom_object_scope` and that this object is included in the scope."
        )
    return Policy.from_config(config.get("config", {}), custom_objects)


def get_policy(dtype) -> Policy:
    """The policy of a layer's ``dtype`` argument: a Policy, a policy config, a policy
    or dtype name, a DType, or None (the global policy).

    Raises:
        TypeError: ``dtype`` names no dtype.
    """
    if isinstance(dtype, Policy):
        return dtype
    if isinstance(dtype, dict):
        return deserialize(dtype)
    if isinstance(dtype, str) and dtype in _MIXED:
        return Policy(dtype)
    if dtype:
        return Policy(dtypes.as_dtype(dtype).name)
    return global_policy()
