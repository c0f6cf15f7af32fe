"""The tf.data programs of the lecture notes, end to end (small data)."""

import numpy as np

import tensorflux as tf


def test_iris_style_repeat_shuffle_batch():
    rng = np.random.default_rng(1)
    X_train = rng.normal(size=(120, 4))  # what a pandas DataFrame converts to
    y_train = rng.integers(0, 3, 120)
    train = tf.data.Dataset.from_tensor_slices((X_train, y_train))
    test = tf.data.Dataset.from_tensor_slices((X_train[:30], y_train[:30]))
    train = train.repeat(20).shuffle(1000).batch(32)
    test = test.batch(1)
    assert train.element_spec == (
        tf.TensorSpec((None, 4), tf.float64),
        tf.TensorSpec((None,), tf.int64),
    )
    assert len(train) == 75 and len(test) == 30
    rows = [x for x, _ in train]
    assert sum(len(r) for r in rows) == 2400 and rows[0].shape == (32, 4)
    seen = np.concatenate([r.numpy() for r in rows])
    np.testing.assert_allclose(np.sort(seen[:, 0]), np.sort(np.tile(X_train[:, 0], 20)))


def normalize_img(image, label):
    return tf.cast(image, tf.float32) / 255.0, label


def invert_img(image, label):
    return 1.0 - image, label


def test_mnist_style_normalize_concatenate_shuffle_batch():
    rng = np.random.default_rng(2)
    images = rng.integers(0, 256, (300, 28, 28, 1), dtype=np.uint8)
    labels = rng.integers(0, 10, 300).astype(np.int64)
    ds_train = tf.data.Dataset.from_tensor_slices((images, labels))
    assert ds_train.element_spec == (
        tf.TensorSpec(shape=(28, 28, 1), dtype=tf.uint8),
        tf.TensorSpec(shape=(), dtype=tf.int64),
    )
    ds_train = ds_train.map(normalize_img)
    ds_train = ds_train.concatenate(ds_train.map(invert_img))
    ds_train = ds_train.shuffle(1000)
    ds_train = ds_train.batch(128)
    assert repr(ds_train) == (
        "<_BatchDataset element_spec=(TensorSpec(shape=(None, 28, 28, 1), dtype=tf.float32, "
        "name=None), TensorSpec(shape=(None,), dtype=tf.int64, name=None))>"
    )
    batches = list(ds_train)
    assert [len(y) for _, y in batches] == [128, 128, 128, 128, 88]
    pixels = np.concatenate([x.numpy() for x, _ in batches])
    expected = images.astype(np.float32) / 255.0
    total = np.sort(np.concatenate([expected, 1.0 - expected]).sum(axis=(1, 2, 3)))
    np.testing.assert_allclose(np.sort(pixels.sum(axis=(1, 2, 3))), total, rtol=1e-5)


def test_cache_shuffle_prefetch_and_take_skip():
    ds = tf.data.Dataset.from_tensor_slices(
        (np.zeros((64, 8, 8, 3), np.float32), np.arange(64))
    ).batch(8)
    AUTOTUNE = tf.data.AUTOTUNE
    train_ds = ds.cache().shuffle(1000).prefetch(buffer_size=AUTOTUNE)
    val_batches = tf.data.experimental.cardinality(ds)
    test_dataset = ds.take(val_batches // 5)
    validation_dataset = ds.skip(val_batches // 5).prefetch(buffer_size=AUTOTUNE)
    assert len(test_dataset) == 1 and len(validation_dataset) == 7
    for images, labels in train_ds.take(1):
        assert images.shape == (8, 8, 8, 3) and labels.dtype == tf.int64
    assert sorted(int(v) for _, y in train_ds for v in y) == list(range(64))
