"""The attention configurations the fixtures record; shared by the recording script
(run with real TensorFlow) and the tests (run with tensorflux)."""

import numpy as np

# name -> (layer class, constructor kwargs, input shapes [query, value(, key)],
#          masks: None | "qv" (query and value masks) | "attention" (MHA attention_mask),
#          use_causal_mask)
DENSE_CASES = {
    "dot": ("Attention", {}, [(2, 3, 4), (2, 5, 4)], None, False),
    "dot_scale_key": (
        "Attention",
        {"use_scale": True},
        [(2, 3, 4), (2, 5, 4), (2, 5, 4)],
        None,
        False,
    ),
    "dot_masks": ("Attention", {}, [(2, 3, 4), (2, 5, 4)], "qv", False),
    "dot_causal": ("Attention", {}, [(2, 4, 3), (2, 4, 3)], None, True),
    "concat": ("Attention", {"score_mode": "concat"}, [(2, 3, 4), (2, 5, 4)], None, False),
    "concat_scale_masks": (
        "Attention",
        {"score_mode": "concat", "use_scale": True},
        [(2, 3, 4), (2, 5, 4)],
        "qv",
        False,
    ),
    "additive": ("AdditiveAttention", {}, [(2, 3, 4), (2, 5, 4)], None, False),
    "additive_noscale_masks_causal": (
        "AdditiveAttention",
        {"use_scale": False},
        [(2, 4, 3), (2, 4, 3), (2, 4, 3)],
        "qv",
        True,
    ),
}

MHA_CASES = {
    "self": ({"num_heads": 2, "key_dim": 3}, [(2, 4, 5), (2, 4, 5)], None, False),
    "cross_key": ({"num_heads": 2, "key_dim": 2}, [(2, 3, 4), (2, 5, 4), (2, 5, 6)], None, False),
    "mask": ({"num_heads": 3, "key_dim": 2}, [(2, 3, 4), (2, 5, 4)], "attention", False),
    "causal": ({"num_heads": 2, "key_dim": 2}, [(2, 4, 3), (2, 4, 3)], None, True),
    "value_dim_output_shape": (
        {"num_heads": 2, "key_dim": 3, "value_dim": 4, "output_shape": (2, 3)},
        [(2, 3, 4), (2, 5, 4)],
        None,
        False,
    ),
    "no_bias_int_output": (
        {"num_heads": 1, "key_dim": 3, "use_bias": False, "output_shape": 6},
        [(2, 3, 4), (2, 3, 4)],
        "attention",
        True,
    ),
    "axes_2": (
        {"num_heads": 2, "key_dim": 2, "attention_axes": 2},
        [(2, 2, 3, 4), (2, 2, 5, 4)],
        None,
        False,
    ),
    "axes_12": (
        {"num_heads": 2, "key_dim": 2, "attention_axes": (1, 2)},
        [(1, 2, 3, 4), (1, 3, 2, 4)],
        None,
        False,
    ),
}


def case_inputs(name, shapes):
    """The inputs of a case, drawn from a seed derived from its name."""
    rng = np.random.default_rng(sum(map(ord, name)))
    return [rng.normal(size=s).astype("float32") for s in shapes]


def case_weights(name, shapes):
    rng = np.random.default_rng(1000 + sum(map(ord, name)))
    return [rng.uniform(-0.8, 0.8, size=s).astype("float32") for s in shapes]


def case_masks(name, kind, shapes):
    """Masks with at least one True per row, so no softmax row is entirely masked."""
    rng = np.random.default_rng(2000 + sum(map(ord, name)))
    if kind == "qv":
        out = []
        for shape in shapes[:2]:
            m = rng.uniform(size=shape[:2]) > 0.3
            m[:, 0] = True
            out.append(m)
        return out
    if kind == "attention":
        q, v = shapes[0], shapes[1]
        m = rng.uniform(size=(q[0], q[1], v[1])) > 0.3
        m[..., 0] = True
        return [m]
    return []


def cotangent(name, shape):
    """Weights of the scalar ``sum(output * cotangent)`` whose gradients are recorded."""
    rng = np.random.default_rng(3000 + sum(map(ord, name)))
    return rng.uniform(0.5, 1.5, size=shape).astype("float32")
