"""Records Keras 2 (``tf_keras``) attention-layer results into
``tests/fixtures/attention_layers.json``.

Run it where TensorFlow and tf_keras are installed (the tests never import them)::

    python tests/keras/layers/record_attention_fixtures.py

For each case of ``attention_cases``: the layer is built on the case's inputs, its
weights set to seeded values, and the outputs, the attention scores, the gradients of
``sum(output * cotangent)`` with respect to the inputs and the weights, the weight
names and shapes, and the config are recorded; and a functional model using the three
layers is saved as ``tests/fixtures/keras_formats/attention.tfk.keras`` with its
predictions.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))
FIXTURE = HERE.parents[1] / "fixtures" / "attention_layers.json"
MODEL_FILE = HERE.parents[1] / "fixtures" / "keras_formats" / "attention.tfk.keras"

from tests.keras.layers import attention_cases as ac  # noqa: E402


def _arr(a):
    return np.asarray(a, np.float32).round(7).tolist()


def _config(layer):
    # TensorShapes and tuples as JSON has them (lists), as a .keras file stores them.
    def plain(v):
        if hasattr(v, "as_list"):
            return v.as_list()
        if isinstance(v, tuple):
            return list(v)
        return v

    return {k: plain(v) for k, v in layer.get_config().items()}


def _record(layer, call, inputs, weight_shapes_from, name, tf):
    tensors = [tf.constant(x) for x in inputs]
    call(tensors)  # builds
    weights = ac.case_weights(name, [tuple(w.shape) for w in weight_shapes_from.weights])
    layer.set_weights(weights)
    with tf.GradientTape(persistent=True) as tape:
        for t in tensors:
            tape.watch(t)
        out, scores = call(tensors)
        scalar = tf.reduce_sum(out * ac.cotangent(name, tuple(out.shape)))
    grads_in = tape.gradient(scalar, tensors)
    grads_w = tape.gradient(scalar, layer.trainable_weights)
    return {
        "inputs": [_arr(x) for x in inputs],
        "weights": [_arr(w) for w in weights],
        "weight_names": [w.name for w in layer.weights],
        "weight_shapes": [list(w.shape) for w in layer.weights],
        "output": _arr(out),
        "scores": _arr(scores),
        "input_grads": [_arr(g) for g in grads_in],
        "weight_grads": [_arr(g) for g in grads_w],
        "config": _config(layer),
    }


def record_dense(name, keras, tf):
    cls_name, kwargs, shapes, mask_kind, causal = ac.DENSE_CASES[name]
    layer = getattr(keras.layers, cls_name)(**kwargs)
    masks = ac.case_masks(name, mask_kind, shapes)

    def call(tensors):
        opts = {"return_attention_scores": True, "use_causal_mask": causal}
        if masks:
            opts["mask"] = [tf.constant(m) for m in masks]
        return layer(tensors, **opts)

    case = _record(layer, call, ac.case_inputs(name, shapes), layer, name, tf)
    case["masks"] = [m.tolist() for m in masks]
    return case


def record_mha(name, keras, tf):
    kwargs, shapes, mask_kind, causal = ac.MHA_CASES[name]
    layer = keras.layers.MultiHeadAttention(**kwargs)
    masks = ac.case_masks(name, mask_kind, shapes)

    def call(tensors):
        return layer(
            tensors[0],
            tensors[1],
            key=tensors[2] if len(tensors) > 2 else None,
            attention_mask=tf.constant(masks[0]) if masks else None,
            return_attention_scores=True,
            use_causal_mask=causal,
        )

    case = _record(layer, call, ac.case_inputs(name, shapes), layer, name, tf)
    case["masks"] = [m.tolist() for m in masks]
    return case


def record_model(keras, tf):
    """A functional model with all three layers, saved by tf_keras as ``.keras``, and
    its predictions, so that loading tf_keras's file is checked too."""
    query = keras.Input((4, 5), name="query")
    value = keras.Input((6, 5), name="value")
    mixed = keras.layers.MultiHeadAttention(2, 3, name="mha")(query, value, use_causal_mask=True)
    dotted = keras.layers.Attention(use_scale=True, score_mode="concat", name="att")([mixed, value])
    added = keras.layers.AdditiveAttention(name="add")([dotted, value])
    model = keras.Model([query, value], added)
    model.set_weights(ac.case_weights("model", [tuple(w.shape) for w in model.weights]))
    inputs = ac.case_inputs("model", [(2, 4, 5), (2, 6, 5)])
    model.save(MODEL_FILE)
    return {
        "inputs": [_arr(x) for x in inputs],
        "output": _arr(model.predict(inputs, verbose=0)),
        "weight_names": [w.name for w in model.weights],
    }


def main():
    import tensorflow as tf
    import tf_keras as keras

    tf.keras.utils.set_random_seed(0)
    out = {
        "dense": {name: record_dense(name, keras, tf) for name in ac.DENSE_CASES},
        "mha": {name: record_mha(name, keras, tf) for name in ac.MHA_CASES},
        "model": record_model(keras, tf),
    }
    FIXTURE.write_text(json.dumps(out, separators=(",", ":")))
    for path in (FIXTURE, MODEL_FILE):
        print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
