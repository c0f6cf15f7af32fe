"""Saving and loading Keras models."""
