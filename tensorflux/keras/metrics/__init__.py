"""``keras.metrics``: stateful Metric classes, metric functions and their lookup."""

from tensorflux.keras.losses.focal import (  # noqa: F401
    binary_focal_crossentropy,
    categorical_focal_crossentropy,
)
from tensorflux.keras.losses.hinge import categorical_hinge, hinge, squared_hinge  # noqa: F401
from tensorflux.keras.losses.probabilistic import (  # noqa: F401
    KLD,
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
from tensorflux.keras.metrics import experimental  # noqa: F401
from tensorflux.keras.metrics.accuracy_metrics import (  # noqa: F401
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from tensorflux.keras.metrics.auc import AUC  # noqa: F401
from tensorflux.keras.metrics.confusion_metrics import (  # noqa: F401
    FalseNegatives,
    FalsePositives,
    Precision,
    PrecisionAtRecall,
    Recall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
    TrueNegatives,
    TruePositives,
)
from tensorflux.keras.metrics.f_score_metrics import F1Score, FBetaScore  # noqa: F401
from tensorflux.keras.metrics.hinge_metrics import (  # noqa: F401
    CategoricalHinge,
    Hinge,
    SquaredHinge,
)
from tensorflux.keras.metrics.iou_metrics import (  # noqa: F401
    BinaryIoU,
    IoU,
    MeanIoU,
    OneHotIoU,
    OneHotMeanIoU,
)
from tensorflux.keras.metrics.metric import Metric  # noqa: F401
from tensorflux.keras.metrics.probabilistic_metrics import (  # noqa: F401
    BinaryCrossentropy,
    CategoricalCrossentropy,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
)
from tensorflux.keras.metrics.reduction_metrics import (  # noqa: F401
    Mean,
    MeanMetricWrapper,
    MeanTensor,
    Sum,
)
from tensorflux.keras.metrics.regression_metrics import (  # noqa: F401
    CosineSimilarity,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanRelativeError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    R2Score,
    RootMeanSquaredError,
    cosine_similarity,
)
from tensorflux.keras.metrics.serialization import (  # noqa: F401
    deserialize,
    get,
    resolve_metric,
    serialize,
)


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.keras.metrics", __name__, name)
