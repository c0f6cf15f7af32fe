"""Random-number programs run twice: by real TensorFlow (``record_random_fixtures.py``
writes what they return) and by tensorflux (``test_random_streams.py`` compares).

Each case takes the ``tf`` module it runs on and returns a list of arrays. The module
imports neither framework, so the test suite never needs TensorFlow.
"""

import numpy as np


def eager_global_seed(tf):
    tf.random.set_seed(7)
    return [
        tf.random.uniform([3]),
        tf.random.normal([5]),
        tf.random.truncated_normal([2, 3]),
        tf.random.uniform([7], -3, 10, dtype=tf.int32),
        tf.random.uniform([5], dtype=tf.float64),
        tf.random.normal([3], dtype=tf.float64),
        tf.random.truncated_normal([9], dtype=tf.float64),
        tf.random.uniform([6], dtype=tf.float16),
        tf.random.normal([5], dtype=tf.float16),
        tf.random.truncated_normal([7], dtype=tf.float16),
        tf.random.uniform([2, 2], minval=-1.5, maxval=2.5),
        tf.random.normal([4], mean=3.0, stddev=0.5),
    ]


def eager_op_seed_repeated(tf):
    tf.random.set_seed(None)
    return [
        tf.random.uniform([10], seed=3),
        tf.random.uniform([10], seed=3),
        tf.random.uniform([2], seed=3),
        tf.random.normal([1001], seed=4),
        tf.random.normal([1001], seed=4),
        tf.random.truncated_normal([33], seed=5),
        tf.random.truncated_normal([33], seed=5),
        tf.random.uniform([9], -(2**40), 2**40, dtype=tf.int64, seed=6),
        tf.random.uniform([9], -(2**40), 2**40, dtype=tf.int64, seed=6),
    ]


def eager_both_seeds(tf):
    tf.random.set_seed(11)
    out = [
        tf.random.uniform([4], seed=2),
        tf.random.uniform([4], seed=2),
        tf.random.normal([3], seed=2),
        tf.random.uniform([4]),
    ]
    tf.random.set_seed(11)
    out += [tf.random.uniform([4], seed=2), tf.random.uniform([4])]
    return out


def seed_truncation(tf):
    out = []
    for global_seed, op_seed in [
        (2**40 + 5, None),
        (-5, None),
        (0, 0),
        (2**31 - 1, 3),
        (None, 2**33),
        (None, -7),
    ]:
        tf.random.set_seed(global_seed)
        out.append(tf.random.uniform([3], seed=op_seed))
    return out


def large_counts(tf):
    tf.random.set_seed(None)
    return [
        tf.random.uniform([1_000_003], seed=1),
        tf.random.normal([400_001], seed=2),
        tf.random.truncated_normal([100_003], seed=3),
        tf.random.normal([50_001], seed=4, dtype=tf.float64),
        tf.random.truncated_normal([20_001], seed=5, dtype=tf.float64),
        tf.random.uniform([100_003], 0, 1000, dtype=tf.int32, seed=6),
    ]


def traced(tf):
    tf.random.set_seed(5)

    @tf.function
    def draw(x):
        return [
            tf.random.uniform([3]),
            tf.random.normal([2, 2]),
            tf.random.truncated_normal(tf.shape(x)),
            tf.random.uniform([3], seed=9),
            tf.random.uniform([5], 0, 7, dtype=tf.int32),
        ]

    x = tf.zeros([2, 3])
    out = draw(x) + draw(x)
    tf.random.set_seed(5)
    return out + draw(x)


def dropout_and_shuffle(tf):
    tf.random.set_seed(3)
    return [
        tf.nn.dropout(tf.ones([4, 5]), 0.5),
        tf.nn.dropout(tf.ones([7]), 0.3, seed=1),
        tf.random.shuffle(tf.range(10)),
        tf.random.shuffle(tf.reshape(tf.range(10), [5, 2])),
        tf.random.shuffle(tf.range(1000), seed=4),
    ]


def categorical(tf):
    tf.random.set_seed(None)
    logits = tf.constant([[0.0, 1.0, 2.0], [1.0, 1.0, -1.0]])
    return [
        tf.random.categorical(logits, 5, seed=1),
        tf.random.categorical(logits, 5, seed=1),
        tf.random.categorical(tf.math.log([[0.1, 0.2, 0.3, 0.4]]), 11, seed=2, dtype=tf.int32),
        tf.random.stateless_categorical(logits, 7, seed=[4, 5]),
        tf.random.stateless_categorical(tf.zeros([3, 6]), 9, seed=[-1, 2], dtype=tf.int32),
    ]


def stateless(tf):
    out = []
    for seed in ([1, 2], [-5, 2**40], tf.constant([7, 0], tf.int32)):
        out += [
            tf.random.stateless_uniform([7], seed),
            tf.random.stateless_normal([2, 3], seed, mean=1.0, stddev=2.0),
            tf.random.stateless_truncated_normal([9], seed, dtype=tf.float64),
            tf.random.stateless_uniform([5], seed, -3, 11, dtype=tf.int32),
            tf.random.stateless_uniform([3], seed, minval=None, maxval=None, dtype=tf.int64),
            tf.random.stateless_uniform([2, 2], seed, 1.5, 4.0, dtype=tf.float16),
        ]

    @tf.function
    def traced(x):
        return tf.random.stateless_normal(tf.shape(x), [3, 4])

    return out + [
        traced(tf.zeros([3, 5])),
        tf.random.stateless_normal([3, 5], [3, 4]),
        tf.random.stateless_uniform([100_003], [9, 9]),
    ]


def generator(tf):
    g = tf.random.Generator.from_seed(1234)
    out = [
        g.uniform([5]),
        g.normal([3], 1.0, 0.5),
        g.truncated_normal([6]),
        g.uniform([4], 0, 10, dtype=tf.int32),
        g.uniform_full_int([2], dtype=tf.int64),
        g.make_seeds(2),
        g.state,
    ]
    children = g.split(2)
    out += [c.normal([3]) for c in children] + [g.state]
    for seed in (2**70 + 3, -1, [5, 6]):
        out.append(tf.random.Generator.from_seed(seed).uniform([3], dtype=tf.float64))

    @tf.function
    def traced():
        return g.normal([2, 2])

    return out + [
        traced(),
        traced(),
        g.state,
        tf.random.Generator(state=[1, 2, 3], alg="philox").normal([4]),
    ]


def dataset_shuffle(tf):
    """Dataset.shuffle orders: element and batched (block) pipelines, reshuffled or not,
    seeded per op or from the global seed."""
    tf.random.set_seed(None)

    def run(ds, epochs=2):
        # Batches (the last one shorter) joined into one array per epoch.
        return [
            np.concatenate([np.reshape(b, -1) for b in ds.as_numpy_iterator()])
            for _ in range(epochs)
        ]

    out = run(tf.data.Dataset.range(10).shuffle(4, seed=3))
    out += run(tf.data.Dataset.range(10).shuffle(4, seed=3, reshuffle_each_iteration=False))
    out += run(tf.data.Dataset.from_tensor_slices(np.arange(40)).shuffle(7, seed=1).batch(3))
    out += run(
        tf.data.Dataset.from_tensor_slices((np.arange(30.0), np.arange(30) % 4))
        .shuffle(100, seed=5)
        .batch(8)
        .map(lambda x, y: x + tf.cast(y, tf.float64))
    )
    tf.random.set_seed(12)
    out += run(tf.data.Dataset.range(25).shuffle(10).map(lambda x: x * 2))
    return out


def xor_short_run(tf):
    """The start of ``examples/xor_seeded.py``: its seeded weights and 300 SGD steps."""
    tf.random.set_seed(1)
    x = tf.constant([[0, 0], [0, 1], [1, 0], [1, 1]], tf.float32)
    t = tf.constant([[0], [1], [1], [0]], tf.float32)
    w = [
        tf.Variable(tf.random.truncated_normal(s, stddev=0.1))
        for s in ([2, 2], [1, 2], [2, 1], [1, 1])
    ]
    start = [v.numpy() for v in w]

    def loss():
        h = tf.sigmoid(tf.matmul(x, w[0]) + w[1])
        return tf.reduce_sum(tf.square(tf.sigmoid(tf.matmul(h, w[2]) + w[3]) - t))

    opt = tf.keras.optimizers.SGD(0.5)
    for _ in range(300):
        opt.minimize(loss, w)
    return start + [loss()]


def image_augmentations(tf):
    """tf.image's random and stateless random augmentations: flips of one image and of
    a batch (a uint8 one too), colour adjustments, and crops of any rank."""
    img = np.arange(2 * 3 * 4 * 3, dtype=np.float32).reshape(2, 3, 4, 3) / 72.0
    ints = np.arange(5 * 2 * 2 * 1, dtype=np.uint8).reshape(5, 2, 2, 1)
    value = np.arange(5 * 6 * 3).reshape(5, 6, 3)
    out = []
    for seed in [(1, 2), (7, -3), tf.constant([4, 2**40], tf.int64)]:
        out += [
            tf.image.stateless_random_flip_left_right(img[0], seed),
            tf.image.stateless_random_flip_up_down(img[0], seed),
            tf.image.stateless_random_flip_left_right(img, seed),
            tf.image.stateless_random_flip_up_down(ints, seed),
            tf.image.stateless_random_brightness(img, 0.3, seed),
            tf.image.stateless_random_contrast(img, 0.2, 1.8, seed),
            tf.image.stateless_random_saturation(img, 0.1, 2.0, seed),
            tf.image.stateless_random_hue(img, 0.4, seed),
            tf.image.stateless_random_crop(value, [3, 4, 2], seed),
            tf.image.stateless_random_crop(img, [1, 2, 2, 3], seed),
        ]
    out += [tf.image.stateless_random_flip_left_right(ints, [i, 0]) for i in range(4)]
    tf.random.set_seed(3)
    out += [
        tf.image.random_flip_left_right(img[0]),
        tf.image.random_flip_left_right(img, seed=5),
        tf.image.random_flip_up_down(ints, seed=6),
        tf.image.random_flip_up_down(ints),
        tf.image.random_brightness(img, 0.2, seed=1),
        tf.image.random_contrast(img, 0.5, 1.5),
        tf.image.random_saturation(img, 0.5, 1.5, seed=2),
        tf.image.random_hue(img, 0.1),
        tf.image.random_crop(value, [2, 2, 3], seed=4),
        tf.image.random_crop(value, [2, 2, 3], seed=4),
        tf.image.random_crop(value, [5, 1, 1]),
    ]

    @tf.function
    def traced(x, seed):
        return [
            tf.image.stateless_random_crop(x, [2, 3, 3], seed),
            tf.image.stateless_random_flip_left_right(x, seed),
            tf.image.random_crop(x, [1, 1, 3]),
        ]

    x = tf.constant(img[1])
    return out + traced(x, tf.constant([1, 2])) + traced(x, tf.constant([5, 6]))


def gamma(tf):
    """tf.random.gamma and stateless_gamma: small, unit and large alphas (alpha < 1
    draws one more uniform, alpha == 1 is an exponential), beta, every float dtype,
    edge alphas, and a traced function."""
    alphas = [0.3, 1.0, 2.5, 0.9, 7.0, 1e-3, 40.0]
    tf.random.set_seed(3)
    out = [
        tf.random.gamma([4], [0.5, 1.0, 3.0]),
        tf.random.gamma([40], alphas, seed=7),
        tf.random.gamma([40], alphas, seed=7),
        tf.random.gamma([2, 3], 2.0, beta=[[1.0], [4.0]], seed=7),
        tf.random.gamma([30], alphas, dtype=tf.float64, seed=8),
        tf.random.gamma([30], alphas, dtype=tf.float16, seed=9),
        tf.random.gamma([20], [-0.5, 0.0, np.nan, np.inf, 1e-30], seed=2),
    ]
    for seed in ([1, 2], [5, -6], tf.constant([2**40, 3], tf.int64)):
        out += [
            tf.random.stateless_gamma([30, 7], seed, alpha=alphas),
            tf.random.stateless_gamma([4, 3, 2], seed, [[1.0], [3.0], [5.0]], [[3.0, 4.0]]),
            tf.random.stateless_gamma([25, 7], seed, alphas, dtype=tf.float64),
            tf.random.stateless_gamma([25, 7], seed, alphas, dtype=tf.float16),
        ]

    @tf.function
    def traced(a):
        return [tf.random.gamma([3], a), tf.random.stateless_gamma([3, 2], [4, 4], a)]

    a = tf.constant([0.7, 2.0])
    return out + traced(a) + traced(a)


def gamma_gradients(tf):
    """Gradients of gamma samples with respect to alpha (TF's implicit
    reparameterisation), through beta and the stateless form too."""
    tf.random.set_seed(11)
    out = []
    for dtype in (tf.float32, tf.float64):
        alpha = tf.constant([0.05, 0.5, 1.0, 2.0, 9.0, 30.0], dtype)
        beta = tf.constant(1.5, dtype)
        with tf.GradientTape(persistent=True) as tape:
            tape.watch([alpha, beta])
            a = tf.random.gamma([20], alpha, beta=beta, dtype=dtype, seed=4)
            b = tf.random.stateless_gamma([3, 20, 6], [7, 8], alpha, beta, dtype=dtype)
            loss = tf.reduce_sum(tf.sqrt(a)) + tf.reduce_sum(tf.sin(b))
        out += [a, b, tape.gradient(loss, alpha), tape.gradient(loss, beta)]
        out.append(tape.gradient(b, alpha))
    return out


def poisson(tf):
    """tf.random.poisson and stateless_poisson: Knuth's method below rate 10, Hormann's
    rejection above, zero and negative rates, float and int dtypes, traced."""
    rates = [0.3, 1.0, 9.99, 10.0, 25.0, 300.0, 0.0, -2.0, 3e4]
    tf.random.set_seed(6)
    out = [
        tf.random.poisson([5], [0.5, 12.0]),
        tf.random.poisson([40], rates, seed=2),
        tf.random.poisson([40], rates, seed=2),
        tf.random.poisson([20], rates, dtype=tf.int32, seed=3),
        tf.random.poisson([3, 2], tf.constant([[2.0], [40.0]], tf.float64), tf.int64, seed=4),
        tf.random.poisson([6], [1, 20], dtype=tf.float16, seed=5),
    ]
    for seed in ([1, 2], [5, -6]):
        out += [
            tf.random.stateless_poisson([30, 9], seed, lam=rates),
            tf.random.stateless_poisson([4, 2], seed, [3.0, 50.0], dtype=tf.float32),
            tf.random.stateless_poisson([5, 2], seed, [1, 30], dtype=tf.int64),
        ]

    @tf.function
    def traced(lam):
        return [tf.random.poisson([3], lam), tf.random.stateless_poisson([3, 2], [4, 4], lam)]

    lam = tf.constant([0.7, 20.0])
    return out + traced(lam) + traced(lam)


def binomial(tf):
    """tf.random.stateless_binomial and Generator.binomial: inversion (mean below 10)
    and BTRS, probabilities above one half, the edges 0 and 1, broadcasting, every
    parameter and output dtype, traced; the Generator's state after each draw."""
    counts = [0.0, 5.0, 10.0, 19.0, 20.0, 100.0, 3000.0, 1e6, 7.5, -3.0]
    probs = [0.3, 0.0, 1.0, 0.5, 0.51, 0.9, 0.002, 0.25, 0.99, 0.4]
    out = []
    for seed in ([1, 2], [-5, 77]):
        out += [
            tf.random.stateless_binomial([40, 10], seed, counts, probs),
            tf.random.stateless_binomial([3, 2, 2], seed, [[10.0], [50.0]], [0.2, 0.7]),
            tf.random.stateless_binomial(
                [7],
                seed,
                tf.constant(30.0, tf.float64),
                tf.constant(0.45, tf.float64),
                output_dtype=tf.float64,
            ),
            tf.random.stateless_binomial(
                [6, 2],
                seed,
                tf.constant([12.0, 40.0], tf.float16),
                tf.constant([0.8, 0.3], tf.float16),
                output_dtype=tf.int64,
            ),
            tf.random.stateless_binomial([5], seed, 40.0, 0.5, output_dtype=tf.float32),
        ]
    # The states are copied at once: TF's binomial kernel updates the state's buffer
    # in place even while an earlier read of it is alive.
    g = tf.random.Generator.from_seed(3)
    out += [g.binomial([20, 3], [10.0, 200.0, 4.0], [0.6, 0.1, 0.3]), np.array(g.state.numpy())]
    out += [g.binomial([7], 25.0, 0.5, dtype=tf.float32), np.array(g.state.numpy())]

    @tf.function
    def traced(p):
        return [
            tf.random.stateless_binomial([4, 2], [9, 9], [15.0, 80.0], p),
            g.binomial([3], 12.0, p[0]),
        ]

    p = tf.constant([0.35, 0.6])
    out += traced(p) + [np.array(g.state.numpy())]
    return out + traced(p) + [np.array(g.state.numpy())]


def seed_utilities(tf):
    """tf.random.split, fold_in, create_rng_state and the Generator's algorithm and
    state for each algorithm name."""
    out = [
        tf.random.split([1, 2]),
        tf.random.split(tf.constant([3, -4], tf.int64), 5),
        tf.random.fold_in([1, 2], 3),
        tf.random.fold_in(tf.constant([1, 2], tf.int64), tf.constant(9, tf.int64)),
        tf.random.experimental.stateless_split([7, 8], 2),
        tf.random.experimental.stateless_fold_in([7, 8], -1),
        tf.random.create_rng_state(2**70 + 3, "philox"),
        tf.random.create_rng_state([1, 2], 1),
        tf.random.create_rng_state([1, 2, 3, 4], "auto_select"),
        tf.random.create_rng_state(-1, tf.random.Algorithm.PHILOX),
        tf.random.create_rng_state(5, "threefry"),
    ]
    for alg in (None, "philox", "auto_select", "threefry", tf.random.Algorithm.PHILOX, 3):
        g = tf.random.Generator.from_seed(12, alg=alg)
        out += [np.array(g.algorithm), g.state.read_value()]
    return out


def stateless_shuffle(tf):
    """tf.random.experimental.stateless_shuffle: shapes (rows of vectors and matrices,
    empty, one row, no columns, a scalar, many rows), dtypes, seeds and algorithms,
    eager and traced; strings come back as their numbers."""
    shuffle = tf.random.experimental.stateless_shuffle
    out = []
    for seed in ([1, 2], [-5, 2**40], tf.constant([7, 0], tf.int32), [0, 0]):
        out.append(shuffle(tf.range(10), seed))
    matrix = tf.reshape(tf.range(21.0), [7, 3])
    for alg in ("auto_select", "philox", tf.random.Algorithm.PHILOX, 1, 3):
        out.append(shuffle(matrix, [8, 9], alg=alg))
    out += [
        shuffle(tf.constant([[1, 2], [3, 4], [5, 6]]), [8, 9]),
        shuffle(tf.range(5, dtype=tf.int64), [3, 4]),
        shuffle(tf.cast(tf.range(6), tf.float64), [3, 4]),
        shuffle(tf.constant([True, False, False, True, True]), [5, 6]),
        shuffle(tf.reshape(tf.range(24), [4, 3, 2]), [1, 1]),
        shuffle(tf.zeros([0, 3]), [1, 2]),
        shuffle(tf.constant([[4.0, 5.0]]), [1, 2]),
        shuffle(tf.zeros([3, 0]), [1, 2]),
        shuffle(tf.constant(5), [1, 2]),
        shuffle([1, 2, 3], [1, 2]),
        shuffle(tf.range(1001), [3, 5]),
        shuffle(tf.range(100_003), [11, 12]),
    ]
    words = shuffle(tf.constant([str(i) for i in range(9)]), [2, 3])
    out.append(np.array([int(w) for w in words.numpy()]))

    @tf.function
    def traced(value, seed):
        return shuffle(value, seed)

    out += [traced(tf.range(10), tf.constant([1, 2])), traced(tf.range(10), tf.constant([1, 2]))]
    return out


def stateful_shuffle(tf):
    """tf.random.shuffle's streams: op seed alone, global seed alone and both, repeated
    calls, matrices, strings, one row, many rows, and traced."""
    tf.random.set_seed(None)
    out = [
        tf.random.shuffle(tf.range(10), seed=5),
        tf.random.shuffle(tf.range(10), seed=5),
        tf.random.shuffle(tf.range(3), seed=5),
        tf.random.shuffle(tf.reshape(tf.range(12.0), [6, 2]), seed=5),
        tf.random.shuffle(tf.range(100_003), seed=6),
    ]
    tf.random.set_seed(4)
    out += [
        tf.random.shuffle(tf.range(10)),
        tf.random.shuffle(tf.range(10)),
        tf.random.shuffle(tf.range(10), seed=2),
        tf.random.shuffle(tf.range(10), seed=2),
        tf.random.shuffle(tf.constant([[1.5]]), seed=2),
        tf.random.shuffle(tf.range(7, dtype=tf.int64), seed=2),
    ]
    words = tf.random.shuffle(tf.constant([str(i) for i in range(9)]), seed=3)
    out.append(np.array([int(w) for w in words.numpy()]))

    @tf.function
    def traced(value):
        return tf.random.shuffle(value), tf.random.shuffle(value, seed=1)

    tf.random.set_seed(0)
    for _ in range(2):
        out += list(traced(tf.range(9)))
    return out


CASES = {
    f.__name__: f
    for f in [
        eager_global_seed,
        eager_op_seed_repeated,
        eager_both_seeds,
        seed_truncation,
        large_counts,
        traced,
        dropout_and_shuffle,
        categorical,
        stateless,
        generator,
        dataset_shuffle,
        xor_short_run,
        image_augmentations,
        gamma,
        gamma_gradients,
        poisson,
        binomial,
        seed_utilities,
        stateless_shuffle,
        stateful_shuffle,
    ]
}


def summarize(arrays) -> list:
    """Compact, exact record of each array: dtype, shape, a hash of its bytes, and the
    values themselves when small (else the first eight and the sum)."""
    import hashlib

    out = []
    for a in arrays:
        a = np.asarray(a.numpy() if hasattr(a, "numpy") else a)
        row = {
            "dtype": a.dtype.name,
            "shape": list(a.shape),
            "sha": hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()[:20],
        }
        flat = a.reshape(-1)
        if flat.size <= 64:
            row["values"] = flat.tolist()
        else:
            row["head"] = flat[:8].tolist()
            row["sum"] = float(flat.astype(np.float64).sum())
        out.append(row)
    return out
