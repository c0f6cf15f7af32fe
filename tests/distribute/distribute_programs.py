"""Programs that test_distribute.py runs in fresh processes (splitting the CPU into
logical CPUs must happen before anything lists devices; workers are launched by
mpiexec). Each prints one JSON line of results.

    python distribute_programs.py local2          # MirroredStrategy over 2 logical CPUs
    python distribute_programs.py workers DIR     # MultiWorkerMirroredStrategy, 1 worker
    mpiexec -n 2 python distribute_programs.py workers DIR
    mpiexec -n 2 python distribute_programs.py stall|die   # worker 1 fails

The workers write DIR/result-<rank>.json, a checkpoint to DIR/ckpt and TensorBoard logs
to DIR/logs.
"""

import contextlib
import json
import os
import signal
import sys
import time

import numpy as np

import tensorflux as tf

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from replica_update_cases import replica_updates  # noqa: E402


def data():
    x = np.arange(24, dtype="float32").reshape(8, 3) / 10
    y = np.arange(8, dtype="float32").reshape(8, 1) / 10
    return x, y


def fit_dense(strategy, batch_size, callbacks=()):
    x, y = data()
    with strategy.scope():
        model = tf.keras.Sequential(
            [tf.keras.layers.Dense(1, input_shape=(3,), kernel_initializer="ones")]
        )
        model.compile(tf.keras.optimizers.SGD(0.1), "mse", metrics=["mae"])
    history = model.fit(
        x, y, batch_size=batch_size, epochs=2, verbose=0, shuffle=False, callbacks=list(callbacks)
    )
    return {
        "history": {k: [float(v) for v in vs] for k, vs in history.history.items()},
        "fit_metric_results": metric_results(model),
        "weights": [w.tolist() for w in model.get_weights()],
        **evaluated_and_predicted(model, x, y, 3),
    }


def metric_results(model):
    """What the model's metric objects hold now (read after ``fit`` or ``evaluate``)."""
    return {m.name: float(m.result()) for m in model.metrics}


def evaluated_and_predicted(model, x, y, batch_size):
    evaluated = model.evaluate(x, y, batch_size=batch_size, verbose=0, return_dict=True)
    return {
        "evaluate": evaluated,
        "evaluate_metric_results": metric_results(model),
        "predict": model.predict(x, batch_size=batch_size, verbose=0).tolist(),
    }


class RowCounter(tf.keras.layers.Layer):
    """The identity, noting the rows of every call (in an eagerly run model)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.calls = []

    def call(self, inputs):
        if inputs.shape[0] is not None:  # not the symbolic call that builds the model
            self.calls.append(int(inputs.shape[0]))
        return inputs


def evaluate_and_predict_rows(strategy):
    """``evaluate`` and ``predict`` of 7 examples in batches of 3 (the last batch has
    fewer examples than two replicas), with the rows this process's replicas ran."""
    x, y = data()
    with strategy.scope() if strategy is not None else contextlib.nullcontext():
        counter = RowCounter()
        model = tf.keras.Sequential(
            [tf.keras.Input((3,)), counter, tf.keras.layers.Dense(1, kernel_initializer="ones")]
        )
        model.compile(tf.keras.optimizers.SGD(0.1), "mse", metrics=["mae", "mse"], run_eagerly=True)
    evaluated = model.evaluate(x[:7], y[:7], batch_size=3, verbose=0, return_dict=True)
    evaluate_calls, counter.calls = counter.calls, []
    predicted = model.predict(x[:7], batch_size=3, verbose=0)
    return {
        "evaluate": evaluated,
        "evaluate_rows": sorted(evaluate_calls),
        "predict": predicted.tolist(),
        "predict_rows": sorted(counter.calls),
    }


def fit_cnn(strategy):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 6, 6, 1)).astype("float32")
    y = rng.integers(0, 3, size=(8,))
    with strategy.scope():
        model = tf.keras.Sequential(
            [
                tf.keras.layers.Conv2D(2, 3, activation="relu", input_shape=(6, 6, 1)),
                tf.keras.layers.MaxPooling2D(),
                tf.keras.layers.Flatten(),
                tf.keras.layers.Dense(3),
            ]
        )
        model.compile(
            tf.keras.optimizers.Adam(0.01),
            tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=["accuracy"],
        )
    model.set_weights([rng.normal(scale=0.3, size=w.shape) for w in model.get_weights()])
    history = model.fit(x, y, batch_size=4, epochs=2, verbose=0, shuffle=False)
    return {
        "history": {k: [float(v) for v in vs] for k, vs in history.history.items()},
        "weights": [w.tolist() for w in model.get_weights()],
        **evaluated_and_predicted(model, x, y, 3),
    }


def fit_batch_norm(strategy):
    x, y = data()
    with strategy.scope():
        model = tf.keras.Sequential(
            [
                tf.keras.layers.Dense(2, input_shape=(3,), kernel_initializer="ones"),
                tf.keras.layers.BatchNormalization(momentum=0.5),
                tf.keras.layers.Dense(1, kernel_initializer="ones"),
            ]
        )
        model.compile(tf.keras.optimizers.SGD(0.1), "mse")
    history = model.fit(x, y, batch_size=4, epochs=2, verbose=0, shuffle=False)
    return {
        "history": {k: [float(v) for v in vs] for k, vs in history.history.items()},
        "weights": [w.tolist() for w in model.get_weights()],
    }


def custom_loop(strategy):
    x, y = data()
    with strategy.scope():
        w = tf.Variable(tf.ones((3, 1)))
        opt = tf.keras.optimizers.SGD(0.1)
    dataset = strategy.experimental_distribute_dataset(
        tf.data.Dataset.from_tensor_slices((x, y)).batch(4)
    )

    @tf.function
    def step(batch):
        def replica_step(inputs):
            xb, yb = inputs
            with tf.GradientTape() as tape:
                per_example = tf.reduce_sum((tf.matmul(xb, w) - yb) ** 2, axis=1)
                loss = tf.nn.compute_average_loss(per_example)
            opt.apply_gradients([(tape.gradient(loss, w), w)])
            return loss

        losses = strategy.run(replica_step, args=(batch,))
        return strategy.reduce(tf.distribute.ReduceOp.SUM, losses, axis=None)

    losses = [float(step(batch)) for batch in dataset]
    return {"losses": losses, "w": w.numpy().tolist()}


def run_tf_function(strategy):
    """``strategy.run`` of a tf.function whose replicas all-reduce their gradients."""
    with strategy.scope():
        w = tf.Variable(1.0)
        opt = tf.keras.optimizers.SGD(0.1)

    @tf.function
    def step(x):
        with tf.GradientTape() as tape:
            loss = w * x
        opt.apply_gradients([(tape.gradient(loss, w), w)])
        return loss

    losses = strategy.run(step, args=(tf.constant(2.0),))
    return [float(v) for v in strategy.experimental_local_results(losses)], float(w)


def local2():
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    two = ["/cpu:0", "/cpu:1"]
    strategy = tf.distribute.MirroredStrategy(two)

    def replica_value():
        context = tf.distribute.get_replica_context()
        rid = tf.cast(context.replica_id_in_sync_group, tf.float32)
        return rid + tf.constant([1.0, 2.0]), context.all_reduce("SUM", rid + 1.0)

    values, summed = strategy.run(replica_value)

    def only_replica_0_reduces():
        context = tf.distribute.get_replica_context()
        if context._replica_id == 0:
            context.all_reduce("SUM", tf.constant(1.0))

    try:
        strategy.run(only_replica_0_reduces)
        mismatch = None
    except RuntimeError as error:
        mismatch = str(error)
    batches = [
        [b.numpy().tolist() for b in strategy.experimental_local_results(batch)]
        for batch in strategy.experimental_distribute_dataset(tf.data.Dataset.range(7).batch(3))
    ]
    return {
        "default_replicas": tf.distribute.MirroredStrategy().num_replicas_in_sync,
        "local": [v.numpy().tolist() for v in strategy.experimental_local_results(values)],
        "all_reduce": [float(v) for v in strategy.experimental_local_results(summed)],
        "reduce_sum": strategy.reduce("SUM", values, axis=None).numpy().tolist(),
        "reduce_mean_axis0": float(strategy.reduce("MEAN", values, axis=0)),
        "gather": strategy.gather(values, axis=0).numpy().tolist(),
        "batches": batches,
        "mismatch": mismatch,
        "fit_2_replicas": fit_dense(tf.distribute.MirroredStrategy(two), 4),
        "fit_2_replicas_batch_3": fit_dense(tf.distribute.MirroredStrategy(two), 3),
        "custom_loop_2_replicas": custom_loop(tf.distribute.MirroredStrategy(two)),
        "batch_norm_2_replicas": fit_batch_norm(tf.distribute.MirroredStrategy(two)),
        "run_tf_function": run_tf_function(tf.distribute.MirroredStrategy(two)),
        "rows_2_replicas": evaluate_and_predict_rows(tf.distribute.MirroredStrategy(two)),
        "rows_no_strategy": evaluate_and_predict_rows(None),
        "replica_updates": replica_updates(tf, tf.distribute.MirroredStrategy(two)),
    }


def workers(folder):
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    callbacks = [
        tf.keras.callbacks.ModelCheckpoint(
            os.path.join(folder, "ckpt", "model.weights.h5"), save_weights_only=True
        ),
        tf.keras.callbacks.TensorBoard(os.path.join(folder, "logs")),
        tf.keras.callbacks.BackupAndRestore(
            os.path.join(folder, "backup"), delete_checkpoint=False
        ),
    ]
    rank = strategy.cluster_resolver.task_id or 0
    values = strategy.run(lambda: tf.constant(float(rank + 1)))
    return {
        "rank": rank,
        "replicas": strategy.num_replicas_in_sync,
        "chief": strategy.extended.should_checkpoint,
        "reduce_sum": float(strategy.reduce("SUM", values, axis=None)),
        "gather": strategy.gather(tf.reshape(values, [1]), axis=0).numpy().tolist(),
        "dense": fit_dense(strategy, 4, callbacks),
        "cnn": fit_cnn(strategy),
        "custom_loop": custom_loop(strategy),
        "rows": evaluate_and_predict_rows(strategy),
    }


def failing_worker(mode):
    """Worker 1 stops responding (``stall``) or is killed (``die``) before worker 0's
    all-reduce: worker 0 must fail, not wait forever."""
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    if strategy.cluster_resolver.task_id == 1:
        if mode == "die":
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(120)
    strategy.reduce("SUM", tf.constant(1.0), axis=None)


if __name__ == "__main__":
    if sys.argv[1] in ("stall", "die"):
        failing_worker(sys.argv[1])
    elif sys.argv[1] == "local2":
        print(json.dumps(local2()))
    else:
        # One file per worker: their standard outputs interleave under mpiexec.
        result = workers(sys.argv[2])
        with open(os.path.join(sys.argv[2], f"result-{result['rank']}.json"), "w") as f:
            json.dump(result, f)
