"""Records TensorFlow's convolution, pooling and 8-bit bilinear resize results for the
oneDNN kernel tests.

Run with a Python that has TensorFlow 2.21 (the tests never import it):

    python tests/kernels/record_onednn_fixtures.py

Writes ``tests/fixtures/onednn_kernels.json``. Inputs are multiples of 0.5 so that they
are exact in JSON; each case stores the op's output and the gradients TF's own gradient
kernels give for a given output gradient.
"""

import json
from pathlib import Path

import numpy as np
import tensorflow as tf

OUT = Path(__file__).resolve().parents[1] / "fixtures" / "onednn_kernels.json"

CONV = [  # name, input shape, filter shape, strides, padding, explicit paddings, dilations
    ("valid_3x3", (2, 6, 7, 3), (3, 3, 3, 4), (1, 1), "VALID", [], (1, 1)),
    ("same_3x3", (2, 6, 7, 3), (3, 3, 3, 4), (1, 1), "SAME", [], (1, 1)),
    ("same_even_kernel_strided", (1, 7, 6, 2), (2, 4, 2, 3), (2, 3), "SAME", [], (1, 1)),
    ("valid_strided", (2, 9, 8, 2), (3, 3, 2, 2), (2, 2), "VALID", [], (1, 1)),
    ("same_dilated", (1, 8, 9, 2), (3, 2, 2, 3), (1, 1), "SAME", [], (2, 3)),
    ("explicit", (1, 5, 6, 2), (3, 3, 2, 2), (1, 1), "EXPLICIT", [0, 0, 1, 2, 0, 1, 0, 0], (1, 1)),
    ("batch1_one_output", (1, 4, 4, 3), (4, 4, 3, 2), (1, 1), "VALID", [], (1, 1)),
]
POOL = [  # name, op, input shape, window, strides, padding
    ("max_valid", "MaxPool", (2, 6, 6, 2), (2, 2), (2, 2), "VALID"),
    ("max_same_odd", "MaxPool", (1, 7, 5, 3), (3, 3), (2, 2), "SAME"),
    ("max_overlapping_ties", "MaxPool", (1, 5, 5, 2), (3, 3), (1, 1), "SAME"),
    ("avg_valid", "AvgPool", (2, 6, 6, 2), (2, 2), (2, 2), "VALID"),
    ("avg_same_odd", "AvgPool", (1, 7, 5, 3), (3, 3), (2, 2), "SAME"),
    ("avg_same_strided", "AvgPool", (2, 5, 6, 1), (2, 3), (3, 2), "SAME"),
]

RESIZE = [  # name, dtype, input shape, output size: scales oneDNN runs (exact in float32)
    ("uint8_down_to_16", "uint8", (1, 24, 32, 3), (16, 16)),
    ("uint8_up_odd_to_powers_of_two", "uint8", (1, 5, 7, 3), (16, 8)),
    ("uint8_down_odd_to_mixed", "uint8", (1, 25, 37, 1), (16, 4)),
    ("int8_down_to_7", "int8", (2, 56, 28, 2), (7, 14)),
]


def _halves(rng, shape, low=-3, high=4):
    return (rng.integers(low, high, size=shape) * 0.5).astype(np.float32)


def _conv_case(rng, name, x_shape, w_shape, strides, padding, explicit, dilations):
    x, w = _halves(rng, x_shape), _halves(rng, w_shape)
    attrs = {
        "strides": [1, *strides, 1],
        "padding": padding,
        "explicit_paddings": explicit,
        "data_format": "NHWC",
        "dilations": [1, *dilations, 1],
    }
    y = tf.raw_ops.Conv2D(input=x, filter=w, **attrs).numpy()
    case = {
        "name": name,
        "op": "Conv2D",
        "attrs": attrs,
        "input": x.tolist(),
        "filter": w.tolist(),
        "output": y.tolist(),
    }
    if max(dilations) > 1:
        return case  # TF's CPU gradient kernels refuse dilations
    dy = _halves(rng, y.shape)
    dx = tf.raw_ops.Conv2DBackpropInput(
        input_sizes=x.shape, filter=w, out_backprop=dy, **attrs
    ).numpy()
    dw = tf.raw_ops.Conv2DBackpropFilter(
        input=x, filter_sizes=w.shape, out_backprop=dy, **attrs
    ).numpy()
    case.update(out_backprop=dy.tolist(), input_grad=dx.tolist(), filter_grad=dw.tolist())
    return case


def _pool_case(rng, name, op, x_shape, window, strides, padding):
    # Few distinct values, so windows hold tied maxima.
    x = _halves(rng, x_shape, -2, 2)
    attrs = {
        "ksize": [1, *window, 1],
        "strides": [1, *strides, 1],
        "padding": padding,
        "data_format": "NHWC",
    }
    if op == "MaxPool":
        y = tf.raw_ops.MaxPool(input=x, **attrs).numpy()
        grad = _halves(rng, y.shape)
        dx = tf.raw_ops.MaxPoolGrad(orig_input=x, orig_output=y, grad=grad, **attrs).numpy()
    else:
        y = tf.raw_ops.AvgPool(value=x, **attrs).numpy()
        grad = _halves(rng, y.shape)
        dx = tf.raw_ops.AvgPoolGrad(orig_input_shape=x.shape, grad=grad, **attrs).numpy()
    return {
        "name": name,
        "op": op,
        "attrs": attrs,
        "input": x.tolist(),
        "output": y.tolist(),
        "grad": grad.tolist(),
        "input_grad": dx.tolist(),
    }


def _resize_case(rng, name, dtype, x_shape, size):
    info = np.iinfo(dtype)
    x = rng.integers(info.min, info.max + 1, size=x_shape).astype(dtype)
    y = tf.raw_ops.ResizeBilinear(images=x, size=size, half_pixel_centers=True).numpy()
    return {
        "name": name,
        "op": "ResizeBilinear",
        "dtype": dtype,
        "input": x.tolist(),
        "size": list(size),
        "output": y.tolist(),
    }


def main():
    rng = np.random.default_rng(2021)
    cases = [_conv_case(rng, *c) for c in CONV] + [_pool_case(rng, *c) for c in POOL]
    resize_rng = np.random.default_rng(2022)
    cases += [_resize_case(resize_rng, *c) for c in RESIZE]
    OUT.write_text(json.dumps(cases, separators=(",", ":")) + "\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
