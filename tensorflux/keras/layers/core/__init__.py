"""Core layers: Dense, Activation, Lambda, Embedding, Masking."""

from tensorflux.keras.layers.core.activation import Activation  # noqa: F401
from tensorflux.keras.layers.core.dense import Dense  # noqa: F401
from tensorflux.keras.layers.core.einsum_dense import EinsumDense  # noqa: F401
from tensorflux.keras.layers.core.embedding import Embedding  # noqa: F401
from tensorflux.keras.layers.core.identity import Identity  # noqa: F401
from tensorflux.keras.layers.core.lambda_layer import Lambda  # noqa: F401
from tensorflux.keras.layers.core.masking import Masking  # noqa: F401
