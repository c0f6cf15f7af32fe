"""``tf.image``: resizing, crops and flips, colour conversions and adjustments, image
measures, the random augmentations, and the image codecs."""

# Registers ImageProjectiveTransformV3 (the augmentation layers' op) with the others.
from tensorflux.ops import image_transform_ops as _image_transform_ops  # noqa: F401
from tensorflux.ops.image_box_ops import (  # noqa: F401
    draw_bounding_boxes,
    non_max_suppression,
    non_max_suppression_with_scores,
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
from tensorflux.ops.image_color_ops import (  # noqa: F401
    adjust_brightness,
    adjust_contrast,
    adjust_gamma,
    adjust_hue,
    adjust_saturation,
    convert_image_dtype,
    grayscale_to_rgb,
    hsv_to_rgb,
    per_image_standardization,
    rgb_to_grayscale,
    rgb_to_hsv,
    rgb_to_yiq,
    rgb_to_yuv,
    yiq_to_rgb,
    yuv_to_rgb,
)
from tensorflux.ops.image_crop_resize_ops import crop_and_resize  # noqa: F401
from tensorflux.ops.image_distort_box_ops import (  # noqa: F401
    sample_distorted_bounding_box,
    stateless_sample_distorted_bounding_box,
)
from tensorflux.ops.image_geometry_ops import (  # noqa: F401
    central_crop,
    crop_to_bounding_box,
    flip_left_right,
    flip_up_down,
    pad_to_bounding_box,
    resize_with_crop_or_pad,
    rot90,
    transpose,
)
from tensorflux.ops.image_glimpse_ops import extract_glimpse  # noqa: F401
from tensorflux.ops.image_jpeg_ops import (  # noqa: F401
    adjust_jpeg_quality,
    decode_and_crop_jpeg,
    decode_webp,
    extract_jpeg_shape,
    random_jpeg_quality,
    stateless_random_jpeg_quality,
)
from tensorflux.ops.image_metrics import (  # noqa: F401
    image_gradients,
    psnr,
    sobel_edges,
    ssim,
    total_variation,
)
from tensorflux.ops.image_ms_ssim import ssim_multiscale  # noqa: F401
from tensorflux.ops.image_nms_ops import (  # noqa: F401
    combined_non_max_suppression,
    non_max_suppression_overlaps,
)
from tensorflux.ops.image_nms_padded import non_max_suppression_padded  # noqa: F401
from tensorflux.ops.image_patches_ops import extract_patches  # noqa: F401
from tensorflux.ops.image_proposal_ops import generate_bounding_box_proposals  # noqa: F401
from tensorflux.ops.image_random_ops import (  # noqa: F401
    random_brightness,
    random_contrast,
    random_crop,
    random_flip_left_right,
    random_flip_up_down,
    random_hue,
    random_saturation,
    stateless_random_brightness,
    stateless_random_contrast,
    stateless_random_crop,
    stateless_random_flip_left_right,
    stateless_random_flip_up_down,
    stateless_random_hue,
    stateless_random_saturation,
)
from tensorflux.ops.image_resizing import ResizeMethod, resize, resize_with_pad  # noqa: F401


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.image", __name__, name)
