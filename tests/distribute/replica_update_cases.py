"""What two replicas of a MirroredStrategy make of a mirrored variable's updates, of a
``tf.random.Generator``, of ``tf.function`` arguments and results that live on replicas,
of a distributed dataset and of integer means. Written against the ``tf`` module it is
given: the fixture recorder runs it on TensorFlow, the test on tensorflux, and the two
results must agree."""

AGGREGATIONS = ("NONE", "SUM", "MEAN", "ONLY_FIRST_REPLICA")


def _replica_id(tf):
    return tf.cast(tf.distribute.get_replica_context().replica_id_in_sync_group, tf.float32)


def _updates(tf, strategy, aggregation, update, wrap):
    """The variable's value after every replica made ``update``, or the error's type."""
    with strategy.scope():
        v = tf.Variable(1.0, aggregation=getattr(tf.VariableAggregation, aggregation))

    def replica_fn():
        rid = _replica_id(tf)
        if update == "add_replica_id":
            v.assign_add(rid + 1.0)
        elif update == "set_replica_id":
            v.assign(rid + 5.0)
        elif update == "sub_python_number":
            v.assign_sub(1.0)
        else:
            v.assign_add(1.0)
        return tf.constant(0.0)

    run = (
        (lambda: strategy.run(replica_fn))
        if wrap == "eager"
        else tf.function(lambda: strategy.run(replica_fn))
    )
    try:
        run()
    except ValueError as error:
        return type(error).__name__
    return float(v.numpy())


def _counter_and_generator(tf, strategy):
    """A step counter and a generator used inside a traced training step."""
    with strategy.scope():
        counter = tf.Variable(0, dtype=tf.int64)
        generator = tf.random.Generator.from_seed(7)

    @tf.function
    def step():
        def replica_fn():
            counter.assign_add(1)
            return (
                generator.normal([3]),
                generator.uniform([2], 0, 100, dtype=tf.int64),
                generator.truncated_normal([2]),
            )

        return strategy.run(replica_fn)

    draws = []
    for _ in range(2):
        draws.append(
            [[v.numpy().tolist() for v in strategy.experimental_local_results(d)] for d in step()]
        )
    return {
        "counter": int(counter.numpy()),
        "draws": draws,
        "state": generator.state.numpy().tolist(),
    }


def _traces_of_distributed_batches(tf, strategy):
    traces = []

    @tf.function
    def step(batch):
        traces.append(1)
        return strategy.reduce("SUM", strategy.run(tf.reduce_sum, args=(batch,)), axis=None)

    data = tf.data.Dataset.range(12).map(lambda x: tf.cast(x, tf.float32)).batch(4)
    sums = [float(step(b)) for b in strategy.experimental_distribute_dataset(data)]
    return {"sums": sums, "traces": len(traces)}


def _inputs_and_means(tf, strategy):
    """A distributed dataset's spec, size and iterator, a loop over it in a tf.function,
    and integer means (TF's true division gives float64)."""
    data = tf.data.Dataset.range(10).map(lambda x: tf.cast(x, tf.float32)).batch(4)
    distributed = strategy.experimental_distribute_dataset(data)
    iterator = iter(distributed)
    first = iterator.get_next()

    @tf.function
    def total(batches):
        acc = tf.constant(0.0)
        for batch in batches:
            acc += strategy.reduce("SUM", strategy.run(tf.reduce_sum, args=(batch,)), axis=None)
        return acc

    def replica_int():
        return tf.distribute.get_replica_context().replica_id_in_sync_group + 3

    mean = strategy.reduce("MEAN", strategy.run(replica_int), axis=None)
    all_reduced = strategy.run(
        lambda: tf.distribute.get_replica_context().all_reduce("MEAN", replica_int())
    )
    return {
        "element_spec": repr(distributed.element_spec),
        "cardinality": int(distributed.cardinality),
        "first": [v.numpy().tolist() for v in strategy.experimental_local_results(first)],
        "optional": bool(iterator.get_next_as_optional().has_value()),
        "total": float(total(distributed)),
        "mean": [mean.dtype.name, float(mean)],
        "all_reduce_mean": [
            [v.dtype.name, float(v)] for v in strategy.experimental_local_results(all_reduced)
        ],
    }


def replica_updates(tf, strategy):
    """Every case, as JSON-ready values."""
    updates = {
        f"{aggregation}/{update}/{wrap}": _updates(tf, strategy, aggregation, update, wrap)
        for aggregation in AGGREGATIONS
        for update in ("add_replica_id", "set_replica_id", "add_python_number", "sub_python_number")
        for wrap in ("eager", "function")
    }
    with strategy.scope():
        variable = tf.Variable(1.0)
        metric = tf.keras.metrics.Mean()
        norm = tf.keras.layers.BatchNormalization()
        norm.build((None, 2))
    modes = {
        "variable": [variable.synchronization.name, variable.aggregation.name],
        "metric": [metric.variables[0].synchronization.name, metric.variables[0].aggregation.name],
        "moving_mean": [norm.moving_mean.synchronization.name, norm.moving_mean.aggregation.name],
    }
    return {
        "updates": updates,
        "modes": modes,
        **_counter_and_generator(tf, strategy),
        **_traces_of_distributed_batches(tf, strategy),
        "inputs_and_means": _inputs_and_means(tf, strategy),
    }
