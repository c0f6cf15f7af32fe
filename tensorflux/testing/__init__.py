"""Shared test harnesses: finite-difference gradient checks, op-table helpers, and
checks that one traced graph serves every input size."""

from tensorflux.testing.gradient_check import check_gradients, numerical_jacobian  # noqa: F401
from tensorflux.testing.trace_check import check_one_graph  # noqa: F401
