"""keras.backend inside tf.function (one graph for unknown sizes), finite-difference
gradients of its composite functions, Keras tensors and the learning phase."""

import sys
import warnings

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import backend as K
from tensorflux.testing import check_gradients
from tensorflux.testing.trace_check import check_one_graph

RNG = np.random.default_rng(0)


def _r(*shape):
    return RNG.standard_normal(shape)


@pytest.fixture(autouse=True)
def fresh_state():
    K.clear_session()
    yield
    K.clear_session()


def _spec(*shape, dtype=tf.float32):
    return tf.TensorSpec(shape, dtype)


# --- one graph for unknown sizes -------------------------------------------------------


def test_batch_dot_traced_unknown_batch_and_axes():
    check_one_graph(
        lambda x, y: K.batch_dot(x, y, axes=(1, 2)),
        [_spec(None, 3, 4), _spec(None, 5, 3)],
        [
            (_r(2, 3, 4).astype("f"), _r(2, 5, 3).astype("f")),
            (_r(4, 3, 4).astype("f"),) * 1 + (_r(4, 5, 3).astype("f"),),
        ],
    )


def test_repeat_elements_traced_unknown_axis():
    f = check_one_graph(
        lambda x: K.repeat_elements(x, 2, axis=1),
        [_spec(2, None)],
        [(np.float32([[1, 2], [3, 4]]),), (np.float32([[1, 2, 3], [4, 5, 6]]),)],
    )
    np.testing.assert_array_equal(f(np.float32([[1, 2], [3, 4]])), [[1, 1, 2, 2], [3, 3, 4, 4]])


def test_rnn_traced_unknown_time_matches_eager():
    w = tf.constant(_r(3, 2).astype("f"))

    def step(x, states):
        out = tf.tanh(tf.matmul(x, w) + states[0])
        return out, [out]

    def run(x, mask):
        last, outputs, states = K.rnn(step, x, [tf.zeros((2, 2))], mask=mask, go_backwards=True)
        return last, outputs, states[0]

    x4, x6 = _r(2, 4, 3).astype("f"), _r(2, 6, 3).astype("f")
    m4 = np.array([[1, 0, 1, 1], [1, 1, 0, 0]], bool)
    m6 = np.array([[1, 0, 1, 1, 1, 0], [1, 1, 0, 0, 1, 1]], bool)
    check_one_graph(run, [_spec(2, None, 3), _spec(2, None, dtype=tf.bool)], [(x4, m4), (x6, m6)])


def test_rnn_traced_input_length_and_last_only():
    def step(x, states):
        return x * 2.0 + states[0], [states[0] + x]

    def run(x, lengths):
        return K.rnn(step, x, [tf.zeros((2, 1))], input_length=lengths, return_all_outputs=False)[
            :2
        ]

    x = _r(2, 5, 1).astype("f")
    check_one_graph(run, [_spec(2, None, 1), _spec(2, dtype=tf.int32)], [(x, np.int32([2, 5]))])


def test_unroll_needs_known_time_steps():
    @tf.function(input_signature=[_spec(2, None, 1)])
    def f(x):
        return K.rnn(lambda x, s: (x, s), x, [tf.zeros((2, 1))], unroll=True)[0]

    with pytest.raises(ValueError, match="Unrolling requires a fixed number of timesteps."):
        f(np.zeros((2, 3, 1), "f"))


def test_map_fn_and_folds_traced_unknown_rows():
    check_one_graph(
        lambda x: (
            K.map_fn(lambda r: r * r, x),
            K.foldl(lambda a, r: a + r, x),
            K.foldr(lambda a, r: a * 0.5 + r, x),
            K.foldl(lambda a, r: a - r, x, initializer=tf.zeros(2)),
        ),
        [_spec(None, 2)],
        [(_r(3, 2).astype("f"),), (_r(5, 2).astype("f"),)],
    )


def test_switch_scalar_traced_chooses_at_run_time():
    @tf.function
    def f(flag, x):
        return K.switch(flag, lambda: x * 2.0, lambda: x - 1.0)

    x = tf.constant([1.0, 2.0])
    np.testing.assert_allclose(f(tf.constant(True), x), [2.0, 4.0])
    np.testing.assert_allclose(f(tf.constant(False), x), [0.0, 1.0])


def test_print_tensor_prints_each_traced_call(capsys):
    @tf.function
    def f(x):
        return K.print_tensor(x, message="x =") + 1

    f(tf.constant([1, 2]))
    f(tf.constant([3, 4]))
    assert capsys.readouterr().out == "x = [1 2]\nx = [3 4]\n"


def test_print_tensor_eager_summarize(capsys):
    out = K.print_tensor(tf.range(10), message="r", summarize=2)
    assert capsys.readouterr().out == "r [0 1 ... 8 9]\n"
    np.testing.assert_array_equal(out, np.arange(10))


# --- gradients of the composites -----------------------------------------------------


@pytest.mark.parametrize(
    "fn, shapes",
    [
        (lambda x, y: K.batch_dot(x, y, axes=(1, 2)), [(2, 3, 4), (2, 5, 3)]),
        (lambda x, y: K.batch_dot(x, y), [(2, 3), (2, 3)]),
        (lambda x: K.repeat_elements(x, 2, axis=1), [(2, 3)]),
        (lambda x: K.hard_sigmoid(x * 2.0), [(3, 4)]),
        (lambda x: K.elu(x, alpha=0.3), [(3, 4)]),
        (lambda t, p: K.categorical_crossentropy(t, tf.nn.softmax(p)), [(2, 3), (2, 3)]),
        (
            lambda p: K.categorical_focal_crossentropy(
                tf.constant([[0.0, 1.0, 0.0]], tf.float64), p, from_logits=True
            ),
            [(1, 3)],
        ),
        (
            lambda p: K.binary_focal_crossentropy(
                tf.constant([[1.0, 0.0]], tf.float64),
                p,
                apply_class_balancing=True,
                from_logits=True,
            ),
            [(1, 2)],
        ),
        (lambda x, g: K.normalize_batch_in_training(x, g, None, [0, 2])[0], [(2, 3, 4), (3,)]),
        (lambda x, k: K.local_conv1d(x, k, (2,), (1,)), [(2, 4, 2), (3, 4, 2)]),
        (lambda x, b: K.bias_add(x, b, data_format="channels_first"), [(2, 3, 2, 2), (2, 2, 3)]),
        (lambda x: K.resize_volumes(x, 2, 1, 2, "channels_last"), [(1, 2, 1, 2, 1)]),
        (lambda x: K.spatial_2d_padding(x, data_format="channels_first"), [(1, 1, 2, 2)]),
    ],
)
def test_gradients_match_finite_differences(fn, shapes):
    check_gradients(fn, [_r(*s) for s in shapes])


def test_rnn_gradient_with_mask():
    mask = tf.constant([[1, 1, 0], [0, 1, 1]], tf.float64)

    def fn(x, h0, w):
        def step(x_t, states):
            out = tf.tanh(tf.matmul(x_t, w) + states[0])
            return out, [out]

        return K.rnn(step, x, [h0], mask=mask)[1]

    check_gradients(fn, [_r(2, 3, 2), _r(2, 2), _r(2, 2)])


def test_map_fn_gradient():
    check_gradients(lambda x: K.map_fn(lambda r: tf.reduce_sum(r * r), x), [_r(3, 2)])


# --- Keras tensors, functions and phases -------------------------------------------------


def test_placeholder_is_a_keras_input():
    x = K.placeholder(shape=(None, 4), name="features")
    assert K.is_keras_tensor(x) and x.name == "features"
    assert x.shape.as_list() == [None, 4] and x.dtype == tf.float32
    y = tf.keras.layers.Dense(2)(x)
    assert K.is_keras_tensor(y)
    assert not K.is_keras_tensor(tf.constant(1.0))
    with pytest.raises(ValueError, match="Expected a symbolic tensor instance."):
        K.is_keras_tensor([1.0])


def test_function_runs_a_model_of_placeholders():
    x = K.placeholder(shape=(None, 3))
    dense = tf.keras.layers.Dense(2, kernel_initializer="ones", bias_initializer="zeros")
    f = K.function([x], [dense(x), K.sum(x)])
    out, total = f([np.ones((2, 3))])
    np.testing.assert_allclose(out, np.full((2, 2), 3.0))
    assert isinstance(out, np.ndarray) and total == 6.0 and isinstance(total, float)


def test_backend_functions_on_keras_tensors_build_layers():
    x = tf.keras.Input((3,))
    y = K.cumsum(K.sin(x), axis=1)
    model = tf.keras.Model(x, y)
    data = np.float32([[0.1, 0.2, 0.3]])
    np.testing.assert_allclose(model(data), np.cumsum(np.sin(data), axis=1), rtol=1e-6)
    assert [layer.name for layer in model.layers[1:]] == ["tf.math.sin", "tf.math.cumsum"]


def test_learning_phase_scope_restores_and_warns():
    assert K.learning_phase() == 0
    with pytest.warns(UserWarning, match="learning_phase_scope` is deprecated"):
        with K.learning_phase_scope(1):
            assert K.learning_phase() == 1
            assert K.in_train_phase("train", "test") == "train"
    assert K.learning_phase() == 0 and K.in_train_phase("train", "test") == "test"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError, match="Expected learning phase to be 0 or 1."):
            with K.learning_phase_scope(2):
                pass


def test_in_train_phase_follows_the_layer_call():
    class Phase(tf.keras.layers.Layer):
        def call(self, x):
            return K.in_train_phase(x * 0.0, x)

    layer = Phase()
    x = tf.ones((1, 2))
    np.testing.assert_allclose(layer(x, training=True), [[0.0, 0.0]])
    np.testing.assert_allclose(layer(x, training=False), [[1.0, 1.0]])
    np.testing.assert_allclose(layer(x), [[1.0, 1.0]])


def test_random_draws_follow_numpy_seed_without_a_seed():
    np.random.seed(3)
    tf.random.set_seed(1)
    a = K.truncated_normal((4,))
    np.random.seed(3)
    tf.random.set_seed(1)
    b = K.truncated_normal((4,))
    np.testing.assert_array_equal(a, b)
    with pytest.warns(UserWarning, match="random_binomial` is deprecated"):
        K.random_binomial((2,), 0.5, seed=1)


def test_manual_variable_initialization_and_name_scope():
    assert K.manual_variable_initialization(True) is None
    with K.name_scope("block"):
        v = tf.Variable(1.0, name="w")
    assert v.name == "block/w:0"


def test_cast_to_floatx_follows_floatx():
    K.set_floatx("float64")
    try:
        assert K.cast_to_floatx([1, 2]).dtype == np.float64
        assert K.eye(2).dtype == tf.float64
    finally:
        K.set_floatx("float32")


def test_print_tensor_goes_to_stdout(capsys):
    K.print_tensor(tf.constant(1.5))
    assert capsys.readouterr().out == " 1.5\n" and sys.stdout is not None


def test_composite_functions_on_keras_tensors_run_in_the_model():
    x = tf.keras.Input((3, 4))
    y = tf.keras.Input((4, 3))
    outputs = [
        K.batch_dot(x, y),
        K.reverse(x, 1),
        K.tile(x, [1, 2, 1]),
        K.permute_dimensions(x, (0, 2, 1)),
        K.relu(x, alpha=0.1, max_value=1.0),
        K.categorical_crossentropy(target=x, output=K.softmax(x)),
    ]
    assert outputs[0].shape.as_list() == [None, 3, 3]
    names = [o.node.layer.name for o in outputs]
    assert names[:4] == ["tf.keras.backend.batch_dot", "tf.reverse", "tf.tile", "tf.transpose"]
    model = tf.keras.Model([x, y], outputs)
    a, b = _r(2, 3, 4).astype("f"), _r(2, 4, 3).astype("f")
    got = model([a, b])
    want = [
        K.batch_dot(a, b),
        K.reverse(tf.constant(a), 1),
        K.tile(tf.constant(a), [1, 2, 1]),
        K.permute_dimensions(tf.constant(a), (0, 2, 1)),
        K.relu(tf.constant(a), alpha=0.1, max_value=1.0),
        K.categorical_crossentropy(a, K.softmax(tf.constant(a))),
    ]
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)


def test_layers_called_without_training_follow_a_set_learning_phase():
    class Phase(tf.keras.layers.Layer):
        def call(self, x, training=None):
            return tf.constant(-1.0 if training is None else float(training))

    layer, x = Phase(), tf.ones((1, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with K.learning_phase_scope(1):
            assert float(layer(x)) == 1.0 and float(layer(x, training=False)) == 0.0
        with K.learning_phase_scope(0):
            assert float(layer(x)) == 0.0
    assert float(layer(x)) == -1.0
    K.set_learning_phase(1)
    assert float(layer(x)) == 1.0
    K.clear_session()
    assert float(layer(x)) == -1.0
