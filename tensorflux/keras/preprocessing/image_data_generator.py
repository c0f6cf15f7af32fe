"""``keras.preprocessing.image.ImageDataGenerator``: Keras 2's real-time image
augmentation, and its ``random_*`` / ``apply_affine_transform`` helpers.

Parameters are drawn as Keras draws them (NumPy's global generator, in the same order),
so a seeded run picks the same rotation, shifts, shear, zoom and flips. The affine
resampling runs on tensorflux's ImageProjectiveTransformV3 kernel with bilinear
(``interpolation_order=1``) or nearest (0) sampling; Keras uses SciPy's ``ndimage``,
whose values at the borders can differ slightly.
"""

from __future__ import annotations

import warnings

import numpy as np

from tensorflux.keras import backend
from tensorflux.keras.preprocessing.image_iterators import (
    DirectoryIterator,
    NumpyArrayIterator,
)
from tensorflux.keras.utils.image_utils import array_to_img, img_to_array
from tensorflux.ops.image_transform_ops import image_projective_transform_v3

__all__ = [
    "ImageDataGenerator",
    "apply_affine_transform",
    "apply_brightness_shift",
    "apply_channel_shift",
    "random_brightness",
    "random_channel_shift",
    "random_rotation",
    "random_shear",
    "random_shift",
    "random_zoom",
]

_FILL_MODES = ("constant", "nearest", "reflect", "wrap")


def _offset_center(matrix, x, y):
    """``matrix`` about the image centre (Keras' transform_matrix_offset_center)."""
    o_x, o_y = float(x) / 2 - 0.5, float(y) / 2 - 0.5
    offset = np.array([[1, 0, o_x], [0, 1, o_y], [0, 0, 1]])
    reset = np.array([[1, 0, -o_x], [0, 1, -o_y], [0, 0, 1]])
    return offset @ matrix @ reset


def apply_affine_transform(
    x,
    theta=0,
    tx=0,
    ty=0,
    shear=0,
    zx=1,
    zy=1,
    row_axis=1,
    col_axis=2,
    channel_axis=0,
    fill_mode="nearest",
    cval=0.0,
    order=1,
):
    """Rotates (degrees), shifts (pixels), shears (degrees) and zooms one image with
    Keras' matrices; returns a new array.

    >>> import numpy as np
    >>> from tensorflux.keras.preprocessing.image_data_generator import (
    ...     apply_affine_transform)
    >>> apply_affine_transform(np.ones((4, 4, 1)), theta=30, row_axis=0, col_axis=1,
    ...                        channel_axis=2).shape
    (4, 4, 1)

    Raises:
        ValueError: an unknown ``fill_mode`` or an ``order`` other than 0 or 1.
    """
    if fill_mode not in _FILL_MODES:
        raise ValueError(f"fill_mode must be one of {_FILL_MODES}, got {fill_mode!r}")
    if order not in (0, 1):
        raise ValueError(
            f"interpolation_order must be 0 (nearest) or 1 (bilinear) here, got {order}"
        )
    matrix = np.eye(3)
    if theta != 0:
        t = np.deg2rad(theta)
        matrix = matrix @ np.array(
            [[np.cos(t), -np.sin(t), 0], [np.sin(t), np.cos(t), 0], [0, 0, 1]]
        )
    if tx != 0 or ty != 0:
        matrix = matrix @ np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]])
    if shear != 0:
        s = np.deg2rad(shear)
        matrix = matrix @ np.array([[1, -np.sin(s), 0], [0, np.cos(s), 0], [0, 0, 1]])
    if zx != 1 or zy != 1:
        matrix = matrix @ np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]])
    if np.array_equal(matrix, np.eye(3)):
        return x
    x = np.asarray(x)
    height, width = x.shape[row_axis], x.shape[col_axis]
    matrix = _offset_center(matrix, height, width)
    # Keras swaps the matrix's axes before handing it to SciPy in (row, col) order, so
    # its first coordinate is the column: it is the kernel's (x, y) map as it stands
    # (and "tx", drawn from the height range, moves columns, as in Keras).
    image = np.moveaxis(x, (row_axis, col_axis, channel_axis), (0, 1, 2))
    transform = np.array(
        [
            [
                matrix[0, 0],
                matrix[0, 1],
                matrix[0, 2],
                matrix[1, 0],
                matrix[1, 1],
                matrix[1, 2],
                0.0,
                0.0,
            ]
        ],
        np.float32,
    )
    out = image_projective_transform_v3(
        image[None].astype(np.float32),
        transform,
        [height, width],
        fill_value=cval,
        interpolation="BILINEAR" if order == 1 else "NEAREST",
        fill_mode=fill_mode.upper(),
    ).numpy()[0]
    if fill_mode == "constant":
        # SciPy's constant mode: a sample outside the image is cval, not a blend of the
        # edge pixels with cval (TF's kernel blends).
        rows, cols = np.mgrid[0:height, 0:width].astype(np.float32)
        t = transform[0]
        src_x = t[0] * cols + t[1] * rows + t[2]
        src_y = t[3] * cols + t[4] * rows + t[5]
        outside = (src_x < 0) | (src_x > width - 1) | (src_y < 0) | (src_y > height - 1)
        out[outside] = cval
    return np.moveaxis(out, (0, 1, 2), (row_axis, col_axis, channel_axis)).astype(
        x.dtype if x.dtype.kind == "f" else np.float32, copy=False
    )


def random_rotation(
    x,
    rg,
    row_axis=1,
    col_axis=2,
    channel_axis=0,
    fill_mode="nearest",
    cval=0.0,
    interpolation_order=1,
):
    """Rotates one image by a random angle in ``[-rg, rg]`` degrees.

    >>> import numpy as np
    >>> random_rotation(np.ones((1, 8, 8)), 30).shape
    (1, 8, 8)
    """
    theta = np.random.uniform(-rg, rg)
    return apply_affine_transform(
        x,
        theta=theta,
        row_axis=row_axis,
        col_axis=col_axis,
        channel_axis=channel_axis,
        fill_mode=fill_mode,
        cval=cval,
        order=interpolation_order,
    )


def random_shift(
    x,
    wrg,
    hrg,
    row_axis=1,
    col_axis=2,
    channel_axis=0,
    fill_mode="nearest",
    cval=0.0,
    interpolation_order=1,
):
    """Shifts one image by random fractions of its size (``wrg`` wide, ``hrg`` high).

    >>> import numpy as np
    >>> random_shift(np.ones((1, 8, 8)), 0.2, 0.2).shape
    (1, 8, 8)
    """
    h, w = x.shape[row_axis], x.shape[col_axis]
    tx = np.random.uniform(-hrg, hrg) * h
    ty = np.random.uniform(-wrg, wrg) * w
    return apply_affine_transform(
        x,
        tx=tx,
        ty=ty,
        row_axis=row_axis,
        col_axis=col_axis,
        channel_axis=channel_axis,
        fill_mode=fill_mode,
        cval=cval,
        order=interpolation_order,
    )


def random_shear(
    x,
    intensity,
    row_axis=1,
    col_axis=2,
    channel_axis=0,
    fill_mode="nearest",
    cval=0.0,
    interpolation_order=1,
):
    """Shears one image by a random angle in ``[-intensity, intensity]`` degrees.

    >>> import numpy as np
    >>> random_shear(np.ones((1, 8, 8)), 20).shape
    (1, 8, 8)
    """
    shear = np.random.uniform(-intensity, intensity)
    return apply_affine_transform(
        x,
        shear=shear,
        row_axis=row_axis,
        col_axis=col_axis,
        channel_axis=channel_axis,
        fill_mode=fill_mode,
        cval=cval,
        order=interpolation_order,
    )


def random_zoom(
    x,
    zoom_range,
    row_axis=1,
    col_axis=2,
    channel_axis=0,
    fill_mode="nearest",
    cval=0.0,
    interpolation_order=1,
):
    """Zooms one image by random factors drawn from ``zoom_range = (low, high)``.

    >>> import numpy as np
    >>> random_zoom(np.ones((1, 8, 8)), (0.8, 1.2)).shape
    (1, 8, 8)

    Raises:
        ValueError: a ``zoom_range`` that is not two numbers.
    """
    if len(zoom_range) != 2:
        raise ValueError(
            f"`zoom_range` should be a tuple or list of two floats. Received: {zoom_range}"
        )
    if zoom_range[0] == 1 and zoom_range[1] == 1:
        zx, zy = 1, 1
    else:
        zx, zy = np.random.uniform(zoom_range[0], zoom_range[1], 2)
    return apply_affine_transform(
        x,
        zx=zx,
        zy=zy,
        row_axis=row_axis,
        col_axis=col_axis,
        channel_axis=channel_axis,
        fill_mode=fill_mode,
        cval=cval,
        order=interpolation_order,
    )


def apply_channel_shift(x, intensity, channel_axis=0):
    """Adds ``intensity`` to every channel, clipped to the image's own [min, max].

    >>> import numpy as np
    >>> apply_channel_shift(np.array([[[0.0, 2.0]]]), 1.0).tolist()
    [[[1.0, 2.0]]]
    """
    x = np.moveaxis(x, channel_axis, 0)
    low, high = np.min(x), np.max(x)
    x = np.stack([np.clip(channel + intensity, low, high) for channel in x], axis=0)
    return np.moveaxis(x, 0, channel_axis)


def random_channel_shift(x, intensity_range, channel_axis=0):
    """``apply_channel_shift`` by an intensity drawn from ``[-range, range]``.

    >>> import numpy as np
    >>> random_channel_shift(np.ones((3, 4, 4)), 0.5).shape
    (3, 4, 4)
    """
    return apply_channel_shift(
        x, np.random.uniform(-intensity_range, intensity_range), channel_axis
    )


def apply_brightness_shift(x, brightness, scale=True):
    """Brightens one image by ``brightness`` with Pillow's Brightness enhancer, as Keras
    does (images outside [0, 255] are scaled into it and, unless ``scale``, back).

    >>> import numpy as np
    >>> apply_brightness_shift(np.full((1, 1, 3), 100.0), 1.5, scale=False).ravel()
    array([150., 150., 150.], dtype=float32)
    """
    from PIL import ImageEnhance

    low, high = np.min(x), np.max(x)
    local_scale = low < 0 or high > 255
    img = array_to_img(x, scale=local_scale or scale)
    out = img_to_array(ImageEnhance.Brightness(img).enhance(brightness))
    if not scale and local_scale:
        out = out / 255 * (high - low) + low
    return out


def random_brightness(x, brightness_range, scale=True):
    """``apply_brightness_shift`` by a factor drawn from ``brightness_range``.

    >>> import numpy as np
    >>> random_brightness(np.full((2, 2, 3), 100.0), (0.5, 1.5)).shape
    (2, 2, 3)

    Raises:
        ValueError: a range that is not two numbers.
    """
    if len(brightness_range) != 2:
        raise ValueError(
            f"`brightness_range should be tuple or list of two floats. Received: {brightness_range}"
        )
    return apply_brightness_shift(x, np.random.uniform(*brightness_range), scale)


class ImageDataGenerator:
    """Generates batches of augmented images from arrays (``flow``) or folders
    (``flow_from_directory``), standardizing them (rescale, centring, normalisation)
    after the random transforms.

    >>> import numpy as np
    >>> gen = ImageDataGenerator(rescale=1 / 255, horizontal_flip=True)
    >>> x, y = next(gen.flow(np.zeros((4, 8, 8, 3)), np.arange(4), batch_size=2))
    >>> x.shape, y.shape
    ((2, 8, 8, 3), (2,))

    Raises:
        ValueError: a bad ``data_format``, ``validation_split``, ``zoom_range`` or
            ``brightness_range``.
    """

    def __init__(
        self,
        featurewise_center=False,
        samplewise_center=False,
        featurewise_std_normalization=False,
        samplewise_std_normalization=False,
        zca_whitening=False,
        zca_epsilon=1e-6,
        rotation_range=0,
        width_shift_range=0.0,
        height_shift_range=0.0,
        brightness_range=None,
        shear_range=0.0,
        zoom_range=0.0,
        channel_shift_range=0.0,
        fill_mode="nearest",
        cval=0.0,
        horizontal_flip=False,
        vertical_flip=False,
        rescale=None,
        preprocessing_function=None,
        data_format=None,
        validation_split=0.0,
        interpolation_order=1,
        dtype=None,
    ):
        data_format = data_format or backend.image_data_format()
        if data_format not in ("channels_last", "channels_first"):
            raise ValueError(
                '`data_format` should be `"channels_last"` (channel after row '
                'and column) or `"channels_first"` (channel before row and '
                f"column). Received: {data_format}"
            )
        if validation_split and not 0 < validation_split < 1:
            raise ValueError(
                f"`validation_split` must be strictly between 0 and 1.  "
                f"Received: {validation_split}"
            )
        if isinstance(zoom_range, (float, int)):
            zoom_range = [1 - zoom_range, 1 + zoom_range]
        elif len(zoom_range) == 2 and all(isinstance(v, (float, int)) for v in zoom_range):
            zoom_range = [zoom_range[0], zoom_range[1]]
        else:
            raise ValueError(
                f"`zoom_range` should be a float or a tuple or list of two "
                f"floats. Received: {zoom_range}"
            )
        if brightness_range is not None and (
            not isinstance(brightness_range, (tuple, list, np.ndarray))
            or len(brightness_range) != 2
        ):
            raise ValueError(
                f"`brightness_range should be tuple or list of two floats. "
                f"Received: {brightness_range}"
            )
        # As in Keras, ZCA whitening centres and replaces the std normalisation.
        self.featurewise_center = (
            featurewise_center or featurewise_std_normalization or zca_whitening
        )
        self.samplewise_center = samplewise_center or samplewise_std_normalization
        self.featurewise_std_normalization = featurewise_std_normalization and not (zca_whitening)
        self.samplewise_std_normalization = samplewise_std_normalization
        self.zca_whitening = zca_whitening
        self.zca_epsilon = zca_epsilon
        self.rotation_range = rotation_range
        self.width_shift_range = width_shift_range
        self.height_shift_range = height_shift_range
        self.brightness_range = brightness_range
        self.shear_range = shear_range
        self.zoom_range = zoom_range
        self.channel_shift_range = channel_shift_range
        self.fill_mode = fill_mode
        self.cval = cval
        self.horizontal_flip = horizontal_flip
        self.vertical_flip = vertical_flip
        self.rescale = rescale
        self.preprocessing_function = preprocessing_function
        self.data_format = data_format
        self.interpolation_order = interpolation_order
        self.dtype = dtype or backend.floatx()
        self.channel_axis, self.row_axis, self.col_axis = (
            (3, 1, 2) if data_format == "channels_last" else (1, 2, 3)
        )
        self._validation_split = validation_split
        self.mean = None
        self.std = None
        self.zca_whitening_matrix = None

    def flow(
        self,
        x,
        y=None,
        batch_size=32,
        shuffle=True,
        sample_weight=None,
        seed=None,
        subset=None,
        ignore_class_split=False,
    ):
        """A ``NumpyArrayIterator`` over ``x`` (``(n, h, w, c)``) and ``y``."""
        return NumpyArrayIterator(
            x,
            y,
            self,
            batch_size=batch_size,
            shuffle=shuffle,
            sample_weight=sample_weight,
            seed=seed,
            data_format=self.data_format,
            subset=subset,
            ignore_class_split=ignore_class_split,
            dtype=self.dtype,
        )

    def flow_from_directory(
        self,
        directory,
        target_size=(256, 256),
        color_mode="rgb",
        classes=None,
        class_mode="categorical",
        batch_size=32,
        shuffle=True,
        seed=None,
        follow_links=False,
        subset=None,
        interpolation="nearest",
        keep_aspect_ratio=False,
    ):
        """A ``DirectoryIterator`` over ``directory/<class>/`` image files; prints
        "Found N images belonging to K classes."."""
        return DirectoryIterator(
            directory,
            self,
            target_size=target_size,
            color_mode=color_mode,
            classes=classes,
            class_mode=class_mode,
            batch_size=batch_size,
            shuffle=shuffle,
            seed=seed,
            data_format=self.data_format,
            follow_links=follow_links,
            subset=subset,
            interpolation=interpolation,
            keep_aspect_ratio=keep_aspect_ratio,
            dtype=self.dtype,
        )

    def flow_from_dataframe(
        self,
        dataframe,
        directory=None,
        x_col="filename",
        y_col="class",
        weight_col=None,
        target_size=(256, 256),
        color_mode="rgb",
        classes=None,
        class_mode="categorical",
        batch_size=32,
        shuffle=True,
        seed=None,
        subset=None,
        interpolation="nearest",
        validate_filenames=True,
    ):
        """A ``DataFrameIterator`` over the image files named in ``dataframe[x_col]``
        (a pandas DataFrame), labelled by ``y_col`` as ``class_mode`` says; prints
        "Found N validated image filenames belonging to K classes."."""
        from tensorflux.keras.preprocessing.dataframe_iterator import DataFrameIterator

        return DataFrameIterator(
            dataframe,
            directory,
            self,
            x_col=x_col,
            y_col=y_col,
            weight_col=weight_col,
            target_size=target_size,
            color_mode=color_mode,
            classes=classes,
            class_mode=class_mode,
            batch_size=batch_size,
            shuffle=shuffle,
            seed=seed,
            data_format=self.data_format,
            subset=subset,
            interpolation=interpolation,
            dtype=self.dtype,
            validate_filenames=validate_filenames,
        )

    def standardize(self, x):
        """Applies ``preprocessing_function``, ``rescale`` and the centring and
        normalisation options to one image or a batch (in place where Keras does)."""
        if self.preprocessing_function:
            x = self.preprocessing_function(x)
        if self.rescale:
            x *= self.rescale
        if self.samplewise_center:
            x -= np.mean(x, keepdims=True)
        if self.samplewise_std_normalization:
            x /= np.std(x, keepdims=True) + 1e-6
        for enabled, value, name in (
            (self.featurewise_center, self.mean, "featurewise_center"),
            (self.featurewise_std_normalization, self.std, "featurewise_std_normalization"),
        ):
            if enabled and value is None:
                warnings.warn(
                    f"This ImageDataGenerator specifies `{name}`, but it hasn't "
                    f"been fit on any training data. Fit it first by calling "
                    f"`.fit(numpy_data)`.",
                    stacklevel=2,
                )
        if self.featurewise_center and self.mean is not None:
            x -= self.mean
        if self.featurewise_std_normalization and self.std is not None:
            x /= self.std + 1e-6
        if self.zca_whitening:
            if self.zca_whitening_matrix is None:
                warnings.warn(
                    "This ImageDataGenerator specifies `zca_whitening`, but it "
                    "hasn't been fit on any training data. Fit it first by "
                    "calling `.fit(numpy_data)`.",
                    stacklevel=2,
                )
            else:
                flat = x.reshape(-1, int(np.prod(x.shape[-3:])))
                x = np.reshape(flat @ self.zca_whitening_matrix, x.shape)
        return x

    def get_random_transform(self, img_shape, seed=None):
        """The random parameters for one image of shape ``img_shape``, drawn in Keras'
        order: rotation, height shift, width shift, shear, zoom, flips, channel shift,
        brightness."""
        rows, cols = self.row_axis - 1, self.col_axis - 1
        if seed is not None:
            np.random.seed(seed)
        theta = (
            np.random.uniform(-self.rotation_range, self.rotation_range)
            if (self.rotation_range)
            else 0
        )
        tx = self._shift(self.height_shift_range, img_shape[rows])
        ty = self._shift(self.width_shift_range, img_shape[cols])
        shear = np.random.uniform(-self.shear_range, self.shear_range) if (self.shear_range) else 0
        if self.zoom_range[0] == 1 and self.zoom_range[1] == 1:
            zx, zy = 1, 1
        else:
            zx, zy = np.random.uniform(self.zoom_range[0], self.zoom_range[1], 2)
        flip_horizontal = (np.random.random() < 0.5) * self.horizontal_flip
        flip_vertical = (np.random.random() < 0.5) * self.vertical_flip
        channel_shift = None
        if self.channel_shift_range != 0:
            channel_shift = np.random.uniform(-self.channel_shift_range, self.channel_shift_range)
        brightness = None
        if self.brightness_range is not None:
            brightness = np.random.uniform(self.brightness_range[0], self.brightness_range[1])
        return {
            "theta": theta,
            "tx": tx,
            "ty": ty,
            "shear": shear,
            "zx": zx,
            "zy": zy,
            "flip_horizontal": flip_horizontal,
            "flip_vertical": flip_vertical,
            "channel_shift_intensity": channel_shift,
            "brightness": brightness,
        }

    @staticmethod
    def _shift(shift_range, size):
        if not np.any(shift_range):
            return 0
        if isinstance(shift_range, float):
            shift = np.random.uniform(-shift_range, shift_range)
        else:
            shift = np.random.choice(shift_range) * np.random.choice([-1, 1])
        return shift * size if np.max(shift_range) < 1 else shift

    def apply_transform(self, x, transform_parameters):
        """Applies parameters from ``get_random_transform`` to one image."""
        rows, cols, channels = self.row_axis - 1, self.col_axis - 1, self.channel_axis - 1
        p = transform_parameters
        x = apply_affine_transform(
            x,
            p.get("theta", 0),
            p.get("tx", 0),
            p.get("ty", 0),
            p.get("shear", 0),
            p.get("zx", 1),
            p.get("zy", 1),
            row_axis=rows,
            col_axis=cols,
            channel_axis=channels,
            fill_mode=self.fill_mode,
            cval=self.cval,
            order=self.interpolation_order,
        )
        if p.get("channel_shift_intensity") is not None:
            x = apply_channel_shift(x, p["channel_shift_intensity"], channels)
        if p.get("flip_horizontal", False):
            x = np.flip(x, cols)
        if p.get("flip_vertical", False):
            x = np.flip(x, rows)
        if p.get("brightness") is not None:
            x = apply_brightness_shift(x, p["brightness"], False)
        return x

    def random_transform(self, x, seed=None):
        """One image, randomly transformed."""
        return self.apply_transform(x, self.get_random_transform(x.shape, seed))

    def fit(self, x, augment=False, rounds=1, seed=None):
        """Computes the feature-wise mean and deviation of ``x`` (``(n, h, w, c)``) for
        ``featurewise_center`` / ``featurewise_std_normalization``.

        Raises:
            ValueError: ``x`` not of rank 4.
        """
        x = np.array(x, dtype=self.dtype)
        if x.ndim != 4:
            raise ValueError(
                f"Input to `.fit()` should have rank 4. Got array with shape: {x.shape}"
            )
        if seed is not None:
            np.random.seed(seed)
        if self.rescale:
            x *= self.rescale
        if augment:
            x = np.concatenate(
                [np.stack([self.random_transform(image) for image in x]) for _ in range(rounds)]
            ).astype(self.dtype)
        shape = [1, 1, 1]
        shape[self.channel_axis - 1] = x.shape[self.channel_axis]
        axes = (0, self.row_axis, self.col_axis)
        if self.featurewise_center:
            self.mean = np.reshape(np.mean(x, axis=axes), shape)
            x -= self.mean
        if self.featurewise_std_normalization:
            self.std = np.reshape(np.std(x, axis=axes), shape)
            x /= self.std + 1e-6
        if self.zca_whitening:
            flat = np.reshape(x, (len(x), -1))
            u, s, _ = np.linalg.svd(flat.T, full_matrices=False)
            inverse = 1.0 / np.sqrt(s[np.newaxis] ** 2 / len(x) + self.zca_epsilon)
            self.zca_whitening_matrix = (u * inverse) @ u.T
