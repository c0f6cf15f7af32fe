"""``tf.image.ssim_multiscale``: structural similarity over a pyramid of 2x2-averaged
scales, composed from public ops like ``ssim`` (so it has gradients, as in TF)."""

from __future__ import annotations

import numpy as np

from tensorflux.framework.tensor import Tensor
from tensorflux.ops.array_ops import concat, reshape, shape, stack
from tensorflux.ops.image_metrics import _float_pair, _ssim_maps
from tensorflux.ops.joining_ops import pad
from tensorflux.ops.math_ops import pow as tf_pow
from tensorflux.ops.nn_ops import relu
from tensorflux.ops.nn_pooling import avg_pool
from tensorflux.ops.reduction_ops import reduce_mean, reduce_prod

__all__ = ["ssim_multiscale"]

# The per-scale exponents of Wang, Simoncelli and Bovik (2003), TF's default.
_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)


def _halve(image: Tensor) -> Tensor:
    """One pyramid step: an odd height or width first gains a mirrored last row or
    column, then 2x2 blocks are averaged."""
    height, width, channels = image.shape.as_list()[-3:]
    if None in (height, width, channels):
        raise ValueError(
            f"ssim_multiscale needs the images' height, width and channels, got {image.shape}"
        )
    flat = reshape(image, [-1, height, width, channels])
    if height % 2 or width % 2:
        flat = pad(flat, [[0, 0], [0, height % 2], [0, width % 2], [0, 0]], mode="SYMMETRIC")
    pooled = avg_pool(flat, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    return reshape(pooled, concat([shape(image)[:-3], shape(pooled)[1:]], 0))


def ssim_multiscale(
    img1,
    img2,
    max_val,
    power_factors=_WEIGHTS,
    filter_size=11,
    filter_sigma=1.5,
    k1=0.01,
    k2=0.03,
) -> Tensor:
    """Multi-scale SSIM of two batches of images, averaged over channels.

    Scale ``k`` compares the images averaged over ``2**k`` blocks; the result is the
    product of each scale's contrast-structure term (the last scale's full SSIM) raised
    to its ``power_factors`` entry, negative terms clipped to 0.

    >>> import numpy as np
    >>> from tensorflux.ops.image_ms_ssim import ssim_multiscale
    >>> x = np.linspace(0, 1, 2 * 24 * 24, dtype=np.float32).reshape(2, 24, 24, 1)
    >>> ssim_multiscale(x, x, 1.0, power_factors=(0.5, 0.5), filter_size=5).numpy()
    array([1., 1.], dtype=float32)

    Args:
        img1, img2: ``[..., height, width, channels]`` images of one dtype (floats in
            [0, max_val]; integers are rescaled as ``convert_image_dtype``).
        max_val: the dynamic range (1.0 for floats in [0, 1], 255 for uint8).
        power_factors: one exponent per scale (the count sets the number of scales).
        filter_size, filter_sigma, k1, k2: as ``ssim``.

    Returns:
        float32 ``[...]``: one value per image.

    Raises:
        ValueError: an image that becomes smaller than ``filter_size`` at the last
            scale; dtypes that differ.
    """
    x, y, peak = _float_pair(img1, img2, max_val)
    terms = []
    for k in range(len(power_factors)):
        if k:
            x, y = _halve(x), _halve(y)
        luminance, cs = _ssim_maps(x, y, peak, filter_size, filter_sigma, k1, k2)
        if k < len(power_factors) - 1:
            terms.append(relu(reduce_mean(cs, [-3, -2])))
        else:
            terms.append(relu(reduce_mean(luminance * cs, [-3, -2])))
    factors = np.asarray(power_factors, dtype=np.float32)
    per_channel = reduce_prod(tf_pow(stack(terms, axis=-1), factors), [-1])
    return reduce_mean(per_channel, [-1])
