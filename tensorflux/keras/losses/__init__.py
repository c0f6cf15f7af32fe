"""``keras.losses``: loss classes, loss functions and their lookup by name."""

from tensorflux.keras.losses.focal import (  # noqa: F401
    BinaryFocalCrossentropy,
    CategoricalFocalCrossentropy,
    binary_focal_crossentropy,
    categorical_focal_crossentropy,
)
from tensorflux.keras.losses.hinge import (  # noqa: F401
    CategoricalHinge,
    Hinge,
    SquaredHinge,
    categorical_hinge,
    hinge,
    squared_hinge,
)
from tensorflux.keras.losses.loss import Loss, LossFunctionWrapper  # noqa: F401
from tensorflux.keras.losses.loss_utils import Reduction  # noqa: F401
from tensorflux.keras.losses.probabilistic import (  # noqa: F401
    KLD,
    BinaryCrossentropy,
    CategoricalCrossentropy,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
    binary_crossentropy,
    categorical_crossentropy,
    kl_divergence,
    kld,
    kullback_leibler_divergence,
    poisson,
    sparse_categorical_crossentropy,
)
from tensorflux.keras.losses.regression import (  # noqa: F401
    MAE,
    MAPE,
    MSE,
    MSLE,
    CosineSimilarity,
    Huber,
    LogCosh,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    cosine_similarity,
    huber,
    log_cosh,
    logcosh,
    mae,
    mape,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    mse,
    msle,
)
from tensorflux.keras.losses.serialization import deserialize, get, serialize  # noqa: F401


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.keras.losses", __name__, name)
