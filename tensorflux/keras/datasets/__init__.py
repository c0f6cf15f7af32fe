"""``tf.keras.datasets``: small classic datasets, loaded from a cache or downloaded."""

from tensorflux.keras.datasets import (  # noqa: F401
    boston_housing,
    cifar10,
    cifar100,
    fashion_mnist,
    imdb,
    mnist,
    reuters,
)

__all__ = ["fashion_mnist", "mnist"]
__all__ += ["boston_housing", "cifar10", "cifar100"]
__all__ += ["imdb", "reuters"]


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.keras.datasets", __name__, name)
