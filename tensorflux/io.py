"""``tf.io``: file utilities (``tf.io.gfile``), reading and writing whole files, TFRecord
files, the image codecs, and the parsing and serialization of examples and tensors."""

from tensorflux.framework import gfile  # noqa: F401
from tensorflux.framework.tfrecord import TFRecordOptions, TFRecordWriter  # noqa: F401
from tensorflux.ops.csv_ops import decode_csv  # noqa: F401
from tensorflux.ops.file_io_ops import (  # noqa: F401
    match_filenames_once,
    matching_files,
    read_file,
    write_file,
)
from tensorflux.ops.image_codec_ops import (  # noqa: F401
    decode_bmp,
    decode_gif,
    decode_image,
    decode_jpeg,
    decode_png,
    encode_jpeg,
    encode_png,
    is_jpeg,
)
from tensorflux.ops.image_jpeg_ops import (  # noqa: F401
    decode_and_crop_jpeg,
    decode_webp,
    extract_jpeg_shape,
)
from tensorflux.ops.io_decode_ops import (  # noqa: F401
    decode_base64,
    decode_compressed,
    decode_raw,
    encode_base64,
    parse_tensor,
    serialize_tensor,
)
from tensorflux.ops.parsing_config import (  # noqa: F401
    FixedLenFeature,
    FixedLenSequenceFeature,
    RaggedFeature,
    SparseFeature,
    VarLenFeature,
)
from tensorflux.ops.parsing_example import (  # noqa: F401
    parse_example,
    parse_sequence_example,
    parse_single_example,
    parse_single_sequence_example,
)
from tensorflux.ops.proto_ops import (  # noqa: F401
    decode_json_example,
    decode_proto,
    encode_proto,
)
from tensorflux.ops.sparse_io_ops import (  # noqa: F401
    deserialize_many_sparse,
    serialize_many_sparse,
    serialize_sparse,
)
from tensorflux.summary.graph_io import write_graph  # noqa: F401


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.io", __name__, name)
