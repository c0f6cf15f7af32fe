"""Placeholder namespace."""
