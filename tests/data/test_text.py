"""TextLineDataset and list_files, and the text pipeline of the notes."""

import gzip

import numpy as np
import pytest

import tensorflux as tf
from tests.data.conftest import as_lists


def test_text_line_dataset(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(b"a\r\nbb\n\nccc")
    b.write_bytes(b"x\ny\n")
    ds = tf.data.TextLineDataset(str(a))
    assert repr(ds) == (
        "<TextLineDatasetV2 element_spec=TensorSpec(shape=(), dtype=tf.string, name=None)>"
    )
    assert as_lists(ds) == [b"a", b"bb", b"", b"ccc"] and int(ds.cardinality()) == -2
    both = tf.data.TextLineDataset([str(a), str(b)])
    assert as_lists(both) == [b"a", b"bb", b"", b"ccc", b"x", b"y"]
    zipped = tmp_path / "c.txt.gz"
    with gzip.open(zipped, "wb") as f:
        f.write(b"one\ntwo\n")
    assert as_lists(tf.data.TextLineDataset(str(zipped), compression_type="GZIP")) == [
        b"one",
        b"two",
    ]
    with pytest.raises(tf.errors.NotFoundError, match="No such file"):
        as_lists(tf.data.TextLineDataset(str(tmp_path / "nope.txt")))


def test_text_pipeline_filter_batch(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("first line\n\nsecond\n\nthird one\n")
    text_ds = tf.data.TextLineDataset(str(path)).filter(lambda x: x != "")
    sentences = list(text_ds.as_numpy_iterator())
    assert sentences == [b"first line", b"second", b"third one"]
    batches = as_lists(text_ds.batch(2).prefetch(tf.data.AUTOTUNE).unbatch())
    assert batches == sentences


def test_list_files(tmp_path):
    for name in ("b.txt", "a.txt", "c.csv"):
        (tmp_path / name).write_text("x")
    ordered = tf.data.Dataset.list_files(str(tmp_path / "*.txt"), shuffle=False)
    assert repr(ordered).startswith("<_TensorSliceDataset")
    assert as_lists(ordered) == [str(tmp_path / n).encode() for n in ("a.txt", "b.txt")]
    shuffled = tf.data.Dataset.list_files(str(tmp_path / "*"), seed=1)
    assert repr(shuffled).startswith("<_ShuffleDataset") and len(shuffled) == 3
    with pytest.raises(tf.errors.InvalidArgumentError, match="No files matched pattern"):
        tf.data.Dataset.list_files(str(tmp_path / "*.nope"))


def test_char_sequence_pipeline_like_the_notes():
    text = "hello tensorflux world, " * 20
    all_ids = np.frombuffer(text.encode(), dtype=np.uint8).astype(np.int64)
    ids_dataset = tf.data.Dataset.from_tensor_slices(all_ids)
    seq_length = 10
    sequences = ids_dataset.batch(seq_length + 1, drop_remainder=True)
    assert sequences.element_spec == tf.TensorSpec((11,), tf.int64)

    def split_input_target(sequence):
        return sequence[0:-1], sequence[1:]

    dataset = sequences.map(split_input_target)
    assert dataset.element_spec == (tf.TensorSpec((10,), tf.int64),) * 2
    for input_example, target_example in dataset.take(1):
        assert bytes(input_example.numpy().astype(np.uint8)) == b"hello tens"
        assert bytes(target_example.numpy().astype(np.uint8)) == b"ello tenso"
    batched = (
        dataset.shuffle(10000).batch(4, drop_remainder=True).prefetch(tf.data.experimental.AUTOTUNE)
    )
    assert batched.element_spec == (tf.TensorSpec((4, 10), tf.int64),) * 2
    assert len(batched) == len(all_ids) // 11 // 4
    assert sum(1 for _ in batched) == len(batched)


def test_text_lines_of_several_files_headers_and_zlib(tmp_path):
    import zlib

    files = []
    for name, data in (("a", b"h1\na1\na2\na3"), ("b", b"h2\nb1\n"), ("c", b"h3\nc1\nc2\r\n")):
        (tmp_path / f"{name}.csv").write_bytes(data)
        files.append(str(tmp_path / f"{name}.csv"))
    # Orders recorded from TF 2.21.
    parallel = tf.data.TextLineDataset(files, num_parallel_reads=2)
    assert as_lists(parallel) == [b"h1", b"h2", b"a1", b"b1", b"a2", b"a3", b"h3", b"c1", b"c2"]
    headerless = tf.data.Dataset.from_tensor_slices(files).flat_map(
        lambda f: tf.data.TextLineDataset(f).skip(1)
    )
    assert as_lists(headerless) == [b"a1", b"a2", b"a3", b"b1", b"c1", b"c2"]
    mixed = tf.data.Dataset.list_files(str(tmp_path / "*.csv"), shuffle=False).interleave(
        lambda f: tf.data.TextLineDataset(f).skip(1), cycle_length=3
    )
    assert as_lists(mixed) == [b"a1", b"b1", b"c1", b"a2", b"c2", b"a3"]
    (tmp_path / "z.zz").write_bytes(zlib.compress(b"z1\nz2\n"))
    lines = tf.data.TextLineDataset(str(tmp_path / "z.zz"), compression_type="ZLIB")
    assert as_lists(lines) == [b"z1", b"z2"]
    with pytest.raises(ValueError, match="Unsupported compression_type"):
        tf.data.TextLineDataset(files, compression_type="BZ2")
