"""``keras.layers``: the Layer base class and the built-in layers."""

from tensorflux.keras.layers import experimental  # noqa: F401, E402
from tensorflux.keras.layers.activations import (  # noqa: F401
    ELU,
    LeakyReLU,
    PReLU,
    ReLU,
    Softmax,
    ThresholdedReLU,
)
from tensorflux.keras.layers.attention import (  # noqa: F401
    AdditiveAttention,
    Attention,
    MultiHeadAttention,
)
from tensorflux.keras.layers.convolutional import (  # noqa: F401
    Conv1D,
    Conv1DTranspose,
    Conv2D,
    Conv2DTranspose,
    Conv3D,
    Conv3DTranspose,
    Convolution1D,
    Convolution1DTranspose,
    Convolution2D,
    Convolution2DTranspose,
    Convolution3D,
    Convolution3DTranspose,
    DepthwiseConv1D,
    DepthwiseConv2D,
    SeparableConv1D,
    SeparableConv2D,
    SeparableConvolution1D,
    SeparableConvolution2D,
)
from tensorflux.keras.layers.core import Activation, Dense, Embedding, Lambda, Masking  # noqa: F401
from tensorflux.keras.layers.core.einsum_dense import EinsumDense  # noqa: F401
from tensorflux.keras.layers.core.identity import Identity  # noqa: F401
from tensorflux.keras.layers.input_layer import Input, InputLayer  # noqa: F401, E402
from tensorflux.keras.layers.input_spec import InputSpec  # noqa: F401
from tensorflux.keras.layers.layer import Layer  # noqa: F401
from tensorflux.keras.layers.locally_connected import (  # noqa: F401
    LocallyConnected1D,
    LocallyConnected2D,
)
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
    GroupNormalization,
    LayerNormalization,
    SpectralNormalization,
    UnitNormalization,
)
from tensorflux.keras.layers.pooling import (  # noqa: F401
    AveragePooling1D,
    AveragePooling2D,
    AveragePooling3D,
    AvgPool1D,
    AvgPool2D,
    AvgPool3D,
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalAveragePooling3D,
    GlobalAvgPool1D,
    GlobalAvgPool2D,
    GlobalAvgPool3D,
    GlobalMaxPool1D,
    GlobalMaxPool2D,
    GlobalMaxPool3D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    GlobalMaxPooling3D,
    MaxPool1D,
    MaxPool2D,
    MaxPool3D,
    MaxPooling1D,
    MaxPooling2D,
    MaxPooling3D,
)
from tensorflux.keras.layers.preprocessing import (  # noqa: F401
    CategoryEncoding,
    CenterCrop,
    Discretization,
    HashedCrossing,
    Hashing,
    IntegerLookup,
    Normalization,
    RandomBrightness,
    RandomContrast,
    RandomCrop,
    RandomFlip,
    RandomHeight,
    RandomRotation,
    RandomTranslation,
    RandomWidth,
    RandomZoom,
    Rescaling,
    Resizing,
    StringLookup,
    TextVectorization,
)
from tensorflux.keras.layers.regularization import (  # noqa: F401
    ActivityRegularization,
    AlphaDropout,
    Dropout,
    GaussianDropout,
    GaussianNoise,
    SpatialDropout1D,
    SpatialDropout2D,
    SpatialDropout3D,
)
from tensorflux.keras.layers.reshaping import (  # noqa: F401
    Cropping1D,
    Cropping2D,
    Cropping3D,
    Flatten,
    Permute,
    RepeatVector,
    Reshape,
    UpSampling1D,
    UpSampling2D,
    UpSampling3D,
    ZeroPadding1D,
    ZeroPadding2D,
    ZeroPadding3D,
)
from tensorflux.keras.layers.rnn import (  # noqa: F401
    GRU,
    LSTM,
    RNN,
    AbstractRNNCell,
    Bidirectional,
    ConvLSTM1D,
    ConvLSTM2D,
    ConvLSTM3D,
    GRUCell,
    LSTMCell,
    SimpleRNN,
    SimpleRNNCell,
    StackedRNNCells,
    TimeDistributed,
    Wrapper,
)
from tensorflux.keras.layers.serialization import deserialize, serialize  # noqa: F401


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.keras.layers", __name__, name)
