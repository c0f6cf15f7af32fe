"""Records what TensorFlow's tf.distribute gives for the cases of test_distribute.py
(MirroredStrategy over one and two logical CPUs) into fixtures/distribute.json.

Run with TensorFlow 2.21 and tf_keras installed (TF_USE_LEGACY_KERAS=1); the test suite
reads the JSON only.
"""

import json
import os
import subprocess
import sys

import numpy as np

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
import tensorflow as tf  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from replica_update_cases import replica_updates  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures")


def data():
    x = np.arange(24, dtype="float32").reshape(8, 3) / 10
    y = np.arange(8, dtype="float32").reshape(8, 1) / 10
    return x, y


def fit(devices, batch_size):
    strategy = tf.distribute.MirroredStrategy(devices)
    x, y = data()
    with strategy.scope():
        model = tf.keras.Sequential(
            [tf.keras.layers.Dense(1, input_shape=(3,), kernel_initializer="ones")]
        )
        model.compile(tf.keras.optimizers.SGD(0.1), "mse", metrics=["mae"])
    history = model.fit(x, y, batch_size=batch_size, epochs=2, verbose=0, shuffle=False)
    return {
        "history": {k: [float(v) for v in vs] for k, vs in history.history.items()},
        "weights": [w.tolist() for w in model.get_weights()],
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


def custom_loop(devices):
    strategy = tf.distribute.MirroredStrategy(devices)
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


ONE, TWO = ["/cpu:0"], ["/cpu:0", "/cpu:1"]
CASES = {
    "fit_1_replica": lambda: fit(ONE, 4),
    "fit_2_replicas": lambda: fit(TWO, 4),
    "fit_2_replicas_batch_3": lambda: fit(TWO, 3),
    "custom_loop_1_replica": lambda: custom_loop(ONE),
    "batch_norm_2_replicas": lambda: fit_batch_norm(tf.distribute.MirroredStrategy(TWO)),
    "custom_loop_2_replicas": lambda: custom_loop(TWO),
    "replica_updates_2_replicas": lambda: replica_updates(tf, tf.distribute.MirroredStrategy(TWO)),
}


def record_case(name):
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    print(json.dumps(CASES[name]()))


def main():
    # One process per case: TF's collective instance keys clash between strategies of
    # one program.
    fixtures = {}
    for name in CASES:
        out = subprocess.run(
            [sys.executable, __file__, name], capture_output=True, text=True, check=True
        ).stdout
        fixtures[name] = json.loads(out.strip().splitlines()[-1])
    with open(os.path.join(FIXTURES, "distribute.json"), "w") as f:
        json.dump(fixtures, f, indent=1)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        record_case(sys.argv[1])
    else:
        main()
