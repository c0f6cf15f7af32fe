"""``tf.keras.datasets``: small classic datasets, loaded from a cache or downloaded."""

from tensorflux.keras.datasets import fashion_mnist, mnist

__all__ = ["fashion_mnist", "mnist"]
