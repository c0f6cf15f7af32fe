"""XLA kernels of the image resize ops (UpSampling2D's and tf.image.resize's) and the
bilinear one's gradient op (TF's XLA refuses the nearest one's, and so do we).

The source pixels and weights of every output pixel depend on shapes alone: the NumPy
kernels' own helpers compute them while compiling, and XLA gathers and blends.
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from tensorflux.kernels.xla import xla_kernel
from tensorflux.ops import image_ops, image_patches_ops

_F32 = np.float32


def _check(name, align_corners, half_pixel_centers, size):
    image_ops._check_attrs(name, align_corners, half_pixel_centers)
    return image_ops._check_size(name, np.asarray(size))


@xla_kernel("ResizeNearestNeighbor", static=(1,))
def _resize_nearest(images, size, align_corners, half_pixel_centers):
    height, width = _check("ResizeNearestNeighbor", align_corners, half_pixel_centers, size)
    rows = image_ops._nearest_index(height, images.shape[1], align_corners, half_pixel_centers)
    cols = image_ops._nearest_index(width, images.shape[2], align_corners, half_pixel_centers)
    return jnp.take(jnp.take(images, rows, axis=1), cols, axis=2)


@xla_kernel("ResizeBilinear", static=(1,))
def _resize_bilinear(images, size, align_corners, half_pixel_centers):
    height, width = _check("ResizeBilinear", align_corners, half_pixel_centers, size)
    top, bottom, ylerp = image_ops._bilinear_weights(
        height, images.shape[1], align_corners, half_pixel_centers
    )
    left, right, xlerp = image_ops._bilinear_weights(
        width, images.shape[2], align_corners, half_pixel_centers
    )
    # TF's arithmetic: lerp along x, then along y, in float32.
    x = images.astype(_F32)
    left_values = jnp.take(x, left, axis=2)
    lerped = left_values + (jnp.take(x, right, axis=2) - left_values) * xlerp[:, None]
    up = jnp.take(lerped, top, axis=1)
    return up + (jnp.take(lerped, bottom, axis=1) - up) * ylerp[:, None, None]


@xla_kernel("ResizeBilinearGrad")
def _resize_bilinear_grad(grads, original_image, align_corners, half_pixel_centers):
    image_ops._check_attrs("ResizeBilinearGrad", align_corners, half_pixel_centers)
    height, width = original_image.shape[1:3]
    rows = image_ops._interpolation_matrix(
        grads.shape[1], height, align_corners, half_pixel_centers
    )
    cols = image_ops._interpolation_matrix(grads.shape[2], width, align_corners, half_pixel_centers)
    dtype = original_image.dtype if original_image.dtype.itemsize >= 4 else _F32
    out = jnp.einsum(
        "bhwc,hi,wj->bijc", grads.astype(dtype), rows.astype(dtype), cols.astype(dtype)
    )
    return out.astype(original_image.dtype)


@xla_kernel("ExtractImagePatches")
def _extract_image_patches(images, ksizes, strides, rates, padding):
    if images.ndim != 4:
        raise ValueError(f"input of rank {images.ndim}, not 4")
    batch, height, width, depth = images.shape
    # The pixel each (row, col, window row, window col) entry reads; height * width
    # for the zero padding, a zero pixel appended below.
    source = image_patches_ops._source_index(height, width, ksizes, strides, rates, padding)
    rows, cols = image_patches_ops._geometry(height, width, ksizes, strides, rates, padding)
    pixels = images.reshape(batch, height * width, depth)
    pixels = jnp.concatenate([pixels, jnp.zeros((batch, 1, depth), images.dtype)], axis=1)
    patches = jnp.take(pixels, source, axis=1)
    return patches.reshape(batch, rows.out, cols.out, ksizes[1] * ksizes[2] * depth)
