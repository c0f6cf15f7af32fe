"""``tf.keras.applications.imagenet_utils``: ImageNet preprocessing and class names,
plus the argument checks and weight-file handling every application model shares."""

import json
import os

import numpy as np

from tensorflux.keras import activations, backend
from tensorflux.keras.utils import data_utils

__all__ = ["decode_predictions", "preprocess_input"]

CLASS_INDEX = None
CLASS_INDEX_PATH = (
    "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json"
)
_CLASS_INDEX_HASH = "c2c37ea517e94d9795004a39431a14cb"
_CAFFE_MEAN = [103.939, 116.779, 123.68]
_TORCH_MEAN = [0.485, 0.456, 0.406]
_TORCH_STD = [0.229, 0.224, 0.225]


def preprocess_input(x, data_format=None, mode="caffe"):
    """Preprocesses a batch of images (values in [0, 255]) for an ImageNet model.

    Args:
        x: a float NumPy array or a tensor, 3D or 4D with 3 colour channels. A
            float NumPy array is modified in place (pass ``np.copy(x)`` to keep it).
        data_format: ``"channels_last"`` or ``"channels_first"``; None uses
            ``tf.keras.backend.image_data_format()``.
        mode: ``"caffe"`` (RGB to BGR, then subtract the ImageNet channel means),
            ``"tf"`` (scale to [-1, 1]) or ``"torch"`` (scale to [0, 1], then
            normalize each channel by ImageNet's mean and standard deviation).

    Returns:
        The preprocessed array (float32 for non-float arrays) or tensor.

    Raises:
        ValueError: an unknown ``mode`` or ``data_format``.

    >>> import numpy as np
    >>> preprocess_input(np.full((1, 1, 1, 3), 255.0), mode="tf")[0, 0, 0]
    array([1., 1., 1.])
    """
    if mode not in {"caffe", "tf", "torch"}:
        raise ValueError(
            f"Expected mode to be one of `caffe`, `tf` or `torch`. Received: mode={mode}"
        )
    if data_format is None:
        data_format = backend.image_data_format()
    elif data_format not in {"channels_first", "channels_last"}:
        raise ValueError(
            "Expected data_format to be one of `channels_first` or `channels_last`. "
            f"Received: data_format={data_format}"
        )
    if isinstance(x, np.ndarray):
        return _preprocess_numpy(x, data_format, mode)
    return _preprocess_tensor(x, data_format, mode)


def _reverse_channels(x, data_format, ndim):
    if data_format == "channels_last":
        return x[..., ::-1]
    return x[::-1, ...] if ndim == 3 else x[:, ::-1, ...]


def _channel_shape(data_format):
    """The shape that broadcasts a per-channel vector against images (3D or 4D)."""
    if data_format == "channels_last":
        return (3,)
    return (3, 1, 1)


def _preprocess_numpy(x, data_format, mode):
    if not issubclass(x.dtype.type, np.floating):
        x = x.astype(backend.floatx(), copy=False)
    if mode == "tf":
        x /= 127.5
        x -= 1.0
        return x
    if mode == "torch":
        x /= 255.0
        mean, std = _TORCH_MEAN, _TORCH_STD
    else:
        x = _reverse_channels(x, data_format, x.ndim)
        mean, std = _CAFFE_MEAN, None
    shape = _channel_shape(data_format)
    # In place, in the array's own dtype, as Keras does (float16 stays float16).
    x -= np.asarray(mean, x.dtype).reshape(shape)
    if std is not None:
        x /= np.asarray(std, x.dtype).reshape(shape)
    return x


def _preprocess_tensor(x, data_format, mode):
    from tensorflux.keras.models.tf_op_layer import TFOpLambda
    from tensorflux.ops import math_ops, nn_ops

    if mode == "tf":
        x /= 127.5
        x -= 1.0
        return x
    if mode == "torch":
        x /= 255.0
        mean, std = _TORCH_MEAN, _TORCH_STD
    else:
        x = _reverse_channels(x, data_format, len(x.shape))
        mean, std = _CAFFE_MEAN, None
    dtype = x.dtype.as_numpy_dtype
    negated = -np.asarray(mean, dtype)
    nchw = "NCHW" if data_format == "channels_first" and len(x.shape) == 4 else "NHWC"
    if getattr(x, "_is_keras_tensor", False):
        x = TFOpLambda("nn.bias_add")(x, negated, data_format=nchw)
    elif nchw == "NHWC" and data_format == "channels_first":
        x = math_ops.add(x, negated.reshape(3, 1, 1))
    else:
        x = nn_ops.bias_add(x, negated, data_format=nchw)
    if std is not None:
        x /= np.asarray(std, dtype).reshape(_channel_shape(data_format))
    return x


def decode_predictions(preds, top=5):
    """Names the ``top`` classes of each row of ImageNet predictions.

    The class index (``imagenet_class_index.json``) is fetched once with
    ``tf.keras.utils.get_file`` into ``~/.keras/models/``.

    Args:
        preds: a NumPy array of shape ``(samples, 1000)``.
        top: how many classes to return per sample.

    Returns:
        One list per sample of ``(class_id, class_name, score)`` tuples, best first.

    Raises:
        ValueError: if ``preds`` is not of shape ``(samples, 1000)``.
        OSError: if the class index is not cached and cannot be downloaded.

    >>> decode_predictions(np.ones((1, 1000)) / 1000, top=1)  # doctest: +SKIP
    [[('n01440764', 'tench', 0.001)]]
    """
    global CLASS_INDEX
    if len(preds.shape) != 2 or preds.shape[1] != 1000:
        raise ValueError(
            "`decode_predictions` expects a batch of predictions (i.e. a 2D array of "
            f"shape (samples, 1000)). Found array with shape: {tuple(preds.shape)}"
        )
    preds = np.asarray(preds)
    if CLASS_INDEX is None:
        path = keras_file("imagenet_class_index.json", CLASS_INDEX_PATH, _CLASS_INDEX_HASH)
        with open(path) as f:
            CLASS_INDEX = json.load(f)
    results = []
    for pred in preds:
        best = pred.argsort()[-top:][::-1]
        row = [tuple(CLASS_INDEX[str(i)]) + (pred[i],) for i in best]
        row.sort(key=lambda item: item[2], reverse=True)
        results.append(row)
    return results


# -- shared by the model builders -----------------------------------------------------


def keras_file(fname, origin, file_hash):
    """The cached path of a Keras model file, downloaded into ``~/.keras/models/`` if
    needed (through ``tf.keras.utils.get_file``, so ``$KERAS_HOME`` applies).

    Raises:
        OSError: the file is not cached and the download failed; the message names
            the file and where to put a copy.
    """
    try:
        return data_utils.get_file(fname, origin, cache_subdir="models", file_hash=file_hash)
    except OSError as error:
        target = os.path.join(data_utils.keras_home(), "models", fname)
        raise OSError(
            f"Could not download the Keras file {fname} ({error}). Without network "
            f"access, download it from {origin} elsewhere and copy it to {target} "
            "(the folder follows $KERAS_HOME)."
        ) from error


def check_weights_argument(
    weights,
    include_top,
    classes,
    weights_note=".  Received: weights={}",
    classes_note=".  Received `classes={}`",
):
    """Keras' checks of ``weights`` (None, "imagenet" or an existing file) and of
    ``classes`` with ImageNet weights; the notes end the messages as each Keras
    model words them."""
    if not (weights in {"imagenet", None} or os.path.exists(weights)):
        raise ValueError(
            "The `weights` argument should be either `None` (random initialization), "
            "`imagenet` (pre-training on ImageNet), or the path to the weights file to "
            "be loaded" + weights_note.format(weights)
        )
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(
            'If using `weights` as `"imagenet"` with `include_top` as true, `classes` '
            "should be 1000" + classes_note.format(classes)
        )


def obtain_input_shape(
    input_shape, default_size, min_size, data_format, require_flatten, weights=None
):
    """A model's input shape without the batch axis, checked against its limits.

    Args:
        input_shape: the user's shape, or None for the default.
        default_size: the model's usual height and width.
        min_size: the smallest height and width it accepts.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        require_flatten: the classifier top is included (the shape must be static).
        weights: None, "imagenet" (3 channels, and the default size with a top)
            or a file path.

    Returns:
        A 3-tuple, possibly with None entries.

    Raises:
        ValueError: a shape the model or its weights cannot take (Keras' messages).
    """
    import warnings

    last = data_format != "channels_first"
    if weights != "imagenet" and input_shape and len(input_shape) == 3:
        channels = input_shape[-1] if last else input_shape[0]
        if channels not in {1, 3}:
            warnings.warn(
                "This model usually expects 1 or 3 input channels. However, it was "
                f"passed an input_shape with {channels} input channels.",
                stacklevel=2,
            )
        sizes = (default_size, default_size)
        default_shape = sizes + (channels,) if last else (channels,) + sizes
    else:
        default_shape = (default_size, default_size, 3) if last else (3, default_size, default_size)
    if weights == "imagenet" and require_flatten:
        if input_shape is not None and tuple(input_shape) != default_shape:
            raise ValueError(
                "When setting `include_top=True` and loading `imagenet` weights, "
                f"`input_shape` should be {default_shape}.  Received: "
                f"input_shape={input_shape}"
            )
        return default_shape
    if input_shape:
        if len(input_shape) != 3:
            raise ValueError("`input_shape` must be a tuple of three integers.")
        channels = input_shape[-1] if last else input_shape[0]
        if channels != 3 and weights == "imagenet":
            raise ValueError(
                f"The input must have 3 channels; Received `input_shape={input_shape}`"
            )
        rows, cols = input_shape[:2] if last else input_shape[1:]
        if (rows is not None and rows < min_size) or (cols is not None and cols < min_size):
            raise ValueError(
                f"Input size must be at least {min_size}x{min_size}; Received: "
                f"input_shape={input_shape}"
            )
    elif require_flatten:
        input_shape = default_shape
    else:
        input_shape = (None, None, 3) if last else (3, None, None)
    if require_flatten and None in input_shape:
        raise ValueError(
            "If `include_top` is True, you should specify a static `input_shape`. "
            f"Received: input_shape={input_shape}"
        )
    return input_shape


def validate_activation(classifier_activation, weights):
    """Pretrained weights allow only a softmax or no classifier activation."""
    if weights is None:
        return
    activation = activations.get(classifier_activation)
    if activation not in {activations.get("softmax"), activations.get(None)}:
        raise ValueError(
            "Only `None` and `softmax` activations are allowed for the "
            "`classifier_activation` argument when using pretrained weights, with "
            f"`include_top=True`; Received: classifier_activation={classifier_activation}"
        )


def correct_pad(inputs, kernel_size):
    """The ZeroPadding2D amounts before a strided convolution that make it match
    the original (TF-slim) models' padding."""
    axis = 2 if backend.image_data_format() == "channels_first" else 1
    size = tuple(inputs.shape)[axis : axis + 2]
    if isinstance(kernel_size, int):
        kernel_size = (kernel_size, kernel_size)
    adjust = (1, 1) if size[0] is None else (1 - size[0] % 2, 1 - size[1] % 2)
    half = (kernel_size[0] // 2, kernel_size[1] // 2)
    return ((half[0] - adjust[0], half[0]), (half[1] - adjust[1], half[1]))


def model_input(input_tensor, input_shape):
    """The Keras tensor a model starts from: a new ``Input`` or ``input_tensor``."""
    from tensorflux.keras.layers.input_layer import Input

    if input_tensor is None:
        return Input(shape=input_shape)
    if not getattr(input_tensor, "_is_keras_tensor", False):
        return Input(tensor=input_tensor, shape=input_shape)
    return input_tensor


def source_inputs(tensor):
    """The ``Input`` tensors upstream of a Keras tensor, in first-seen order."""
    found, seen, stack = [], set(), [tensor]
    while stack:
        t = stack.pop()
        node = t.node
        if node.is_input:
            if id(t) not in seen:
                seen.add(id(t))
                found.append(t)
            continue
        stack.extend(reversed(node.keras_inputs))
    return found


def finish_model(img_input, input_tensor, outputs, name):
    """The functional model from the image input (or ``input_tensor``'s sources)."""
    from tensorflux.keras.models import Model

    inputs = img_input if input_tensor is None else source_inputs(input_tensor)
    if isinstance(inputs, list) and len(inputs) == 1:
        inputs = inputs[0]
    return Model(inputs, outputs, name=name)


def load_model_weights(model, weights, fname=None, origin=None, file_hash=None):
    """Loads ImageNet weights (the named Keras file) or a user's weights file."""
    if weights == "imagenet":
        model.load_weights(keras_file(fname, origin, file_hash))
    elif weights is not None:
        model.load_weights(weights)
