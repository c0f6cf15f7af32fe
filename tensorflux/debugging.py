"""``tf.debugging``: assertions, numeric checks and debugging switches."""

from tensorflux.engine.check_numerics import (  # noqa: F401
    disable_check_numerics,
    enable_check_numerics,
)
from tensorflux.framework.type_checks import (  # noqa: F401
    assert_proper_iterable,
    assert_same_float_dtype,
)
from tensorflux.ops.check_ops import (  # noqa: F401
    Assert,
    assert_all_finite,
    assert_equal,
    assert_greater,
    assert_greater_equal,
    assert_integer,
    assert_less,
    assert_less_equal,
    assert_near,
    assert_negative,
    assert_non_negative,
    assert_non_positive,
    assert_none_equal,
    assert_positive,
    assert_rank,
    assert_rank_at_least,
    assert_rank_in,
    assert_scalar,
    assert_shapes,
    assert_type,
    check_numerics,
    is_numeric_tensor,
)

# tensorflux shows whole tracebacks; these switches are kept so that TF programs run.
_state = {"traceback_filtering": True, "log_device_placement": False}


def disable_traceback_filtering() -> None:
    """Accepted for compatibility: tensorflux never filters tracebacks."""
    _state["traceback_filtering"] = False


def enable_traceback_filtering() -> None:
    """Accepted for compatibility: tensorflux never filters tracebacks."""
    _state["traceback_filtering"] = True


def is_traceback_filtering_enabled() -> bool:
    """The value last set by ``enable/disable_traceback_filtering`` (True at start)."""
    return _state["traceback_filtering"]


def set_log_device_placement(enabled) -> None:
    """Stores the flag; every op runs on the CPU, so there is no placement to log."""
    _state["log_device_placement"] = bool(enabled)


def get_log_device_placement() -> bool:
    """The flag last given to ``set_log_device_placement``."""
    return _state["log_device_placement"]


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.debugging", __name__, name)
