"""Shared test harnesses: finite-difference gradient checks and op-table helpers."""

from tensorflux.testing.gradient_check import check_gradients, numerical_jacobian  # noqa: F401
