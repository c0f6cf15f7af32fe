"""``tf.image.stateless_random_*`` and TF's crop offsets (numbers against TF are in
``test_random_streams.py``'s ``image_augmentations`` case)."""

import numpy as np
import pytest

import tensorflux as tf

IMG = np.arange(2 * 3 * 4 * 3, dtype=np.float32).reshape(2, 3, 4, 3) / 72.0

STATELESS = {
    "flip_left_right": lambda x, s: tf.image.stateless_random_flip_left_right(x, s),
    "flip_up_down": lambda x, s: tf.image.stateless_random_flip_up_down(x, s),
    "brightness": lambda x, s: tf.image.stateless_random_brightness(x, 0.3, s),
    "contrast": lambda x, s: tf.image.stateless_random_contrast(x, 0.2, 1.8, s),
    "saturation": lambda x, s: tf.image.stateless_random_saturation(x, 0.1, 2.0, s),
    "hue": lambda x, s: tf.image.stateless_random_hue(x, 0.4, s),
    "crop": lambda x, s: tf.image.stateless_random_crop(x, [2, 2, 2, 3], s),
}


@pytest.mark.parametrize("name", sorted(STATELESS))
def test_same_seed_same_result_regardless_of_global_seed(name):
    fn = STATELESS[name]
    tf.random.set_seed(1)
    first = fn(IMG, [3, 4]).numpy()
    tf.random.set_seed(2)
    np.testing.assert_array_equal(fn(IMG, [3, 4]).numpy(), first)
    np.testing.assert_array_equal(fn(IMG, tf.constant([3, 4], tf.int64)).numpy(), first)
    tf.random.set_seed(None)


@pytest.mark.parametrize("name", sorted(STATELESS))
def test_traced_matches_eager(name):
    fn = STATELESS[name]
    traced = tf.function(fn)
    for seed in ([1, 2], [9, 0]):
        want = fn(IMG, seed).numpy()
        got = traced(tf.constant(IMG), tf.constant(seed)).numpy()
        np.testing.assert_array_equal(got, want)


def test_batch_flips_choose_per_image():
    images = np.repeat(np.arange(4.0).reshape(1, 1, 4, 1), 16, axis=0)
    out = tf.image.stateless_random_flip_left_right(images, [5, 5]).numpy()
    flipped = np.all(out == images[:, :, ::-1], axis=(1, 2, 3))
    kept = np.all(out == images, axis=(1, 2, 3))
    assert np.all(flipped ^ kept) and flipped.any() and kept.any()


def test_crop_is_a_window_of_the_value():
    value = np.arange(5 * 6 * 3).reshape(5, 6, 3)
    for seed in range(6):
        crop = tf.image.stateless_random_crop(value, [3, 4, 3], [seed, 1]).numpy()
        i, j = np.argwhere(value[..., 0] == crop[0, 0, 0])[0]
        np.testing.assert_array_equal(crop, value[i : i + 3, j : j + 4])


@pytest.mark.parametrize(
    "fn, exc, msg",
    [
        (lambda: tf.image.stateless_random_brightness(IMG, -0.1, [1, 2]), ValueError, "max_delta"),
        (
            lambda: tf.image.stateless_random_contrast(IMG, 1.0, 0.5, [1, 2]),
            ValueError,
            "upper must be > lower",
        ),
        (
            lambda: tf.image.stateless_random_saturation(IMG, -1.0, 0.5, [1, 2]),
            ValueError,
            "lower must be non-negative",
        ),
        (lambda: tf.image.stateless_random_hue(IMG, 0.6, [1, 2]), ValueError, "<= 0.5"),
        (
            lambda: tf.image.stateless_random_flip_left_right(np.zeros((2, 3)), [1, 2]),
            ValueError,
            "3 or 4 dimensions",
        ),
        (
            lambda: tf.image.stateless_random_brightness(IMG, 0.1, [1, 2, 3]),
            tf.errors.InvalidArgumentError,
            "seed must have shape [2]",
        ),
        (
            lambda: tf.image.stateless_random_crop(np.zeros((2, 3)), [3, 3], [1, 2]),
            tf.errors.InvalidArgumentError,
            "Need value.shape >= size",
        ),
        (
            lambda: tf.image.stateless_random_crop(np.zeros((2, 3)), [2, 3, 1], [1, 2]),
            tf.errors.InvalidArgumentError,
            "Incompatible shapes",
        ),
        (
            lambda: tf.image.random_crop(np.zeros((2, 3)), [1], seed=1),
            tf.errors.InvalidArgumentError,
            "Incompatible shapes",
        ),
    ],
)
def test_errors(fn, exc, msg):
    with pytest.raises(exc, match=msg.replace("[", r"\[").replace("]", r"\]")):
        fn()
