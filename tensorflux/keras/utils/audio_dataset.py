"""``keras.utils.audio_dataset_from_directory``: a labelled ``tf.data`` pipeline over a
folder of ``.wav`` files, listed, shuffled, split and batched as Keras 2 does it."""

from __future__ import annotations

import numpy as np

from tensorflux.data.dataset import Dataset
from tensorflux.data.interleave import VariantDataset
from tensorflux.framework import dtypes
from tensorflux.framework.tensor_spec import TensorSpec
from tensorflux.keras.utils.dataset_utils import (
    check_validation_split_arg,
    encode_labels,
    get_training_or_validation_split,
    index_directory,
)

__all__ = ["audio_dataset_from_directory"]

_FORMATS = (".wav",)


def _check_arguments(labels, label_mode, class_names, ragged, output_sequence_length, rate):
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple)):
            raise ValueError(
                "The `labels` argument should be a list/tuple of integer labels, of the same "
                "size as the number of audio files in the target directory. If you wish to "
                "infer the labels from the subdirectory names in the target directory, pass "
                '`labels="inferred"`. If you wish to get a dataset that only contains audio '
                f"samples (no labels), pass `labels=None`. Received: labels={labels}"
            )
        if class_names:
            raise ValueError(
                'You can only pass `class_names` if `labels="inferred"`. Received: '
                f"labels={labels}, and class_names={class_names}"
            )
    if label_mode not in {"int", "categorical", "binary", None}:
        raise ValueError(
            '`label_mode` argument must be one of "int", "categorical", "binary", or None. '
            f"Received: label_mode={label_mode}"
        )
    if ragged and output_sequence_length is not None:
        raise ValueError("Cannot set both `ragged` and `output_sequence_length`")
    if rate is not None:
        if not isinstance(rate, int):
            raise ValueError(
                f"`sampling_rate` should have an integer value. Received: sampling_rate={rate}"
            )
        if rate <= 0:
            raise ValueError(
                f"`sampling_rate` should be higher than 0. Received: sampling_rate={rate}"
            )
        raise ImportError(
            "To use the argument `sampling_rate`, you should install tensorflow_io. You can "
            "install it via `pip install tensorflow-io`."
        )


def _decoded(path: str, output_sequence_length):
    from tensorflux.ops.audio_ops import _decode_wav_kernel

    with open(path, "rb") as f:
        contents = np.array(f.read(), dtype=object)
    samples = -1 if output_sequence_length is None else int(output_sequence_length)
    audio, _ = _decode_wav_kernel(contents, desired_channels=-1, desired_samples=samples)
    return audio


def _dataset(paths, labels, label_mode, num_classes, output_sequence_length, ragged):
    clips = [(_decoded(p, output_sequence_length),) for p in paths]
    frames = None if output_sequence_length is None else int(output_sequence_length)
    audio = VariantDataset(clips, TensorSpec((frames, None), dtypes.float32))
    if ragged:
        from tensorflux.ragged.ragged_tensor import RaggedTensor

        audio = audio.map(RaggedTensor.from_tensor)
    if not label_mode:
        return audio
    encoded = encode_labels(labels, label_mode, num_classes)
    label_spec = TensorSpec(encoded.shape[1:], dtypes.as_dtype(encoded.dtype))
    label_ds = VariantDataset([(row,) for row in encoded], label_spec)
    return Dataset.zip((audio, label_ds))


def _prepare(dataset, batch_size, shuffle, seed, class_names, output_sequence_length, ragged):
    dataset = dataset.prefetch(-1)
    if batch_size is not None:
        if shuffle:
            dataset = dataset.shuffle(buffer_size=batch_size * 8, seed=seed)
        if output_sequence_length is None and not ragged:
            shapes = ([None, None], []) if isinstance(dataset.element_spec, tuple) else [None, None]
            dataset = dataset.padded_batch(batch_size, padded_shapes=shapes)
        else:
            dataset = dataset.batch(batch_size)
    elif shuffle:
        dataset = dataset.shuffle(buffer_size=1024, seed=seed)
    dataset.class_names = class_names
    return dataset


def audio_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode="int",
    class_names=None,
    batch_size=32,
    sampling_rate=None,
    output_sequence_length=None,
    ragged=False,
    shuffle=True,
    seed=None,
    validation_split=None,
    subset=None,
    follow_links=False,
):
    """A ``tf.data.Dataset`` of ``(audio, labels)`` batches from the ``.wav`` files of
    ``directory``, whose sub-folders are the classes (``labels="inferred"``).

    Each clip is float32 ``[frames, channels]`` (cut or zero-padded to
    ``output_sequence_length`` frames if given); batches pad clips to the longest, or
    hold RaggedTensors with ``ragged=True``. The dataset has a ``class_names``
    attribute; ``subset="both"`` returns a (training, validation) pair.

    Raises:
        ValueError: bad arguments (Keras' messages), or no audio files found.
        ImportError: ``sampling_rate`` (resampling needs tensorflow-io, as in Keras).
    """
    _check_arguments(labels, label_mode, class_names, ragged, output_sequence_length, sampling_rate)
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    check_validation_split_arg(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, label_array, class_names = index_directory(
        str(directory),
        labels,
        _FORMATS,
        class_names=class_names,
        shuffle=shuffle,
        seed=seed,
        follow_links=follow_links,
    )
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(
            'When passing `label_mode="binary"`, there must be exactly 2 class_names. '
            f"Received: class_names={class_names}"
        )

    def build(subset_paths, subset_labels, reshuffle):
        dataset = _dataset(
            subset_paths,
            subset_labels,
            label_mode,
            len(class_names),
            output_sequence_length,
            ragged,
        )
        return _prepare(
            dataset, batch_size, reshuffle, seed, class_names, output_sequence_length, ragged
        )

    if subset == "both":
        parts = []
        for name in ("training", "validation"):
            part = get_training_or_validation_split(paths, label_array, validation_split, name)
            if not part[0]:
                raise ValueError(
                    f"No {name} audio files found in directory {directory}. Allowed "
                    f"format(s): {_FORMATS}"
                )
            parts.append(part)
        return build(*parts[0], shuffle), build(*parts[1], False)
    subset_paths, subset_labels = get_training_or_validation_split(
        paths, label_array, validation_split, subset
    )
    if not subset_paths:
        raise ValueError(
            f"No audio files found in directory {directory}. Allowed format(s): {_FORMATS}"
        )
    return build(subset_paths, subset_labels, shuffle)
