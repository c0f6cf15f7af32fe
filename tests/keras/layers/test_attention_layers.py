"""Attention layers: the layer harness (shapes, weights, config round trip, eager vs
``tf.function``, a training step), one graph for every sequence length, masks from
Keras tensors, dropout, first and second input gradients against finite
differences, saving to ``.keras`` (ours and tf_keras's files) and Keras 2's
errors for bad input."""

import json
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.testing.gradient_check import check_gradients
from tensorflux.testing.layer_test import run_layer_test
from tensorflux.testing.trace_check import check_one_graph

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
layers = tf.keras.layers


class ListCallMHA(layers.MultiHeadAttention):
    """MultiHeadAttention called on ``[query, value]``, the form the harness calls."""

    def call(self, inputs, training=None):
        return super().call(inputs[0], inputs[1], training=training)

    def compute_output_shape(self, input_shape):
        return super().compute_output_shape(*input_shape)


@pytest.mark.parametrize(
    "cls,kwargs,weights",
    [
        (layers.Attention, {}, 0),
        (layers.Attention, {"use_scale": True, "score_mode": "concat", "dropout": 0.1}, 2),
        (layers.AdditiveAttention, {}, 1),
        (layers.AdditiveAttention, {"use_scale": False}, 0),
    ],
)
def test_dense_attention_harness(cls, kwargs, weights):
    run_layer_test(
        cls,
        kwargs,
        input_shape=[(2, 3, 4), (2, 5, 4)],
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=weights,
        supports_masking=True,
    )


@pytest.mark.parametrize(
    "kwargs,shape",
    [
        ({"num_heads": 2, "key_dim": 3}, (2, 3, 4)),
        ({"num_heads": 2, "key_dim": 3, "value_dim": 2, "output_shape": (2, 3)}, (2, 3, 2, 3)),
        ({"num_heads": 1, "key_dim": 2, "use_bias": False, "dropout": 0.2}, (2, 3, 4)),
    ],
)
def test_multi_head_attention_harness(kwargs, shape):
    run_layer_test(
        ListCallMHA,
        kwargs,
        input_shape=[(2, 3, 4), (2, 5, 4)],
        expected_output_shape=shape,
        expected_num_trainable_weights=8 if kwargs.get("use_bias", True) else 4,
        custom_objects={"ListCallMHA": ListCallMHA},
    )


def test_one_graph_serves_every_sequence_length():
    rng = np.random.default_rng(0)
    att = layers.Attention()
    mha = layers.MultiHeadAttention(2, 3)

    def fn(q, v):
        return (
            att([q, v], use_causal_mask=True),
            mha(q, v, use_causal_mask=True, return_attention_scores=True),
        )

    spec = tf.TensorSpec([None, None, 4], tf.float32)
    calls = [
        tuple(tf.constant(rng.normal(size=(b, t, 4)).astype("float32")) for _ in range(2))
        for b, t in ((2, 3), (1, 5))
    ]
    fn(*calls[0])  # builds the weights eagerly
    check_one_graph(fn, [spec, spec], calls)


def test_causal_mask_hides_later_positions():
    q = tf.constant(np.random.default_rng(1).normal(size=(1, 4, 3)).astype("float32"))
    _, scores = layers.Attention()([q, q], return_attention_scores=True, use_causal_mask=True)
    assert np.all(np.triu(scores.numpy()[0], 1) == 0)
    _, scores = layers.MultiHeadAttention(2, 2)(
        q, q, return_attention_scores=True, use_causal_mask=True
    )
    assert np.all(np.triu(scores.numpy()[0, 1], 1) == 0)


def test_keras_masks_reach_the_attention():
    tokens = np.array([[1, 2, 0], [3, 0, 0]])
    inputs = tf.keras.Input((None,), dtype="int32")
    embedded = layers.Embedding(10, 4, mask_zero=True)(inputs)
    _, mha_scores = layers.MultiHeadAttention(2, 2)(
        embedded, embedded, return_attention_scores=True
    )
    _, att_scores = layers.Attention()([embedded, embedded], return_attention_scores=True)
    model = tf.keras.Model(inputs, [mha_scores, att_scores])
    mha_scores, att_scores = (s.numpy() for s in model(tokens))
    # Padded keys get no weight from any real query.
    assert np.all(att_scores[1, :, 1:] < 1e-6) and np.all(att_scores[0, :, 2] < 1e-6)
    assert np.all(mha_scores[1, :, 0, 1:] < 1e-6)


def test_dropout_only_while_training():
    layer = layers.Attention(dropout=0.5)
    q = tf.ones((2, 3, 4))
    v = tf.constant(np.arange(40, dtype="float32").reshape(2, 5, 4))
    out, scores = layer([q, v, q[:, :1] * tf.ones((2, 5, 4))], return_attention_scores=True)
    np.testing.assert_allclose(scores.numpy(), 0.2, rtol=1e-6)  # equal keys: uniform
    trained = layer([q, v], training=True).numpy()
    out = layer([q, v])
    assert not np.allclose(trained, out.numpy())
    mha = layers.MultiHeadAttention(2, 2, dropout=0.5)
    np.testing.assert_allclose(mha(q, v).numpy(), mha(q, v, training=False).numpy())


def _model():
    query = tf.keras.Input((4, 5))
    value = tf.keras.Input((6, 5))
    mixed = layers.MultiHeadAttention(2, 3, attention_axes=1)(query, value)
    out = layers.AdditiveAttention()([layers.Attention(use_scale=True)([mixed, value]), value])
    return tf.keras.Model([query, value], out)


def test_keras_file_round_trip(tmp_path):
    model = _model()
    rng = np.random.default_rng(2)
    x = [rng.normal(size=(2, 4, 5)).astype("float32"), rng.normal(size=(2, 6, 5)).astype("float32")]
    want = model.predict(x, verbose=0)
    model.save(tmp_path / "attention.keras")
    loaded = tf.keras.models.load_model(tmp_path / "attention.keras")
    assert [w.name for w in loaded.weights] == [w.name for w in model.weights]
    np.testing.assert_allclose(loaded.predict(x, verbose=0), want, rtol=1e-6)


def test_loads_tf_keras_file():
    want = json.loads((FIXTURES / "attention_layers.json").read_text())["model"]
    model = tf.keras.models.load_model(FIXTURES / "keras_formats" / "attention.tfk.keras")
    x = [np.array(v, np.float32) for v in want["inputs"]]
    np.testing.assert_allclose(model.predict(x, verbose=0), want["output"], rtol=1e-5, atol=1e-5)
    assert [w.name.split("/", 1)[1] for w in model.weights] == [
        n.split("/", 1)[1] for n in want["weight_names"]
    ]


def test_bad_inputs_raise_keras_errors():
    q = tf.ones((1, 2, 3))
    with pytest.raises(ValueError, match=r"must be called on a list of inputs"):
        layers.Attention()(q)
    with pytest.raises(ValueError, match=r"accepts inputs list of length 2 or 3"):
        layers.Attention()([q])
    with pytest.raises(ValueError, match=r"mask must be a list, namely"):
        layers.AdditiveAttention()([q, q], mask=tf.ones((1, 2), tf.bool))
    with pytest.raises(ValueError, match=r"mask must be a list of length 2"):
        layers.Attention()([q, q], mask=[tf.ones((1, 2), tf.bool)])
    with pytest.raises(ValueError, match=r'score_mode=dots. Acceptable values are: \["dot"'):
        layers.Attention(score_mode="dots")
    mha = layers.MultiHeadAttention(2, 2)
    with pytest.raises(ValueError, match=r"last dimension of `query_shape` and `value_shape`"):
        mha.compute_output_shape((None, 2, 3), (None, 4, 5))
    with pytest.raises(ValueError, match=r"All dimensions of `value` and `key`"):
        mha.compute_output_shape((None, 2, 3), (None, 4, 3), (None, 5, 3))


def test_multi_head_attention_config_without_shapes_builds_on_call():
    layer = layers.MultiHeadAttention.from_config(layers.MultiHeadAttention(2, 2).get_config())
    assert not layer.weights
    layer(tf.ones((1, 2, 3)), tf.ones((1, 4, 3)))
    assert len(layer.weights) == 8
    assert layer.get_config()["query_shape"] == [1, 2, 3]


@pytest.mark.parametrize(
    "make",
    [
        lambda: layers.Attention(use_scale=True, dtype="float64"),
        lambda: layers.Attention(score_mode="concat", dtype="float64"),
        lambda: layers.AdditiveAttention(dtype="float64"),
        lambda: layers.MultiHeadAttention(2, 2, dtype="float64"),
    ],
)
def test_input_gradients_match_finite_differences(make):
    layer = make()
    rng = np.random.default_rng(3)
    q, v, k = (rng.normal(size=(1, n, 3)) for n in (2, 3, 3))
    if isinstance(layer, layers.MultiHeadAttention):

        def fn(q, v, k):
            return layer(q, v, key=k, use_causal_mask=True, return_attention_scores=True)
    else:

        def fn(q, v, k):
            return layer([q, v, k], use_causal_mask=True, return_attention_scores=True)

    check_gradients(fn, [q, v, k], order=2)
