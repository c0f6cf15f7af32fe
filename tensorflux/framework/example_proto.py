"""The ``tf.train.Example`` family (tensorflow/core/example/feature.proto and
example.proto): lists of bytes, floats or int64s, features by name, and sequences of
features. Their bytes are TensorFlow's, so TFRecord files of Examples are shared both
ways.

>>> example = Example(features={"feature": {"x": {"int64_list": {"value": [1, 2]}}}})
>>> example.SerializeToString()
b'\\n\\r\\n\\x0b\\n\\x01x\\x12\\x06\\x1a\\x04\\n\\x02\\x01\\x02'
"""

from __future__ import annotations

from tensorflux.framework.proto_message import Field, Message

__all__ = [
    "BytesList",
    "Example",
    "Feature",
    "FeatureList",
    "FeatureLists",
    "Features",
    "FloatList",
    "Int64List",
    "SequenceExample",
]


class BytesList(Message):
    """A list of byte strings (``value``)."""

    full_name = "tensorflow.BytesList"
    fields = (Field("value", 1, "bytes", repeated=True),)


class FloatList(Message):
    """A list of float32 values (``value``, written packed)."""

    full_name = "tensorflow.FloatList"
    fields = (Field("value", 1, "float", repeated=True),)


class Int64List(Message):
    """A list of int64 values (``value``, written packed)."""

    full_name = "tensorflow.Int64List"
    fields = (Field("value", 1, "int64", repeated=True),)


class Feature(Message):
    """One of ``bytes_list``, ``float_list`` or ``int64_list`` (the oneof ``kind``)."""

    full_name = "tensorflow.Feature"
    fields = (
        Field("bytes_list", 1, "tensorflow.BytesList", oneof="kind"),
        Field("float_list", 2, "tensorflow.FloatList", oneof="kind"),
        Field("int64_list", 3, "tensorflow.Int64List", oneof="kind"),
    )


class Features(Message):
    """Features by name (``feature``: a map from string to :class:`Feature`)."""

    full_name = "tensorflow.Features"
    fields = (Field("feature", 1, "tensorflow.Feature", map_key="string"),)


class FeatureList(Message):
    """A sequence of features (``feature``: repeated :class:`Feature`)."""

    full_name = "tensorflow.FeatureList"
    fields = (Field("feature", 1, "tensorflow.Feature", repeated=True),)


class FeatureLists(Message):
    """Feature sequences by name (``feature_list``: string -> :class:`FeatureList`)."""

    full_name = "tensorflow.FeatureLists"
    fields = (Field("feature_list", 1, "tensorflow.FeatureList", map_key="string"),)


class Example(Message):
    """One record of features (``features``)."""

    full_name = "tensorflow.Example"
    fields = (Field("features", 1, "tensorflow.Features"),)


class SequenceExample(Message):
    """Context features and feature sequences (``context``, ``feature_lists``)."""

    full_name = "tensorflow.SequenceExample"
    fields = (
        Field("context", 1, "tensorflow.Features"),
        Field("feature_lists", 2, "tensorflow.FeatureLists"),
    )
