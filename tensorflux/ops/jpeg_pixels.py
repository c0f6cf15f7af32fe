"""Plain JPEGs decoded straight through libjpeg's decoder in Pillow, for the decode ops
and the image dataset: the frame header is read here, not by Pillow's file reader.

Pillow's reader parses every header segment in Python first, with the GIL held: that
took about as long as the decoding of a small image, which runs without the GIL, so
decoding threads waited on each other. The frame header is all the decoder needs. Any
other file (or one that fails to decode) is left to the full reader, which reports it.
"""

from __future__ import annotations

import numpy as np

__all__: list = []

# Start-of-frame markers (baseline, extended, progressive, lossless and the arithmetic
# variants); 0xC4, 0xC8 and 0xCC are other segments.
_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
# Huffman-coded frames (baseline, extended, progressive) that libjpeg decodes from a
# whole file in memory in one call.
_HUFFMAN_FRAMES = frozenset({0xC0, 0xC1, 0xC2})
# An Adobe segment can name the colour transform; the full reader handles those files.
_ADOBE_MARKER = 0xEE
_MODES = {1: "L", 3: "RGB"}


def pil_image():
    """Pillow's Image module, imported on first use."""
    from PIL import Image

    return Image


def jpeg_frame(data: bytes) -> tuple | None:
    """``(marker, precision, height, width, components)`` of a JPEG's first
    start-of-frame segment, or None (not a JPEG, or no frame before the data ends). The
    marker is 0 when an Adobe segment comes before the frame."""
    if data[:2] != b"\xff\xd8":
        return None
    pos, adobe = 2, False
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker in _SOF_MARKERS:
            if pos + 10 > len(data):
                return None
            height = (data[pos + 5] << 8) | data[pos + 6]
            width = (data[pos + 7] << 8) | data[pos + 8]
            return 0 if adobe else marker, data[pos + 4], height, width, data[pos + 9]
        adobe = adobe or marker == _ADOBE_MARKER
        pos += 2 + ((data[pos + 2] << 8) | data[pos + 3])
    return None


def plain_frame(data: bytes) -> tuple | None:
    """``(height, width, components)`` of a plain 8-bit greyscale or colour JPEG that
    libjpeg decodes in one call, else None."""
    frame = jpeg_frame(data)
    if frame is None:
        return None
    marker, precision, height, width, components = frame
    if marker not in _HUFFMAN_FRAMES or precision != 8 or components not in _MODES:
        return None
    if not (height and width):
        return None
    return height, width, components


def plain_jpeg_pixels(data: bytes) -> np.ndarray | None:
    """The pixels of a plain JPEG (``plain_frame``), ``[h, w, c]`` uint8, decoded by the
    same libjpeg decoder with the same settings as Pillow's reader, or None for any other
    file or one that fails to decode."""
    frame = plain_frame(data)
    if frame is None:
        return None
    decoded, pixels = _decoded_into_one([data], *frame)
    return pixels[0] if decoded else None


def _decoded_into_one(datas: list, height: int, width: int, components: int) -> tuple:
    """JPEGs of one frame size decoded into the rows of one Pillow image, each as
    ``Image.frombytes`` decodes a file into a whole image: ``(indices of the files that
    decoded, their pixels [k, h, w, c] uint8)``."""
    image_mod = pil_image()
    mode = _MODES[components]
    # Not initialised (color None): every row is decoded into, or dropped with its file.
    canvas = image_mod.new(mode, (width, height * len(datas)), None)
    decoded = []
    for row, data in enumerate(datas):
        decoder = image_mod._getdecoder(mode, "jpeg", (mode, ""))
        decoder.setimage(canvas.im, (0, row * height, width, (row + 1) * height))
        consumed, error = decoder.decode(data)
        if consumed < 0 and error == 0:
            decoded.append(row)
    pixels = np.frombuffer(image_bytes(canvas), np.uint8)
    pixels = pixels.reshape(len(datas), height, width, components)
    return decoded, pixels if len(decoded) == len(datas) else pixels[decoded]


def image_bytes(image) -> bytes:
    """An 8-bit Pillow image's pixels, as ``image.tobytes()`` gives them, from one call
    of its raw encoder: ``tobytes`` encodes 64 KB at a time and joins the pieces, which
    took 48 us an image to copy out 32 96x128 RGB images in one, against 5 here."""
    size = image.width * image.height * len(image.getbands())
    encoder = pil_image()._getencoder(image.mode, "raw", (image.mode,))
    encoder.setimage(image.im, (0, 0, *image.size))
    _, status, data = encoder.encode(size + 1)
    if status != 1 or len(data) != size:
        return image.tobytes()
    return data


def plain_jpegs_together(datas: list, components: int, max_bytes: int) -> tuple[list, list]:
    """Plain JPEGs (``plain_frame``) of ``components`` channels, each of at most
    ``max_bytes`` pixels, decoded into one array for each frame size: ``([(positions in
    datas, pixels [k, h, w, c] uint8)], positions left)``. The files left (other kinds,
    larger ones, and ones that fail to decode) are for ``plain_jpeg_pixels`` or the full
    reader.

    The files of one size are decoded into the rows of one Pillow image, which is copied
    out once (``image_bytes``): a new image and a copy out of it for each file cost 30 us
    of a small image's 250 (2,000 96x128 JPEGs on two threads, decoded and resized:
    0.47-0.60 -> 0.35-0.45 s).
    """
    if components not in _MODES:
        return [], list(range(len(datas)))
    sizes: dict = {}
    left = []
    for position, data in enumerate(datas):
        frame = plain_frame(data)
        if frame is None or frame[2] != components or frame[0] * frame[1] * components > max_bytes:
            left.append(position)
        else:
            sizes.setdefault(frame[:2], []).append(position)
    groups = []
    for (height, width), positions in sizes.items():
        decoded, pixels = _decoded_into_one(
            [datas[p] for p in positions], height, width, components
        )
        kept = [positions[row] for row in decoded]
        if kept:
            groups.append((kept, pixels))
        left.extend(set(positions) - set(kept))
    return groups, sorted(left)
