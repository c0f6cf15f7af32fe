"""``tf.keras.datasets``: small classic datasets, loaded from a cache or downloaded."""

from tensorflux.keras.datasets import fashion_mnist, mnist

__all__ = ["fashion_mnist", "mnist"]


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.keras.datasets", __name__, name)
