"""Placeholder: filled in by the op family work."""

__all__: list = []
