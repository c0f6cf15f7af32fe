"""Records TensorFlow's ``FusedBatchNormV3`` / ``FusedBatchNormGradV3`` (values, errors,
first and second order gradients) into ``tests/fixtures/fused_batch_norm.json``.

Run it where TensorFlow is installed (the test suite never imports it)::

    TF_CPP_MIN_LOG_LEVEL=3 /path/to/tf-venv/bin/python tests/ops/record_fused_batch_norm_fixtures.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import tensorflow as tf

FIXTURE = Path(__file__).parents[1] / "fixtures" / "fused_batch_norm.json"

# (shape, data_format, is_training, epsilon, exponential_avg_factor, dtype)
FORWARD_CASES = [
    ((2, 3, 2, 3), "NHWC", True, 1e-3, 1.0, "float32"),
    ((2, 3, 2, 3), "NHWC", True, 1e-3, 0.1, "float32"),
    ((2, 3, 2, 3), "NHWC", False, 1e-3, 1.0, "float32"),
    ((2, 4, 3, 2), "NCHW", True, 1e-4, 1.0, "float32"),
    ((2, 4, 3, 2), "NCHW", False, 1e-4, 1.0, "float32"),
    ((2, 2, 2, 2, 3), "NDHWC", True, 1e-3, 0.5, "float32"),
    ((2, 3, 2, 2, 2), "NCDHW", True, 1e-3, 1.0, "float32"),
    ((1, 1, 1, 2), "NHWC", True, 1e-3, 1.0, "float32"),
    ((3, 2, 2, 4), "NHWC", True, 1e-3, 0.01, "float16"),
    ((3, 2, 2, 4), "NHWC", False, 1e-3, 1.0, "float16"),
    ((3, 2, 2, 4), "NHWC", True, 1e-3, 1.0, "bfloat16"),
]

ERROR_CASES = {
    "rank3": {"x": (3, 2, 3)},
    "scale_rank": {"scale": (1, 3)},
    "scale_size": {"scale": (2,)},
    "offset_size": {"offset": (4,)},
    "variance_rank": {"variance": (1, 3)},
    "mean_size_inference": {"mean": (2,), "is_training": False},
    "mean_size_ema": {"mean": (2,), "exponential_avg_factor": 0.5},
}

GRAD_ERROR_CASES = {
    "shapes": {"y_backprop": (1, 3, 2, 3)},
    "rank3": {"x": (3, 2, 3), "y_backprop": (3, 2, 3)},
    "scale_rank": {"scale": (1, 3)},
    "saved_mean_size": {"reserve_space_1": (2,)},
    "saved_variance_rank": {"reserve_space_2": (1, 3)},
    "nchw_inference": {"data_format": "NCHW", "is_training": False},
}


def _message(error) -> str:
    text = re.sub(r"^\{\{function_node [^}]*\}\} ", "", error.message)
    return text.split(" [Op:")[0]


def _list(t) -> list:
    return np.asarray(tf.cast(t, tf.float32)).tolist()


def _forward(shape, data_format, is_training, epsilon, factor, dtype, seed):
    rng = np.random.default_rng(seed)
    channels = shape[1] if data_format.startswith("NC") else shape[-1]
    x = tf.cast(rng.standard_normal(shape).astype(np.float32) * 2 + 0.5, dtype)
    scale = rng.uniform(0.5, 2.0, channels).astype(np.float32)
    offset = rng.standard_normal(channels).astype(np.float32)
    mean = rng.standard_normal(channels).astype(np.float32)
    variance = rng.uniform(0.5, 2.0, channels).astype(np.float32)
    dy = tf.cast(rng.standard_normal(shape).astype(np.float32), dtype)
    w_dx = rng.standard_normal(shape).astype(np.float32)
    w_ds = rng.standard_normal(channels).astype(np.float32)
    s, o = tf.constant(scale), tf.constant(offset)
    with tf.GradientTape(persistent=True) as outer:
        outer.watch([x, s])
        with tf.GradientTape() as inner:
            inner.watch([x, s, o])
            outs = tf.raw_ops.FusedBatchNormV3(
                x=x,
                scale=s,
                offset=o,
                mean=mean,
                variance=variance,
                epsilon=epsilon,
                exponential_avg_factor=factor,
                data_format=data_format,
                is_training=is_training,
            )
            loss = tf.reduce_sum(tf.cast(outs[0], tf.float32) * tf.cast(dy, tf.float32))
        dx, ds, do = inner.gradient(loss, [x, s, o])
        second = tf.reduce_sum(tf.cast(dx, tf.float32) * w_dx) + tf.reduce_sum(ds * w_ds)
    ddx, dds = outer.gradient(second, [x, s])
    case = {
        "shape": list(shape),
        "data_format": data_format,
        "is_training": is_training,
        "epsilon": epsilon,
        "exponential_avg_factor": factor,
        "dtype": dtype,
        "x": _list(x),
        "scale": scale.tolist(),
        "offset": offset.tolist(),
        "mean": mean.tolist(),
        "variance": variance.tolist(),
        "dy": _list(dy),
        "w_dx": w_dx.tolist(),
        "w_ds": w_ds.tolist(),
        "y": _list(outs[0]),
        "batch_mean": _list(outs[1]),
        "batch_variance": _list(outs[2]),
        "dx": _list(dx),
        "dscale": _list(ds),
        "doffset": _list(do),
        "ddx": _list(ddx),
        "ddscale": _list(dds),
    }
    if is_training:
        # Without training TF's CPU kernel leaves the reserve spaces unwritten.
        case["reserve_space_1"] = _list(outs[3])
        case["reserve_space_2"] = _list(outs[4])
        case["reserve_space_3_shape"] = list(outs[5].shape)
    return case


def _errors(function, defaults, cases) -> dict:
    out = {}
    for name, change in cases.items():
        kwargs = dict(defaults)
        for key, value in change.items():
            kwargs[key] = np.ones(value, np.float32) if isinstance(value, tuple) else value
        try:
            function(**kwargs)
        except tf.errors.InvalidArgumentError as e:
            out[name] = {"change": {k: list(v) if isinstance(v, tuple) else v
                                    for k, v in change.items()},
                         "message": _message(e)}  # fmt: skip
        else:
            raise AssertionError(f"{name} did not raise")
    return out


def main() -> None:
    x = np.ones((2, 3, 2, 3), np.float32)
    c = np.ones(3, np.float32)
    forward = dict(x=x, scale=c, offset=c, mean=c, variance=c)
    grad = dict(y_backprop=x, x=x, scale=c, reserve_space_1=c, reserve_space_2=c, reserve_space_3=c)
    data = {
        "forward": [_forward(*case, seed=i) for i, case in enumerate(FORWARD_CASES)],
        "errors": _errors(tf.raw_ops.FusedBatchNormV3, forward, ERROR_CASES),
        "grad_errors": _errors(tf.raw_ops.FusedBatchNormGradV3, grad, GRAD_ERROR_CASES),
    }
    FIXTURE.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    print(f"wrote {FIXTURE} ({FIXTURE.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
