"""Merging layers and their functional forms (``add``, ``concatenate``, ...)."""

from tensorflux.keras.layers.merging.add import Add, add  # noqa: F401
from tensorflux.keras.layers.merging.average import Average, average  # noqa: F401
from tensorflux.keras.layers.merging.concatenate import Concatenate, concatenate  # noqa: F401
from tensorflux.keras.layers.merging.dot import Dot, dot  # noqa: F401
from tensorflux.keras.layers.merging.maximum import Maximum, maximum  # noqa: F401
from tensorflux.keras.layers.merging.minimum import Minimum, minimum  # noqa: F401
from tensorflux.keras.layers.merging.multiply import Multiply, multiply  # noqa: F401
from tensorflux.keras.layers.merging.subtract import Subtract, subtract  # noqa: F401
