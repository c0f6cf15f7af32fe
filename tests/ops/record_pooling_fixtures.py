"""Records reference values of TF's pooling ops into tests/fixtures/pooling_ops.json.

Run with a Python that has TensorFlow installed (the test suite itself never imports it):

    python tests/ops/record_pooling_fixtures.py

Inputs are drawn here and stored with the results, rounded so that JSON keeps them
exactly. Each case records the forward value, the gradient for a stored output gradient
and, for max pooling, the second-order op (MaxPoolGradGrad / MaxPool3DGradGrad) on a
stored input-shaped tensor.
"""

import json
import os

import numpy as np
import tensorflow as tf

OUT = os.path.join(os.path.dirname(__file__), "..", "fixtures", "pooling_ops.json")
rng = np.random.default_rng(7)


def distinct(shape):
    """Values without ties: a random permutation of a grid, as float32."""
    n = int(np.prod(shape))
    return (rng.permutation(n).reshape(shape) / 8.0 - n / 16.0).astype(np.float32)


def tied(shape):
    """Small integers: many ties inside each window."""
    return rng.integers(0, 3, size=shape).astype(np.float32)


def grad_values(shape):
    return rng.integers(1, 9, size=shape).astype(np.float32)


def record_case(fn_name, x, ksize, strides, padding, data_format=None):
    fn = getattr(tf.nn, fn_name)
    xt = tf.constant(x)
    kwargs = {} if data_format is None else {"data_format": data_format}
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(xt)
        y = fn(xt, ksize, strides, padding, **kwargs)
        dy = tf.constant(grad_values(y.shape))
        tape.watch(dy)
        dx = tape.gradient(y, xt, output_gradients=dy)
    case = {
        "fn": fn_name,
        "x": x.tolist(),
        "ksize": ksize,
        "strides": strides,
        "padding": padding,
        "data_format": data_format,
        "y": y.numpy().tolist(),
        "dy": dy.numpy().tolist(),
        "dx": dx.numpy().tolist(),
    }
    if fn_name.startswith("max") and isinstance(padding, str):
        ddx = tf.constant(grad_values(x.shape))
        case["ddx"] = ddx.numpy().tolist()
        case["ddy"] = tape.gradient(dx, dy, output_gradients=ddx).numpy().tolist()
    return case


def value_cases():
    # No window larger than the input with SAME padding: there TF's CPU AvgPoolGrad
    # spreads a window's gradient over cells outside it (its GetBroadcastSize resets the
    # clipped window to the whole input), which finite differences do not confirm.
    cases = []
    for fn in ("max_pool2d", "avg_pool2d"):
        for shape, k, s, p in [
            ((2, 5, 5, 3), 2, 2, "VALID"),
            ((2, 5, 5, 3), 2, 2, "SAME"),
            ((1, 6, 7, 2), 3, 2, "SAME"),
            ((1, 6, 7, 2), 3, 1, "VALID"),
            ((1, 5, 6, 2), [2, 3], [1, 2], "SAME"),
            ((1, 4, 4, 1), 1, 1, "VALID"),
            ((1, 7, 5, 1), 3, 3, "SAME"),
            ((1, 4, 5, 1), 4, 1, "SAME"),
            ((2, 5, 5, 2), [1, 3, 2, 1], [1, 2, 1, 1], "VALID"),
        ]:
            cases.append(record_case(fn, distinct(shape), k, s, p))
    cases.append(
        record_case("max_pool2d", distinct((1, 4, 5, 2)), 2, 1, [[0, 0], [1, 0], [0, 1], [0, 0]])
    )
    cases.append(record_case("max_pool1d", distinct((2, 5, 3)), 3, 2, [[0, 0], [2, 1], [0, 0]]))
    for fn in ("max_pool1d", "avg_pool1d"):
        for shape, k, s, p in [
            ((2, 7, 3), 2, 2, "VALID"),
            ((2, 7, 3), 3, 2, "SAME"),
            ((1, 5, 2), [2], [1], "SAME"),
        ]:
            cases.append(record_case(fn, distinct(shape), k, s, p))
    for fn in ("max_pool3d", "avg_pool3d"):
        for shape, k, s, p in [
            ((1, 4, 4, 4, 2), 2, 2, "VALID"),
            ((1, 3, 4, 5, 1), 2, 1, "SAME"),
            ((2, 3, 3, 3, 1), [1, 2, 3], [1, 2, 2], "SAME"),
        ]:
            cases.append(record_case(fn, distinct(shape), k, s, p))
    return cases


def forward_only_cases():
    """Depthwise max pooling and strides across channels, which TF cannot differentiate."""
    cases = []
    for shape, k, st, p in [
        ((1, 2, 4, 6), [1, 1, 1, 3], [1, 1, 1, 3], "VALID"),
        ((2, 3, 2, 4), [1, 1, 1, 2], [1, 1, 1, 2], "SAME"),
        ((1, 2, 4, 6), [1, 1, 1, 1], [1, 1, 1, 2], "VALID"),
        ((1, 4, 5, 3), [1, 2, 2, 1], [1, 1, 2, 2], "SAME"),
    ]:
        x = distinct(shape)
        y = tf.nn.max_pool2d(tf.constant(x), k, st, p)
        cases.append(
            {
                "fn": "max_pool2d",
                "x": x.tolist(),
                "ksize": k,
                "strides": st,
                "padding": p,
                "y": y.numpy().tolist(),
            }
        )
    return cases


def tie_cases():
    cases = []
    for shape, k, s, p in [
        ((1, 5, 5, 2), 3, 1, "SAME"),
        ((1, 6, 6, 1), 2, 2, "VALID"),
        ((2, 5, 4, 2), 3, 2, "SAME"),
        ((1, 4, 4, 1), 2, 1, "VALID"),
    ]:
        cases.append(record_case("max_pool2d", tied(shape), k, s, p))
    cases.append(record_case("max_pool2d", np.ones((1, 4, 4, 1), np.float32), 3, 1, "SAME"))
    for shape, k, s, p in [((1, 3, 4, 4, 1), 2, 1, "SAME"), ((1, 4, 4, 4, 2), 2, 2, "VALID")]:
        cases.append(record_case("max_pool3d", tied(shape), k, s, p))
    return cases


def argmax_cases():
    cases = []
    for x, k, s, p, batch in [
        (distinct((2, 5, 5, 3)), 2, 2, "SAME", False),
        (distinct((2, 5, 5, 3)), 3, 2, "VALID", True),
        (tied((2, 4, 5, 2)), 2, 1, "SAME", True),
        (tied((1, 5, 5, 1)), 3, 2, "SAME", False),
    ]:
        xt = tf.constant(x)
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(xt)
            y, arg = tf.nn.max_pool_with_argmax(xt, k, s, p, include_batch_in_index=batch)
            dy = tf.constant(grad_values(y.shape))
            tape.watch(dy)
            dx = tape.gradient(y, xt, output_gradients=dy)
        cases.append(
            {
                "x": x.tolist(),
                "ksize": k,
                "strides": s,
                "padding": p,
                "include_batch_in_index": batch,
                "y": y.numpy().tolist(),
                "argmax": arg.numpy().tolist(),
                "dy": dy.numpy().tolist(),
                "dx": dx.numpy().tolist(),
            }
        )
    return cases


def pool_cases():
    cases = []
    for shape, window, kind, strides, padding, dilations in [
        ((1, 6, 6, 2), [2, 2], "MAX", [2, 2], "SAME", None),
        ((1, 6, 7, 2), [2, 3], "AVG", None, "VALID", [2, 1]),
        ((2, 7, 2), [3], "MAX", None, "VALID", [2]),
        ((1, 7, 6, 1), [2, 2], "MAX", None, "VALID", [3, 2]),
        ((1, 4, 4, 4, 1), [2, 2, 2], "AVG", [2, 2, 2], "VALID", None),
    ]:
        x = distinct(shape)
        y = tf.nn.pool(
            tf.constant(x), window, kind, strides=strides, padding=padding, dilations=dilations
        )
        cases.append(
            {
                "x": x.tolist(),
                "window_shape": window,
                "pooling_type": kind,
                "strides": strides,
                "padding": padding,
                "dilations": dilations,
                "y": y.numpy().tolist(),
            }
        )
    return cases


# Calls that TF refuses: (expression, a fragment of TF's message that tensorflux repeats).
ERROR_CALLS = [
    (
        "tf.nn.max_pool2d(tf.ones((1, 4, 4, 1)), 0, 2, 'SAME')",
        "Sliding window ksize must be positive. The specified or inferred ksize is: 1,0,0,1",
    ),
    (
        "tf.nn.max_pool2d(tf.ones((1, 4, 4, 1)), -1, 1, 'SAME')",
        "Sliding window ksize must be positive.",
    ),
    ("tf.nn.max_pool2d(tf.ones((1, 4, 4, 1)), 2, 0, 'SAME')", "Stride must be > 0, but got 0"),
    (
        "tf.nn.avg_pool2d(tf.ones((1, 4, 4, 1)), 0, 2, 'SAME')",
        "ksize must be a positive int32 value, got:0",
    ),
    (
        "tf.nn.max_pool2d(tf.ones((4, 4, 1)), 2, 1, 'VALID')",
        "tensor_in_shape must have 2 spatial dimensions",
    ),
    ("tf.nn.max_pool3d(tf.ones((1, 4, 4, 1)), 2, 1, 'VALID')", "tensor_in must be 5-dimensional"),
    (
        "tf.nn.max_pool2d(tf.ones((1, 4, 4, 1)), [2, 2, 2], 1, 'VALID')",
        "ksize should be of length 1, 2 or 4. Received: ksize=[2, 2, 2] of length 3",
    ),
    (
        "tf.nn.max_pool3d(tf.ones((1, 4, 4, 4, 1)), [2, 2], 1, 'SAME')",
        "ksize should be of length 1, 3 or 5. Received: ksize=[2, 2] of length 2",
    ),
    (
        "tf.nn.max_pool2d(tf.ones((1, 4, 4, 1)), [2, 2, 1, 1], 1, 'VALID')",
        "Pooling is not yet supported on the batch dimension.",
    ),
    (
        "tf.nn.max_pool2d(tf.ones((1, 4, 4, 1)), 2, [2, 1, 1, 1], 'VALID')",
        "Pooling is not yet supported on the batch dimension.",
    ),
    (
        "tf.nn.max_pool2d(tf.ones((1, 4, 4, 1)), [1, 2, 2, 2], 1, 'VALID')",
        "MaxPooling supports exactly one of pooling across depth or pooling across width/height.",
    ),
    (
        "tf.nn.max_pool2d(tf.ones((1, 2, 2, 6)), [1, 1, 1, 4], [1, 1, 1, 4], 'VALID')",
        "Depthwise max pooling requires the depth window to evenly divide the input depth",
    ),
    (
        "tf.nn.max_pool2d(tf.ones((1, 2, 2, 6)), [1, 1, 1, 3], [1, 1, 1, 2], 'VALID')",
        "Depthwise max pooling requires the depth window to equal the depth stride",
    ),
    (
        "tf.nn.avg_pool2d(tf.ones((1, 2, 2, 6)), [1, 1, 1, 3], [1, 1, 1, 3], 'VALID')",
        "Non-spatial pooling is not yet supported. Volunteers? :)",
    ),
    (
        "tf.nn.max_pool3d(tf.ones((1, 2, 2, 2, 4)), [1, 1, 1, 1, 2], [1, 1, 1, 1, 2], 'VALID')",
        "Pooling is not yet supported on the depth dimension.",
    ),
    (
        "tf.nn.max_pool2d(tf.ones((1, 4, 4, 1)), 2, 1, 'valid')",
        'Value for attr \'padding\' of "valid" is not in the list of allowed values: "SAME", '
        '"VALID", "EXPLICIT"',
    ),
    (
        "tf.nn.avg_pool2d(tf.ones((1, 4, 4, 1)), 2, 1, 'same')",
        'Value for attr \'padding\' of "same" is not in the list of allowed values: "SAME", '
        '"VALID"',
    ),
    (
        "tf.nn.max_pool2d(tf.ones((1, 3, 3, 1)), 2, 2, 'SAME', data_format='NCHW')",
        "Default MaxPoolingOp only supports NHWC on device type CPU",
    ),
    (
        "tf.nn.avg_pool2d(tf.ones((1, 3, 3, 1)), 2, 2, 'SAME', data_format='NCHW')",
        "Default AvgPoolingOp only supports NHWC on device type CPU",
    ),
    (
        "tf.nn.max_pool3d(tf.ones((1, 3, 3, 3, 1)), 2, 2, 'SAME', data_format='NCDHW')",
        "Default Pooling3DOp only supports NDHWC on device type CPU",
    ),
    (
        "tf.nn.avg_pool3d(tf.ones((1, 3, 3, 3, 1)), 2, 2, 'SAME', data_format='NCDHW')",
        "Default Pooling3DOp only supports NDHWC on device type CPU",
    ),
    (
        "tf.nn.max_pool1d(tf.ones((1, 4, 1)), 2, 1, 'VALID', data_format='NCW')",
        "Default MaxPoolingOp only supports NHWC on device type CPU",
    ),
    (
        "tf.nn.avg_pool2d(tf.ones((1, 4, 4, 1), tf.int32), 2, 2, 'SAME')",
        "Value for attr 'T' of int32 is not in the list of allowed values",
    ),
    (
        "tf.nn.max_pool2d(tf.ones((1, 2, 2, 1)), 4, 1, 'VALID')",
        "Computed output size would be negative",
    ),
    (
        "tf.nn.max_pool2d(tf.ones((1, 4, 4, 1)), 2, 1, [[0, 0], [0, 2], [0, 0], [0, 0]])",
        "Bottom padding 2 needs to be smaller than the window size 2",
    ),
    (
        "tf.nn.max_pool2d(tf.ones((1, 4, 4, 1)), 2, 1, [[0, 0], [0, 0], [3, 0], [0, 0]])",
        "Left padding 3 needs to be smaller than the window size 2",
    ),
    (
        "tf.nn.max_pool2d(tf.ones((1, 4, 4, 1)), 2, 1, [[0, 0], [1, 1], [0, 0]])",
        "When padding is a list, it must be of size 4. Received: padding=[[0, 0], [1, 1], [0, 0]] "
        "of size 3",
    ),
    (
        "tf.nn.max_pool1d(tf.ones((1, 4, 1)), 2, 1, [[0, 0], [0, 0], [1, 1], [0, 0]])",
        "When padding is a list, it must be of size 3.",
    ),
    (
        "tf.nn.max_pool2d(tf.ones((1, 4, 4, 1)), 2, 1, [[1, 0], [0, 0], [1, 1], [0, 0]])",
        "Nonzero explicit padding in the batch or depth dimensions is not supported",
    ),
    (
        "tf.nn.max_pool2d(tf.ones((1, 4, 4, 1)), 2, 1, [[0, 0], [0, 0], [1, 1, 1], [0, 0]])",
        "When `padding` is a list, each element of `padding` must be a list/tuple of size 2. "
        "Received: padding=[[0, 0], [0, 0], [1, 1, 1], [0, 0]] with element at index 2 of size 3",
    ),
    (
        "tf.nn.max_pool(tf.ones((1, 4, 4, 4, 4, 1)), 2, 1, 'VALID')",
        "`input.shape.rank` must be 3, 4 or 5. Received: input.shape=(1, 4, 4, 4, 4, 1) of rank 6.",
    ),
    (
        "tf.nn.avg_pool(tf.ones((4, 1)), 2, 1, 'VALID')",
        "`input.shape.rank` must be 3, 4 or 5. Received: input.shape=(4, 1) of rank 2.",
    ),
    ("tf.nn.pool(tf.ones((1, 4, 4, 1)), [2], 'MAX')", "must have rank 3"),
    ("tf.nn.pool(tf.ones((1, 4, 1)), [2], 'SUM')", "1-D SUM pooling is not supported."),
    (
        "tf.nn.pool(tf.ones((1, 4, 1)), [2], 'AVG', strides=[2, 2])",
        "`len(strides)` should be 1. Received: strides=[2, 2] of length 2",
    ),
    (
        "tf.nn.pool(tf.ones((1, 5, 5, 1)), [2, 2], 'MAX', padding='SAME', dilations=[2, 2])",
        "pooling with 'SAME' padding is not implemented for `dilation_rate` > 1. Received: "
        "padding=SAME and dilation_rate=[2 2]",
    ),
    (
        "tf.nn.pool(tf.ones((1, 5, 5, 1)), [2, 2], 'AVG', strides=[2, 2], dilations=[2, 2])",
        "`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: "
        "strides=[2 2] and dilation_rate=[2 2]",
    ),
    (
        "tf.nn.pool(tf.ones((1, 4, 4, 4, 4, 1)), [2, 2, 2, 2], 'AVG')",
        "`len(window_shape)` must be 1, 2, or 3. Received: window_shape=[2, 2, 2, 2] of length 4",
    ),
    (
        "tf.nn.max_pool_with_argmax(tf.ones((1, 4, 4, 1)), 2, 2, 'SAME', data_format='NCHW')",
        "`data_format` values other  than 'NHWC' are not supported. Received: data_format=NCHW",
    ),
    (
        "tf.nn.max_pool_with_argmax(tf.ones((1, 4, 4, 1)), [2, 2, 2, 2], 2, 'SAME')",
        "Pooling is not yet supported on the batch dimension.",
    ),
]


def error_cases():
    cases = []
    for expr, fragment in ERROR_CALLS:
        try:
            eval(expr)  # noqa: S307 - our own expressions, shared with the tests
        except Exception as e:  # noqa: BLE001 - recording whatever TF raises
            message = str(e)
            if fragment not in message:
                raise AssertionError(f"{expr}: {fragment!r} is not in TF's {message!r}") from e
            cases.append({"expr": expr, "type": type(e).__name__, "fragment": fragment})
        else:
            raise AssertionError(f"{expr} did not raise in TF")
    return cases


def main():
    data = {
        "values": value_cases(),
        "forward_only": forward_only_cases(),
        "ties": tie_cases(),
        "argmax": argmax_cases(),
        "pool": pool_cases(),
        "errors": error_cases(),
    }
    with open(OUT, "w") as f:
        json.dump(data, f, separators=(",", ":"))
    print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
