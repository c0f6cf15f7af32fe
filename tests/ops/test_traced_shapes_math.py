"""One traced graph for every size: reductions, nn ops, losses, clipping and math ops
traced with an ``input_signature`` whose dimensions are None.

Each case runs through ``testing.check_one_graph``: the ``tf.function`` must trace once,
never read an example's size, and match eager results on calls of several sizes
(1 included, where broadcasting could be mistaken for a real size). Gradients are
checked by returning them from a ``GradientTape`` inside the function.
"""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.testing import check_one_graph

SIZES = (1, 3, 6)
ROWS = [tf.TensorSpec([None, 4], tf.float32)]
ROWS_AND_LABELS = [tf.TensorSpec([None, 4], tf.float32), tf.TensorSpec([None], tf.int32)]

_rng = np.random.default_rng(7)
W = tf.Variable(_rng.standard_normal((4, 3)).astype(np.float32))
B = tf.Variable(_rng.standard_normal(3).astype(np.float32))


def _rows(n, width=4, seed=0):
    return np.random.default_rng(seed + n).standard_normal((n, width)).astype(np.float32)


def _row_calls(width=4):
    return [(_rows(n, width),) for n in SIZES]


def _labelled_calls():
    return [(_rows(n), np.random.default_rng(n).integers(0, 3, n).astype(np.int32)) for n in SIZES]


def _value_and_grads(loss_fn, *variables):
    """fn(x) -> [loss, d loss / dx, d loss / d each of ``variables``]."""

    def fn(x):
        x = tf.convert_to_tensor(x)
        with tf.GradientTape() as tape:
            tape.watch(x)
            loss = loss_fn(x)
        return [loss] + tape.gradient(loss, [x, *variables])

    return fn


# -- training steps -----------------------------------------------------------------


def test_mlp_step_with_sparse_softmax_cross_entropy():
    def step(x, y):
        with tf.GradientTape() as tape:
            hidden = tf.nn.relu(tf.matmul(x, W) + B)
            logits = tf.sigmoid(hidden) * 2.0
            loss = tf.reduce_mean(
                tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
            )
        return [loss] + tape.gradient(loss, [W, B])

    check_one_graph(step, ROWS_AND_LABELS, _labelled_calls())


def test_mse_step():
    def step(x):
        with tf.GradientTape() as tape:
            pred = tf.nn.bias_add(tf.matmul(x, W), B)
            loss = tf.reduce_mean(tf.square(pred - tf.reduce_sum(x, axis=1, keepdims=True)))
        return [loss] + tape.gradient(loss, [W, B])

    check_one_graph(step, ROWS, _row_calls())


def test_softmax_cross_entropy_gradients_reach_logits_and_labels():
    def fn(x):
        x = tf.convert_to_tensor(x)
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            logits = tf.matmul(x, W)
            labels = tf.nn.softmax(logits * 0.5)
            loss = tf.reduce_sum(tf.nn.softmax_cross_entropy_with_logits(labels, logits))
        return [loss, tape.gradient(loss, x), tape.gradient(loss, W)]

    check_one_graph(fn, ROWS, _row_calls())


def test_sigmoid_cross_entropy():
    def loss(x):
        logits = tf.matmul(x, W)
        return tf.reduce_mean(
            tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.sigmoid(logits), logits=logits)
        )

    check_one_graph(_value_and_grads(loss, W), ROWS, _row_calls())


# -- reductions ---------------------------------------------------------------------

REDUCTIONS = [
    tf.reduce_sum,
    tf.reduce_mean,
    tf.reduce_max,
    tf.reduce_min,
    tf.reduce_prod,
    tf.reduce_logsumexp,
    tf.math.reduce_variance,
    tf.math.reduce_std,
    tf.math.reduce_euclidean_norm,
]


# The std of one row is 0, where its gradient is NaN (eagerly too).
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
@pytest.mark.parametrize("reduce", REDUCTIONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("axis", [None, 0, 1, -1])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reduction_and_gradient(reduce, axis, keepdims):
    def loss(x):
        # Positive, distinct values: every reduction is smooth.
        return tf.reduce_sum(reduce(x * x + 0.5, axis=axis, keepdims=keepdims) * 1.5)

    check_one_graph(_value_and_grads(loss), ROWS, _row_calls())


@pytest.mark.parametrize(
    "reduce", [tf.reduce_mean, tf.reduce_max, tf.reduce_prod], ids=lambda f: f.__name__
)
@pytest.mark.parametrize("axis", [[0, 2], [0, 1], [1]], ids=str)
def test_reduction_over_several_unknown_dimensions(reduce, axis):
    calls = [
        (np.random.default_rng(n).uniform(0.5, 1.5, (n, m, 3)).astype(np.float32),)
        for n, m in [(1, 2), (3, 1), (2, 4)]
    ]

    def loss(x):
        return tf.reduce_sum(reduce(x, axis=axis) * 2.0)

    check_one_graph(_value_and_grads(loss), [tf.TensorSpec([None, None, 3])], calls)


def test_mean_of_a_fully_unknown_shape():
    calls = [(_rows(n, m),) for n, m in [(1, 1), (2, 5), (4, 3)]]

    def loss(x):
        return tf.reduce_mean(x * x) + tf.reduce_mean(tf.reduce_mean(x, axis=0))

    check_one_graph(_value_and_grads(loss), [tf.TensorSpec([None, None])], calls)


def _second_order(loss, total):
    """The gradient g of ``loss(x)`` and the gradient of ``total(g, x)``, by nested tapes."""

    def fn(x):
        x = tf.convert_to_tensor(x)
        with tf.GradientTape() as outer:
            outer.watch(x)
            with tf.GradientTape() as inner:
                inner.watch(x)
                value = loss(x)
            g = inner.gradient(value, x)
            result = total(g, x)
        return [g, outer.gradient(result, x)]

    return fn


def test_second_order_gradient_of_a_mean():
    fn = _second_order(
        lambda x: tf.reduce_mean(x * x * x, axis=0), lambda g, x: tf.reduce_sum(g * g)
    )
    check_one_graph(fn, ROWS, _row_calls())


def test_arg_extrema_count_nonzero_and_scans():
    def fn(x):
        return [
            tf.argmax(x, axis=1),
            tf.argmin(x, axis=0),
            tf.math.argmax(x),
            tf.math.argmax(x, -1, output_type=tf.int32),
            tf.math.count_nonzero(x > 0, axis=0),
            tf.math.count_nonzero(x > 0),
        ]

    check_one_graph(fn, ROWS, _row_calls())


def test_cumulative_sums_and_products_with_gradients():
    def loss(x):
        return tf.reduce_sum(
            tf.cumsum(x, axis=0) * x
            + tf.math.cumprod(x + 2.0, axis=1, exclusive=True)
            + tf.cumsum(x, axis=1, reverse=True)
        )

    check_one_graph(_value_and_grads(loss), ROWS, _row_calls())


# -- nn ---------------------------------------------------------------------------------


@pytest.mark.parametrize("axes", [[0], [1], [0, 1]], ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
def test_moments(axes, keepdims):
    def loss(x):
        mean, variance = tf.nn.moments(x, axes=axes, keepdims=keepdims)
        return tf.reduce_sum(mean) + tf.reduce_sum(variance * 2.0)

    check_one_graph(_value_and_grads(loss), ROWS, _row_calls())


def test_batch_normalization_with_batch_moments():
    def loss(x):
        mean, variance = tf.nn.moments(x, axes=[0])
        return tf.reduce_sum(tf.nn.batch_normalization(x, mean, variance, 0.1, 2.0, 1e-3) ** 2)

    check_one_graph(_value_and_grads(loss), ROWS, [(_rows(n),) for n in (2, 3, 6)])


def test_softmax_log_softmax_and_l2_normalize():
    def loss(x):
        return tf.reduce_sum(
            tf.nn.softmax(x) * x
            + tf.nn.log_softmax(x, axis=0)
            + tf.math.l2_normalize(x, axis=1) * x
            + tf.math.l2_normalize(x)
        )

    check_one_graph(_value_and_grads(loss), ROWS, _row_calls())


def test_activations():
    def loss(x):
        return tf.reduce_sum(
            tf.nn.relu(x)
            + tf.nn.relu6(x * 4.0)
            + tf.nn.leaky_relu(x)
            + tf.nn.elu(x)
            + tf.nn.selu(x)
            + tf.nn.gelu(x)
            + tf.nn.silu(x)
            + tf.nn.softsign(x)
            + tf.math.log_sigmoid(x)
        ) + tf.nn.l2_loss(x)

    check_one_graph(_value_and_grads(loss), ROWS, _row_calls())


def test_bias_add_gradient():
    def loss(x):
        return tf.reduce_sum(tf.nn.bias_add(tf.matmul(x, W), B) ** 2)

    check_one_graph(_value_and_grads(loss, W, B), ROWS, _row_calls())


def test_top_k_and_its_gradient():
    def loss(x):
        top = tf.math.top_k(x, k=2)
        return tf.reduce_sum(top.values * tf.constant([3.0, 1.0])) + tf.reduce_sum(
            tf.cast(top.indices, tf.float32)
        )

    check_one_graph(_value_and_grads(loss), ROWS, _row_calls())


def test_top_k_second_order_gradient():
    fn = _second_order(
        lambda x: tf.reduce_sum(tf.math.top_k(x * x, k=2).values), lambda g, x: tf.reduce_sum(g * x)
    )
    check_one_graph(fn, ROWS, _row_calls())


@pytest.mark.parametrize("axis", [0, 1])
def test_sort_and_argsort(axis):
    def loss(x):
        return tf.reduce_sum(
            tf.sort(x, axis=axis) * tf.cast(tf.argsort(x, axis=axis) + 1, tf.float32)
        )

    check_one_graph(_value_and_grads(loss), ROWS, _row_calls())


@pytest.mark.parametrize("noise_shape", ["none", "static", "traced"])
def test_dropout_draws_a_mask_of_each_call_shape(noise_shape):
    def fn(x):
        shape = {"none": None, "static": [None, 1], "traced": [tf.shape(x)[0], 1]}[noise_shape]
        return tf.nn.dropout(x, 0.5, noise_shape=shape, seed=3)

    f = tf.function(fn, input_signature=ROWS)
    for n in SIZES:
        x = np.abs(_rows(n)) + 1.0
        out = f(x).numpy()
        kept = out != 0
        assert out.shape == (n, 4)
        np.testing.assert_allclose(out[kept], 2.0 * x[kept], rtol=1e-6)
        if noise_shape != "none":
            # One draw per row: a row is kept or dropped whole.
            assert np.all(kept.all(axis=1) | ~kept.any(axis=1))
    assert f.experimental_get_tracing_count() == 1
    assert all(c.graph.specialized_at is None for fam in f._families.values() for _, c in fam)


def test_in_top_k():
    def fn(x, y):
        return tf.math.in_top_k(y, x, 2)

    check_one_graph(fn, ROWS_AND_LABELS, _labelled_calls())


# -- clipping -------------------------------------------------------------------------


def test_clip_by_value_gradient_reaches_the_input():
    def loss(x):
        return tf.reduce_sum(tf.clip_by_value(x, -0.5, 0.5) * tf.matmul(x, W[:, :1]))

    check_one_graph(_value_and_grads(loss, W), ROWS, _row_calls())


def test_clip_by_norm():
    def loss(x):
        return tf.reduce_sum(tf.clip_by_norm(x, 1.0, axes=[1]) * x + tf.clip_by_norm(x, 2.0))

    check_one_graph(_value_and_grads(loss), ROWS, _row_calls())


def test_clip_by_global_norm_of_gradients():
    def fn(x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.matmul(x, W) + B)
        clipped, norm = tf.clip_by_global_norm(tape.gradient(loss, [W, B]) + [x], 1.0)
        return clipped + [norm]

    check_one_graph(fn, ROWS, _row_calls())


# -- math and linalg ------------------------------------------------------------------


def test_binary_op_gradients_broadcast_against_a_variable():
    def loss(x):
        row = B[:1]
        return tf.reduce_sum(
            tf.maximum(x, row)
            + tf.minimum(x, 0.0)
            + tf.math.floormod(x, 0.7)
            + tf.pow(tf.abs(x) + 1.0, row + 2.0)
            + x / (x * x + 1.0)
            + tf.sign(x) * x
            + tf.math.imag(x)
        )

    check_one_graph(_value_and_grads(loss, B), ROWS, _row_calls())


def test_add_n():
    def loss(x):
        return tf.reduce_sum(tf.add_n([x, x * 2.0, tf.square(x)]))

    check_one_graph(_value_and_grads(loss), ROWS, _row_calls())


def test_batched_matmul_broadcasting():
    def loss(x):
        stack = tf.reshape(x, [-1, 2, 2])
        return tf.reduce_sum(
            tf.matmul(stack, tf.constant([[1.0, 2.0], [3.0, 4.0]]))
            + tf.matmul(stack, stack, transpose_b=True)
        )

    check_one_graph(_value_and_grads(loss), ROWS, _row_calls())


def test_norms():
    def loss(x):
        return (
            tf.norm(x)
            + tf.reduce_sum(tf.norm(x, axis=1))
            + tf.reduce_sum(tf.linalg.norm(x, ord=1, axis=0))
            + tf.reduce_sum(tf.norm(x, ord=3, axis=1))
            + tf.norm(x, ord=np.inf, axis=[0, 1])
            + tf.norm(x, ord="fro", axis=[0, 1])
        )

    check_one_graph(_value_and_grads(loss), ROWS, _row_calls())


def test_einsum_tensordot_and_matvec():
    def loss(x):
        return (
            tf.reduce_sum(tf.einsum("ij,jk->ik", x, W))
            + tf.reduce_sum(tf.einsum("ij,ij->i", x, x))
            + tf.reduce_sum(tf.einsum("ij,k->ijk", x, B))
            + tf.reduce_sum(tf.tensordot(x, W, axes=1))
            + tf.reduce_sum(tf.linalg.matvec(x, tf.constant([1.0, 2.0, 3.0, 4.0])))
        )

    check_one_graph(_value_and_grads(loss, W, B), ROWS, _row_calls())


def test_einsum_broadcasting_ellipsis_gradient():
    def loss(x):
        return tf.reduce_sum(tf.einsum("...j,jk->...k", x, W) ** 2)

    check_one_graph(_value_and_grads(loss, W), ROWS, _row_calls())


def test_segment_sums_with_traced_ids():
    # The number of segments comes from the ids' values, which change from call to call.
    calls = [
        (_rows(n), np.sort(np.random.default_rng(n).integers(0, n + 1, n)).astype(np.int32))
        for n in SIZES
    ]

    def fn(x, ids):
        return [tf.math.segment_sum(x, ids), tf.math.unsorted_segment_sum(x, ids, 7)]

    check_one_graph(fn, ROWS_AND_LABELS, calls)


# -- static shapes and run-time checks --------------------------------------------------


def test_static_shapes_keep_the_unknown_batch():
    shapes = {}

    @tf.function(input_signature=ROWS_AND_LABELS)
    def fn(x, y):
        with tf.GradientTape() as tape:
            tape.watch(x)
            losses = tf.nn.sparse_softmax_cross_entropy_with_logits(y, tf.matmul(x, W))
            loss = tf.reduce_mean(losses)
        mean, variance = tf.nn.moments(x, [1])
        for name, t in dict(
            losses=losses,
            loss=loss,
            grad=tape.gradient(loss, x),
            mean=mean,
            column_sums=tf.reduce_sum(x, 0),
            kept=tf.reduce_max(x, 1, keepdims=True),
            lse=tf.reduce_logsumexp(x, 1),
            top=tf.math.top_k(x, 2).values,
            sorted_batch=tf.sort(x, axis=0),
            norms=tf.norm(x, axis=1),
            segments=tf.math.segment_sum(x, y),
        ).items():
            shapes[name] = t.shape.as_list()
        return loss

    fn(_rows(2), np.zeros(2, np.int32))
    assert shapes == {
        "losses": [None],
        "loss": [],
        "grad": [None, 4],
        "mean": [None],
        "column_sums": [4],
        "kept": [None, 1],
        "lse": [None],
        "top": [None, 2],
        "sorted_batch": [None, 4],
        "norms": [None],
        "segments": [None, 4],
    }


def test_mismatched_sizes_fail_when_the_graph_runs():
    xent = tf.function(
        lambda x, y: tf.nn.sparse_softmax_cross_entropy_with_logits(y, x),
        input_signature=ROWS_AND_LABELS,
    )
    with pytest.raises(InvalidArgumentError, match="same first dimension"):
        xent(_rows(3), np.zeros(2, np.int32))
    add_n = tf.function(lambda a, b: tf.add_n([a, b]), input_signature=ROWS * 2)
    with pytest.raises(InvalidArgumentError, match="same size and shape"):
        add_n(_rows(3), _rows(2))
    top_k = tf.function(
        lambda x: tf.math.top_k(x, 3).values, input_signature=[tf.TensorSpec([None, None])]
    )
    np.testing.assert_array_equal(top_k(np.eye(4, dtype=np.float32))[0], [1.0, 0.0, 0.0])
    with pytest.raises(InvalidArgumentError, match="at least k columns"):
        top_k(_rows(2, 2))
