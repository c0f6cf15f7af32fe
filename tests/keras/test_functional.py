"""Functional API: Input, KerasTensor, symbolic calls, Model(inputs, outputs)."""

import json

import numpy as np
import pytest

import tensorflux as tf
from tests.keras import record_model_fixtures as cases

keras = tf.keras
L = keras.layers

with open(cases.FIXTURE) as _f:
    FIXTURES = json.load(_f)


@pytest.fixture(autouse=True)
def fresh_names():
    keras.backend.clear_session()
    yield
    keras.backend.clear_session()


def dense_np(layer, x, activation=lambda v: v):
    kernel, bias = layer.get_weights()
    return activation(x @ kernel + bias)


def test_input_is_a_keras_tensor():
    x = keras.Input(shape=(3,))
    assert x.shape.as_list() == [None, 3] and x.dtype == tf.float32 and x.name == "input_1"
    assert x._is_keras_tensor and repr(x) == (
        "<KerasTensor: shape=(None, 3) dtype=float32 (created by layer 'input_1')>"
    )
    assert str(x) == (
        "KerasTensor(type_spec=TensorSpec(shape=(None, 3), dtype=tf.float32, "
        "name='input_1'), name='input_1', description=\"created by layer "
        "'input_1'\")"
    )
    assert keras.Input((2,), batch_size=8, dtype="int32", name="ids").shape.as_list() == [8, 2]
    assert keras.Input(batch_shape=(None, None, 4)).shape.as_list() == [None, None, 4]
    assert keras.Input((5,)).name == "input_3"


def test_input_errors():
    with pytest.raises(ValueError, match="provide to Input a `shape`"):
        keras.Input()
    with pytest.raises(ValueError, match="ragged inputs are not supported"):
        keras.Input((2,), ragged=True)
    with pytest.raises(ValueError, match="Unrecognized keyword arguments to Input: \\['sahpe'\\]"):
        keras.Input((2,), sahpe=3)


def test_layer_call_on_keras_tensors_infers_shape_and_builds():
    x = keras.Input((4,))
    dense = L.Dense(3)
    y = dense(x)
    assert dense.built and y.shape.as_list() == [None, 3] and y.dtype == tf.float32
    assert y._keras_history == (dense, 0, 0)
    assert dense.output is y and dense.input is x
    assert dense.output_shape == (None, 3) and dense.input_shape == (None, 4)
    ids = keras.Input((5,), dtype="int32")
    emb = L.Embedding(10, 2)(ids)
    assert emb.shape.as_list() == [None, 5, 2] and emb.dtype == tf.float32
    seq = keras.Input((None, 3))
    assert L.Dense(2)(seq).shape.as_list() == [None, None, 2]


def test_model_values_match_manual_computation():
    x = keras.Input((3,))
    h = L.Dense(4, activation="relu")(x)
    out = L.Dense(2)(h)
    model = keras.Model(x, out)
    data = np.random.RandomState(0).randn(5, 3).astype("float32")
    hidden = dense_np(model.layers[1], data, lambda v: np.maximum(v, 0))
    np.testing.assert_allclose(model(data).numpy(), dense_np(model.layers[2], hidden), rtol=1e-5)
    assert model(tf.constant(data)).shape == (5, 2)
    assert model.input_shape == (None, 3) and model.output_shape == (None, 2)
    assert model.inputs == [x] and model.outputs == [out] and model.input is x


def test_operators_on_keras_tensors():
    x = keras.Input((3,))
    y = keras.Input((3,))
    outputs = [
        (x * 2 + 1) / 4.0 - x,
        2 - x,
        np.float32(3) * x,
        x + y,
        -x[:, :2],
        x**2,
        abs(x),
        x > y,
        x @ np.eye(3, dtype="float32"),
        1 / x,
        x // 2,
        x % 2,
    ]
    model = keras.Model([x, y], outputs)
    a = np.array([[1.0, -2.0, 3.0]], "float32")
    b = np.array([[0.5, 0.5, 5.0]], "float32")
    got = [t.numpy() for t in model([a, b])]
    want = [
        (a * 2 + 1) / 4 - a,
        2 - a,
        3 * a,
        a + b,
        -a[:, :2],
        a**2,
        abs(a),
        a > b,
        a,
        1 / a,
        a // 2,
        a % 2,
    ]
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w)
    assert outputs[4].shape.as_list() == [None, 2] and outputs[7].dtype == tf.bool
    names = [layer.name for layer in model.layers]
    assert names[0] == "input_1" and {"input_2", "tf.math.multiply"} <= set(names)
    assert "tf.__operators__.getitem" in names and "tf.math.truediv_1" in names


def test_tf_function_on_keras_tensor_explains_the_fix():
    x = keras.Input((3,))
    with pytest.raises(TypeError, match=r"tf.keras.layers.Lambda\(lambda t: tf.exp\(t\)\)"):
        tf.exp(x)
    with pytest.raises(TypeError, match="as a Python `bool`"):
        bool(x)
    with pytest.raises(TypeError, match="Iterating over a symbolic KerasTensor"):
        list(x)


def test_vae_wiring_from_the_notes():
    K = keras.backend

    def sample_normal(args):
        mean, logsigma = args
        batch, dim = K.shape(mean)[0], K.int_shape(mean)[1]
        return mean + K.exp(0.5 * logsigma) * K.random_normal(shape=(batch, dim))

    x = L.Input(shape=(6,))
    h = L.Dense(4, activation="relu")(x)
    mean, logsigma = L.Dense(2)(h), L.Dense(2)(h)
    sample = L.Lambda(sample_normal)([mean, logsigma])
    encoder = keras.models.Model(x, [mean, logsigma, sample])
    encoded = L.Input(shape=(2,))
    decoder = keras.models.Model(
        encoded, L.Dense(6, activation="sigmoid")(L.Dense(4, activation="relu")(encoded))
    )
    vae = keras.models.Model(x, decoder(encoder(x)[2]))
    assert [layer.name for layer in vae.layers] == ["input_1", "model", "model_1"]
    assert vae.output_shape == (None, 6) and encoder.output_shape == [(None, 2)] * 3
    data = np.random.RandomState(1).rand(3, 6).astype("float32")
    out = vae(data).numpy()
    assert out.shape == (3, 6) and np.all((out > 0) & (out < 1))
    # The deterministic branch of the same graph gives the decoder of the mean.
    mean_model = keras.Model(x, decoder(encoder(x)[0]))
    np.testing.assert_allclose(
        mean_model(data).numpy(), decoder(encoder(data)[0]).numpy(), rtol=1e-6
    )
    assert len(vae.weights) == 10 and vae.count_params() == 28 + 10 + 10 + 12 + 30


def test_shared_layer_and_node_bookkeeping():
    model = cases.functional_shared(keras)
    shared = model.get_layer("s")
    assert len(shared._inbound_nodes) == 2 and shared.output_shape == (None, 2)
    a, b = np.ones((1, 2), "float32"), np.full((1, 2), 2.0, "float32")
    np.testing.assert_allclose(
        model([a, b]).numpy(), dense_np(shared, a) + dense_np(shared, b), rtol=1e-6
    )
    other = L.Activation("relu", name="reused")
    other(keras.Input((3,)))
    other(keras.Input((4,)))
    with pytest.raises(
        AttributeError, match='"reused" has multiple inbound nodes, with different input shapes'
    ):
        _ = other.input_shape
    assert other.get_input_shape_at(1) == (None, 4)


def test_multiple_inputs_and_outputs_lists_and_dicts():
    model = cases.functional_multi_io(keras)
    outs = model([np.ones((2, 3)), np.ones((2, 5))])
    assert isinstance(outs, list) and [o.shape for o in outs] == [(2, 1), (2, 8)]
    by_name = model({"other": np.ones((2, 5)), "input_1": np.ones((2, 3))})
    np.testing.assert_allclose(by_name[0].numpy(), outs[0].numpy())
    assert model.input_shape == [(None, 3), (None, 5)]
    assert model.output_names == ["out", "concatenate"]
    x = keras.Input((3,), name="x")
    heads = keras.Model({"features": x}, {"k": L.Dense(1)(x), "j": L.Dense(2)(x)})
    out = heads({"features": np.ones((1, 3))})
    assert list(out) == ["k", "j"] and heads.output_shape == {"k": (None, 1), "j": (None, 2)}
    single = keras.Model([x], [L.Dense(2)(x)])
    assert isinstance(single(np.ones((1, 3))), tf.Tensor) and single.output_shape == (None, 2)


@pytest.mark.parametrize("case", cases.ORDER_CASES, ids=lambda c: c.__name__)
def test_layer_and_weight_order_match_keras(case):
    model = case(keras)
    assert [layer.name for layer in model.layers] == FIXTURES["layer_orders"][case.__name__][
        "layers"
    ]
    assert [w.name.split(":")[0] for w in model.weights] == FIXTURES["layer_orders"][case.__name__][
        "weights"
    ]


def test_get_layer():
    model = cases.functional_chain(keras)
    assert model.get_layer("dense") is model.layers[1]
    assert model.get_layer(index=2).name == "dense_1"
    with pytest.raises(
        ValueError,
        match=r"No such layer: nope. Existing layers are: "
        r"\['input_1', 'dense', 'dense_1'\]",
    ):
        model.get_layer("nope")
    with pytest.raises(ValueError, match=FIXTURES["errors"]["bad_layer_index"][1]):
        model.get_layer(index=10)
    with pytest.raises(ValueError, match="Provide either a layer name or layer index"):
        model.get_layer()


def test_call_errors_name_the_model_and_shapes():
    model = cases.functional_chain(keras)
    with pytest.raises(
        ValueError, match='Layer "model" expects 1 input\\(s\\), but it received 2 input tensors'
    ):
        model([np.ones((2, 3)), np.ones((2, 3))])
    with pytest.raises(
        ValueError,
        match=FIXTURES["errors"]["wrong_input_shape"][1].replace("(", r"\(").replace(")", r"\)"),
    ):
        model(np.ones((2, 5)))
    built = L.Dense(2, name="dd")
    built(keras.Input((3,)))
    with pytest.raises(
        ValueError,
        match='layer "dd" is incompatible with the layer: expected '
        r"axis -1 of input shape to have value 3, but received "
        r"input with shape \(None, 5\)",
    ):
        built(keras.Input((5,)))


def test_graph_construction_errors():
    x1, x2 = keras.Input((2,)), keras.Input((2,))
    with pytest.raises(
        ValueError,
        match="Graph disconnected: cannot obtain value for tensor .*"
        "name='input_2'.* at layer \"dense\". The following "
        r"previous layers were accessed without issue: \[\]",
    ):
        keras.Model(x1, L.Dense(1)(x2))
    with pytest.raises(ValueError, match="must come from `tf.keras.Input`"):
        keras.Model(L.Dense(1)(x1), x1)
    with pytest.raises(ValueError, match='The name "twin" is used 2 times in the model'):
        keras.Model(x1, L.Dense(1, name="twin")(L.Dense(1, name="twin")(x1)))


class RecordTraining(L.Layer):
    def call(self, inputs, training=None):
        self.seen = training
        return inputs


def test_training_propagates_and_explicit_training_is_kept():
    x = keras.Input((2,))
    inner, frozen = RecordTraining(), RecordTraining()
    model = keras.Model(x, frozen(inner(x), training=False))
    model(np.ones((1, 2)), training=True)
    assert inner.seen is True and frozen.seen is False
    model(np.ones((1, 2)))
    assert inner.seen is None


def test_dropout_obeys_training_in_functional_model():
    x = keras.Input((100,))
    model = keras.Model(x, L.Dropout(0.5)(x))
    ones = np.ones((2, 100), "float32")
    np.testing.assert_array_equal(model(ones).numpy(), ones)
    assert (model(ones, training=True).numpy() == 0).any()


class MaskSum(L.Layer):
    def __init__(self):
        super().__init__()
        self.supports_masking = True

    def call(self, inputs, mask=None):
        return tf.reduce_sum(inputs * tf.cast(mask, inputs.dtype)[:, :, None], axis=1)


def test_masks_propagate_through_the_graph():
    x = keras.Input((3, 2))
    model = keras.Model(x, MaskSum()(L.Masking(0.0)(x)))
    data = np.array([[[1, 1], [0, 0], [2, 3]]], "float32")
    np.testing.assert_allclose(model(data).numpy(), [[3, 4]])


def test_rank_and_dtype_conform_to_the_inputs():
    x = keras.Input((1,), name="feature")
    model = keras.Model(x, x * 2)
    assert model(np.array([1.0, 2.0])).shape == (2, 1)
    assert model(np.array([[1.0], [2.0]], "float64")).dtype == tf.float32
    ids = keras.Input((2,), dtype="int32")
    assert keras.Model(ids, ids + 1)(np.array([[1, 2]], "int64")).dtype == tf.int32


def test_named_scalar_features_and_layer_list_filtering_from_the_notes():
    inputs = [L.Input(shape=(1,), name=f) for f in ("age", "height")]
    model = keras.Model(inputs=inputs, outputs=L.Dense(3)(L.concatenate(inputs)))
    out = model({"height": np.ones(4), "age": np.zeros(4)})
    assert out.shape == (4, 3)
    model._layers = [layer for layer in model._layers if isinstance(layer, L.Layer)]
    assert len(model.layers) == 4


def test_config_round_trip_and_json():
    model = cases.functional_multi_io(keras)
    clone = keras.Model.from_config(model.get_config())
    assert [layer.name for layer in clone.layers] == [layer.name for layer in model.layers]
    clone.set_weights(model.get_weights())
    data = [np.random.RandomState(2).rand(2, 3), np.random.RandomState(3).rand(2, 5)]
    for a, b in zip(model(data), clone(data)):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6)
    shared = cases.functional_shared(keras)
    again = keras.models.model_from_json(shared.to_json())
    assert len(again.get_layer("s")._inbound_nodes) == 2
    nested = keras.Model.from_config(cases.nested_vae(keras).get_config())
    assert nested(np.ones((2, 6))).shape == (2, 6)


def test_functional_subclass_with_super_init():
    class Wrapped(keras.Model):
        def __init__(self):
            x = keras.Input((3,))
            super().__init__(x, L.Dense(2)(x), name="wrapped")

    model = Wrapped()
    assert isinstance(model, Wrapped) and model.output_shape == (None, 2)
    assert [layer.name for layer in model.layers] == ["input_1", "dense"]


def test_functional_model_in_tf_function_and_gradients():
    model = cases.functional_chain(keras)
    data = np.ones((4, 3), "float32")

    @tf.function
    def loss_fn(x):
        return tf.reduce_sum(model(x, training=True))

    np.testing.assert_allclose(loss_fn(data).numpy(), tf.reduce_sum(model(data)).numpy(), rtol=1e-5)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model(data))
    grads = tape.gradient(loss, model.trainable_variables)
    assert [g.shape for g in grads] == [w.shape for w in model.trainable_variables]


def test_model_built_inside_a_trace_makes_eager_variables():
    @tf.function
    def build_and_run(x):
        inputs = keras.Input((3,))
        return keras.Model(inputs, L.Dense(2)(inputs))(x)

    assert build_and_run(tf.ones((2, 3))).shape == (2, 2)
