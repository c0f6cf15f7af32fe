"""``keras.layers``: the Layer base class and the built-in layers."""

from tensorflux.keras.layers.core import Activation, Dense, Embedding, Lambda, Masking  # noqa: F401
from tensorflux.keras.layers.input_layer import Input, InputLayer  # noqa: F401, E402
from tensorflux.keras.layers.input_spec import InputSpec  # noqa: F401
from tensorflux.keras.layers.layer import Layer  # noqa: F401
from tensorflux.keras.layers.merging import (  # noqa: F401
    Add,
    Average,
    Concatenate,
    Dot,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    add,
    average,
    concatenate,
    dot,
    maximum,
    minimum,
    multiply,
    subtract,
)
from tensorflux.keras.layers.normalization import (  # noqa: F401
    BatchNormalization,
    LayerNormalization,
    UnitNormalization,
)
from tensorflux.keras.layers.regularization import (  # noqa: F401
    ActivityRegularization,
    Dropout,
    GaussianNoise,
)
from tensorflux.keras.layers.reshaping import Flatten, Permute, RepeatVector, Reshape  # noqa: F401
from tensorflux.keras.layers.serialization import deserialize, serialize  # noqa: F401


def __getattr__(name):
    from tensorflux.tf_names import missing_attribute

    raise missing_attribute("tf.keras.layers", __name__, name)
