"""Array, slicing, creation and random ops traced with partly known shapes: one graph
serves every size a signature admits, forward and gradient, with eager's results."""

from __future__ import annotations

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.testing import check_one_graph

ROWS = tf.TensorSpec([None, 4], tf.float32)
SIZES = (1, 3, 5)


def _rows(n, seed=0):
    return tf.constant(np.random.default_rng(seed + n).normal(size=(n, 4)).astype(np.float32))


def _calls():
    return [(_rows(n),) for n in SIZES]


def _with_gradient(fn):
    """fn(x) and the gradient w.r.t. x of sum_i (i + 1) * sum(y_i ** 2) over its results
    y_i (seeded with output gradients, so that only the ops under test take part)."""

    def run(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            ys = tf.nest.flatten(fn(x))
        seeds = [2.0 * (i + 1.0) * y for i, y in enumerate(ys)]
        return ys, tape.gradient(ys, x, output_gradients=seeds)

    return run


def _specialised(f) -> list:
    """Where f's traces read an example's size (empty: every graph is generic)."""
    return [
        c.graph.specialized_at
        for family in f._families.values()
        for _, c in family
        if c.graph.specialized_at is not None
    ]


def _static_shapes(fn, signature=(ROWS,), example=None):
    """The static shapes of fn's results while traced for ``signature``."""
    seen = []

    @tf.function(input_signature=list(signature))
    def f(*args):
        out = fn(*args)
        seen.extend(t.shape.as_list() for t in tf.nest.flatten(out))
        return out

    f(*(example or (_rows(3),)))
    return seen


# -- forward and gradient: one trace for every size ------------------------------------

GENERIC = {
    "concat axis 0": lambda x: tf.concat([x, 2.0 * x], 0),
    "concat axis 1": lambda x: tf.concat([x, x[:, :2]], 1),
    "concat pieces of other sizes": lambda x: tf.concat([x, x[:1], 3.0 * x], 0),
    "stack": lambda x: tf.stack([x, x + 1.0], -1),
    "expand_dims": lambda x: tf.expand_dims(x, 1) * 2.0,
    "squeeze an axis": lambda x: tf.squeeze(tf.expand_dims(x, 0) * 2.0, [0]),
    "tile": lambda x: tf.tile(x, [3, 2]),
    "tile by traced multiples": lambda x: tf.tile(x[:1], [tf.shape(x)[0], 1]) * x,
    "pad constant": lambda x: tf.pad(x, [[1, 2], [0, 1]], constant_values=3.0),
    "pad reflect": lambda x: tf.pad(x, [[0, 0], [1, 2]], mode="REFLECT"),
    "pad symmetric unknown axis": lambda x: tf.pad(x, [[1, 0], [1, 2]], mode="SYMMETRIC"),
    "transpose": lambda x: tf.transpose(x),
    "gather axis 1": lambda x: tf.gather(x, [0, 2, 2], axis=1),
    "gather axis 0 of unknown rows": lambda x: tf.gather(x, [0, 0]),
    "gather batch_dims": lambda x: tf.gather(
        x, tf.cast(x[:, :2] > 0, tf.int32) * 3, axis=1, batch_dims=1
    ),
    "where": lambda x: tf.where(x > 0, x, 3.0 * x),
    "where broadcasting": lambda x: tf.where(x > 0, x, x[:1]),
    "unstack": lambda x: tf.unstack(x, axis=1),
    "split in two": lambda x: tf.split(x, 2, axis=1),
    "split by sizes": lambda x: tf.split(x, [1, 3], axis=1),
    "split unknown axis with -1": lambda x: tf.split(tf.concat([x, x], 0), [1, -1]),
    "split unknown axis evenly": lambda x: tf.split(tf.concat([x, x], 0), 2),
    "split by traced sizes": lambda x: tf.split(tf.concat([x, x], 0), [tf.shape(x)[0], -1]),
    "getitem from 1": lambda x: x[:, 1:],
    "getitem row 0": lambda x: x[0],
    "getitem last row, even columns": lambda x: x[-1, ::2],
    "getitem newaxis and reversed": lambda x: x[..., 1:3][:, None, ::-1],
    "getitem traced index": lambda x: x[tf.shape(x)[0] - 1],
    "slice": lambda x: tf.slice(x, [0, 1], [-1, 2]),
    "boolean_mask": lambda x: tf.boolean_mask(x, x[:, 0] > 0),
    "repeat scalar": lambda x: tf.repeat(x, 3, axis=0),
    "repeat vector": lambda x: tf.repeat(x, [1, 0, 2, 1], axis=1),
    "gather_nd": lambda x: tf.gather_nd(x, [[0, 1], [0, 1], [0, 3]]),
    "gather_nd batch_dims": lambda x: tf.gather_nd(
        x, tf.cast(x[:, :1] > 0, tf.int32) * 3, batch_dims=1
    ),
    "tensor_scatter_nd_update": lambda x: tf.tensor_scatter_nd_update(x, [[0, 1]], [5.0]),
    "tensor_scatter_nd_add": lambda x: tf.tensor_scatter_nd_add(x, [[0, 1]], [5.0]),
    "scatter_nd into a traced shape": lambda x: tf.scatter_nd(
        tf.zeros([tf.shape(x)[0], 1], tf.int32), x, tf.shape(x)
    ),
    "reverse": lambda x: tf.reverse(x, [0, 1]),
    "zeros_like": lambda x: tf.zeros_like(x) + x,
    "ones_like": lambda x: tf.ones_like(x) * x,
    "zeros of tf.shape": lambda x: tf.zeros(tf.shape(x)) + x,
    "ones of a traced list": lambda x: tf.ones([tf.shape(x)[0], 3]) * x[:, :3],
    "fill": lambda x: tf.fill(tf.shape(x), 2.0) * x,
    "one_hot of a traced depth": lambda x: (
        tf.one_hot(tf.cast(tf.abs(x[:, 0]) * 2, tf.int32), tf.shape(x)[1]) * x
    ),
    "meshgrid": lambda x: tf.meshgrid(x[:, 0], x[0]),
}


@pytest.mark.parametrize("fn", list(GENERIC.values()), ids=list(GENERIC))
def test_one_graph_forward(fn):
    check_one_graph(fn, [ROWS], _calls())


@pytest.mark.parametrize("fn", list(GENERIC.values()), ids=list(GENERIC))
def test_one_graph_gradient(fn):
    check_one_graph(_with_gradient(fn), [ROWS], _calls())


def test_sequence_mask_of_traced_lengths_finds_the_longest_on_every_call():
    f = check_one_graph(
        lambda n: tf.sequence_mask(n),
        [tf.TensorSpec([None], tf.int32)],
        [(tf.constant([1]),), (tf.constant([0, 3, 2]),), (tf.constant([5]),)],
    )
    assert f(tf.constant([2, 0])).numpy().tolist() == [[True, True], [False, False]]


def test_gather_gradient_of_known_params_at_unknown_indices():
    params = tf.constant(np.arange(12, dtype=np.float32).reshape(6, 2))

    def fn(ids):
        with tf.GradientTape() as tape:
            tape.watch(params)
            rows = tf.gather(params, ids)
        grad = tape.gradient(rows, params, output_gradients=2.0 * rows)
        return grad.values, grad.indices, grad.dense_shape

    f = check_one_graph(
        fn,
        [tf.TensorSpec([None], tf.int32)],
        [(tf.constant([1]),), (tf.constant([0, 5, 5]),), (tf.constant([2] * 4),)],
    )
    values, indices, dense_shape = f(tf.constant([3, 3]))
    np.testing.assert_allclose(values.numpy(), [[12.0, 14.0], [12.0, 14.0]])
    assert indices.numpy().tolist() == [3, 3] and dense_shape.numpy().tolist() == [6, 2]


def test_gather_nd_with_batch_dims_reads_traced_indices_on_every_call():
    params = tf.constant(np.arange(24.0).reshape(2, 3, 4))
    f = tf.function(lambda p, i: tf.gather_nd(p, i, batch_dims=1))
    for rows in ([[1], [2]], [[0], [0]]), ([[0], [2]], [[2], [1]]):
        indices = tf.constant(rows)
        np.testing.assert_array_equal(
            f(params, indices).numpy(), tf.gather_nd(params, indices, batch_dims=1).numpy()
        )
    assert f.experimental_get_tracing_count() == 1


def test_pad_gradient_is_the_padded_block():
    f = check_one_graph(_with_gradient(lambda x: tf.pad(x, [[2, 1], [0, 3]])), [ROWS], _calls())
    x = _rows(2)
    np.testing.assert_allclose(f(x)[1].numpy(), 2.0 * x.numpy())


# -- static shapes as precise as TF's ---------------------------------------------------


@pytest.mark.parametrize(
    "fn,shapes",
    [
        (lambda x: tf.zeros(tf.shape(x)), [[None, 4]]),
        (lambda x: tf.ones([tf.shape(x)[0], 3]), [[None, 3]]),
        (lambda x: tf.fill(tf.shape(x), 1.0), [[None, 4]]),
        (lambda x: tf.zeros_like(x), [[None, 4]]),
        (lambda x: tf.random.normal(tf.shape(x)), [[None, 4]]),
        (lambda x: tf.random.uniform([tf.shape(x)[0], 2]), [[None, 2]]),
        (lambda x: tf.concat([x, x], 0), [[None, 4]]),
        (lambda x: tf.concat([x, x], 1), [[None, 8]]),
        (lambda x: tf.stack([x, x]), [[2, None, 4]]),
        (lambda x: tf.expand_dims(x, 1), [[None, 1, 4]]),
        (lambda x: tf.squeeze(x[:, :1], 1), [[None]]),
        (lambda x: tf.slice(x, [0, 1], [-1, 2]), [[None, 2]]),
        (lambda x: tf.split(x, [tf.shape(x)[0] - 1, 1]), [[None, 4], [1, 4]]),
        (lambda x: tf.split(x, 2, axis=1), [[None, 2], [None, 2]]),
        (lambda x: tf.unstack(x, axis=1), [[None]] * 4),
        (lambda x: tf.tile(x, [2, 1]), [[None, 4]]),
        (lambda x: tf.pad(x, [[1, 1], [2, 0]]), [[None, 6]]),
        (lambda x: tf.gather(x, [1, 2], axis=1), [[None, 2]]),
        (lambda x: x[:, 1:], [[None, 3]]),
    ],
    ids=[
        "zeros",
        "ones",
        "fill",
        "zeros_like",
        "normal",
        "uniform",
        "concat 0",
        "concat 1",
        "stack",
        "expand_dims",
        "squeeze",
        "slice",
        "split traced",
        "split",
        "unstack",
        "tile",
        "pad",
        "gather",
        "getitem",
    ],
)
def test_static_shapes_keep_what_is_known(fn, shapes):
    assert _static_shapes(fn) == shapes


# -- random ops with a shape known only when the graph runs ------------------------------


def test_vae_reparameterisation_draws_for_each_batch_size_in_one_graph():
    @tf.function(input_signature=[tf.TensorSpec([None, 2]), tf.TensorSpec([None, 2])])
    def sample(mean, logvar):
        eps = tf.random.normal(shape=tf.shape(mean))
        return mean + tf.exp(0.5 * logvar) * eps

    draws = [sample(tf.fill([n, 2], 10.0), tf.zeros([n, 2])) for n in (1, 4, 7)]
    assert [d.shape.as_list() for d in draws] == [[1, 2], [4, 2], [7, 2]]
    assert sample.experimental_get_tracing_count() == 1
    assert len(set(np.round(draws[2].numpy().ravel(), 6))) == 14
    assert np.all(np.abs(draws[2].numpy() - 10.0) < 10.0)


@pytest.mark.parametrize(
    "draw",
    [
        lambda x: tf.random.normal(tf.shape(x), seed=3),
        lambda x: tf.random.truncated_normal([tf.shape(x)[0], 2], seed=3),
        lambda x: tf.random.uniform([tf.shape(x)[0], 2], seed=3),
        lambda x: tf.random.uniform([tf.shape(x)[0]], maxval=5, dtype=tf.int32, seed=3),
    ],
    ids=["normal", "truncated_normal", "uniform", "uniform int"],
)
def test_random_ops_of_traced_shapes_are_seeded_and_shaped_per_call(draw):
    def run():
        tf.random.set_seed(7)
        f = tf.function(draw, input_signature=[ROWS])
        out = [f(_rows(n)).numpy() for n in SIZES]
        assert f.experimental_get_tracing_count() == 1
        return out

    first, again = run(), run()
    assert [o.shape[0] for o in first] == list(SIZES)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)


def test_random_op_of_a_traced_shape_draws_the_numbers_of_its_constant_shape():
    tf.random.set_seed(5)
    traced = tf.function(lambda x: tf.random.uniform(tf.shape(x), seed=2), input_signature=[ROWS])(
        _rows(3)
    )
    # As in TF, the traced op owns its stream: it starts where an eager op with the
    # same seeds starts (the example run of the trace draws nothing).
    tf.random.set_seed(5)
    np.testing.assert_array_equal(traced.numpy(), tf.random.uniform([3, 4], seed=2).numpy())


# -- checks left to the running graph ----------------------------------------------------


@pytest.mark.parametrize(
    "fn,message,good,bad",
    [
        (lambda x: tf.squeeze(x, [0]), r"Can not squeeze dim\[0\]", 1, 3),
        (lambda x: tf.split(x, 2), "evenly divide", 2, 3),
        (lambda x: tf.split(x, [1, 1]), "Determined shape must", 2, 3),
        (lambda x: tf.unstack(x, num=2), "must equal 2", 2, 3),
        (lambda x: tf.slice(x, [0, 0], [2, 1]), r"Expected size\[0\] in \[0, 1\]", 2, 1),
        (lambda x: tf.concat([x, tf.zeros([2, 4])], 1), "ConcatV2", 2, 3),
        (
            lambda x: tf.tensor_scatter_nd_add(
                x, tf.zeros([tf.shape(x)[0], 1], tf.int32), tf.zeros([2, 4])
            ),
            "Outer dimensions of indices and update must match",
            2,
            3,
        ),
    ],
    ids=["squeeze", "split evenly", "split sizes", "unstack", "slice", "concat", "tensor_scatter"],
)
def test_sizes_unknown_when_tracing_are_checked_when_the_graph_runs(fn, message, good, bad):
    f = tf.function(fn, input_signature=[ROWS])
    f(_rows(good))
    assert not _specialised(f)
    with pytest.raises(InvalidArgumentError, match=message):
        f(_rows(bad))
    assert f.experimental_get_tracing_count() == 1


def test_squeeze_of_all_size_1_dims_traces_per_shape_as_its_rank_depends_on_them():
    f = tf.function(lambda x: tf.squeeze(x[:, :1]), input_signature=[ROWS])
    assert f(_rows(1)).shape.as_list() == []
    assert f(_rows(3)).shape.as_list() == [3]
    np.testing.assert_allclose(f(_rows(3)).numpy(), _rows(3).numpy()[:, 0])
    assert f.experimental_get_tracing_count() == 2
    assert "squeeze" in _specialised(f)[0]


def test_eager_results_and_errors_are_unchanged():
    x = tf.reshape(tf.range(12.0), [3, 4])
    assert tf.expand_dims(x, -1).shape.as_list() == [3, 4, 1]
    assert tf.squeeze(tf.zeros([1, 3, 1])).shape.as_list() == [3]
    with pytest.raises(
        InvalidArgumentError,
        match=r"Can not squeeze dim\[1\], expected a "
        r"dimension of 1, got 4",
    ):
        tf.squeeze(x, [1])
    with pytest.raises(
        InvalidArgumentError, match="ConcatOp : Dimension 1 in both shapes must be equal"
    ):
        tf.concat([x, tf.zeros([3, 2])], 0)
    with pytest.raises(InvalidArgumentError, match="Shapes of all inputs must match"):
        tf.stack([x, tf.zeros([4, 3])])
    assert [t.shape[0] for t in tf.split(tf.zeros([6, 2]), [1, -1, 2])] == [1, 3, 2]
