"""Keras weights as TF checkpoints: tf_keras' keys, tf_keras' files loaded, ours read
by TF (recorded), resumed training, deferred restoration, the notes' flow."""

import json
import os
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.train.keras_checkpoint import load_weights, save_weights
from tests.train.interop_writer import dense_model

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "checkpoints"
RECORDED = json.loads((FIXTURES / "tf_written.json").read_text())
TF_READ = json.loads((FIXTURES / "tf_read_ours.json").read_text())
X = np.linspace(-1, 1, 24, dtype=np.float32).reshape(8, 3)
Y = np.stack([X.sum(1), X[:, 0] - X[:, 2]], axis=1)


def fresh_dense():
    model = tf.keras.Sequential(
        [tf.keras.layers.Dense(4, activation="relu", input_shape=(3,)), tf.keras.layers.Dense(2)]
    )
    model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    return model


def key_shapes(prefix):
    return dict(tf.train.list_variables(prefix))


def test_sequential_with_adam_keys_match_tf_keras(tmp_path):
    model, _ = dense_model()
    save_weights(model, tmp_path / "w.ckpt")
    expected = {k: v["shape"] for k, v in RECORDED["dense_adam"]["keys"].items()}
    assert key_shapes(str(tmp_path / "w.ckpt")) == expected
    assert (tmp_path / "checkpoint").read_text() == (FIXTURES / "checkpoint").read_text().replace(
        "dense_adam.ckpt", "w.ckpt"
    )
    path = tf.train.Checkpoint(model=model, optimizer=model.optimizer).save(
        str(tmp_path / "k" / "ckpt")
    )
    expected = {k: v["shape"] for k, v in RECORDED["keras_checkpoint"]["keys"].items()}
    assert key_shapes(path) == expected


def test_functional_with_batchnorm_and_sgd_momentum_keys_match_tf_keras(tmp_path):
    inputs = tf.keras.Input((3,))
    hidden = tf.keras.layers.Dense(4)(inputs)
    hidden = tf.keras.layers.BatchNormalization()(hidden)
    hidden = tf.keras.layers.Dropout(0.1)(hidden)
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(2)(hidden))
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1, momentum=0.9), loss="mse")
    model.fit(X, Y, epochs=1, batch_size=8, verbose=0)
    save_weights(model, tmp_path / "w")
    assert key_shapes(str(tmp_path / "w")) == RECORDED["functional_keys"]["key_shapes"]


class Subclassed(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.blocks = [tf.keras.layers.Dense(4, activation="relu"), tf.keras.layers.Dense(3)]
        self.head = tf.keras.layers.Dense(2)

    def call(self, inputs):
        for block in self.blocks:
            inputs = block(inputs)
        return self.head(inputs)


def test_subclassed_with_rmsprop_momentum_keys_match_tf_keras(tmp_path):
    model = Subclassed()
    model.compile(optimizer=tf.keras.optimizers.RMSprop(0.01, momentum=0.5), loss="mse")
    model.fit(X, Y, epochs=1, batch_size=8, verbose=0)
    save_weights(model, tmp_path / "w")
    assert key_shapes(str(tmp_path / "w")) == RECORDED["subclassed_keys"]["key_shapes"]


def test_loads_tf_keras_weights_and_optimizer_state():
    recorded = RECORDED["dense_adam"]
    model = fresh_dense()
    status = load_weights(model, FIXTURES / "dense_adam.ckpt")
    np.testing.assert_allclose(
        model.predict(np.array(recorded["x"], np.float32), verbose=0),
        recorded["predict"],
        rtol=1e-6,
        atol=1e-6,
    )
    assert int(model.optimizer.iterations.numpy()) == 1
    # Adam's slots do not exist before the first step: restored when created.
    with pytest.raises(AssertionError, match="Unresolved object"):
        status.assert_consumed()
    model.fit(X, Y, epochs=1, batch_size=8, verbose=0)
    status.assert_consumed()
    resumed = recorded["resumed"]
    for ours, theirs in zip(model.weights, resumed["weights"]):
        np.testing.assert_allclose(ours.numpy(), theirs, rtol=1e-5, atol=1e-6)
    for ours, theirs in zip(model.optimizer.variables, resumed["optimizer_variables"]):
        np.testing.assert_allclose(np.asarray(ours), theirs, rtol=1e-5, atol=1e-7)


def test_tensorflow_read_our_checkpoints():
    """Recorded by record_checkpoint_fixtures.py: TF 2.21 and tf_keras loaded the files
    interop_writer.py wrote (with assert_consumed) and got the values written."""
    written = TF_READ["written"]
    keras = TF_READ["keras_load_weights"]
    # Same weights; TF's matmul rounds the last bit differently.
    np.testing.assert_allclose(keras["predict"], written["keras_values"]["predict"], atol=1e-6)
    assert keras["weights"] == written["keras_values"]["weights"]
    assert keras["optimizer_variables"] == written["keras_values"]["optimizer_variables"]
    assert keras["optimizer_iterations"] == 1
    assert TF_READ["module_read"] == written["module_values"]
    assert TF_READ["latest_checkpoint"] == "managed/ckpt-3"
    dtypes = TF_READ["dtypes"]["keys"]
    assert {entry["dtype"] for entry in dtypes.values()} >= {
        "bool",
        "int8",
        "uint64",
        "float16",
        "complex128",
        "string",
    }


def test_round_trip_resumes_training_exactly(tmp_path):
    tf.keras.utils.set_random_seed(3)
    reference = fresh_dense()
    reference.fit(X, Y, epochs=2, batch_size=4, shuffle=False, verbose=0)

    tf.keras.utils.set_random_seed(3)
    first = fresh_dense()
    first.fit(X, Y, epochs=1, batch_size=4, shuffle=False, verbose=0)
    save_weights(first, tmp_path / "cp.ckpt")
    second = fresh_dense()
    load_weights(second, tmp_path / "cp.ckpt")
    second.fit(X, Y, epochs=1, batch_size=4, shuffle=False, verbose=0)
    for a, b in zip(
        reference.weights + list(reference.optimizer.variables),
        second.weights + list(second.optimizer.variables),
    ):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


def test_deferred_restore_into_unbuilt_subclassed_model(tmp_path):
    trained = Subclassed()
    trained(X)
    save_weights(trained, tmp_path / "w")
    model = Subclassed()
    status = load_weights(model, tmp_path / "w")
    assert not model.weights
    out = model(X)
    np.testing.assert_array_equal(out.numpy(), trained(X).numpy())
    status.assert_consumed()


def test_unbuilt_sequential_restores_when_built(tmp_path):
    model, x = dense_model()
    save_weights(model, tmp_path / "w")
    unbuilt = tf.keras.Sequential(
        [tf.keras.layers.Dense(4, activation="relu"), tf.keras.layers.Dense(2)]
    )
    load_weights(unbuilt, tmp_path / "w").expect_partial()
    np.testing.assert_array_equal(unbuilt(x).numpy(), model(x).numpy())


def test_mismatched_model_errors(tmp_path):
    model, _ = dense_model()
    save_weights(model, tmp_path / "w")
    wrong = tf.keras.Sequential([tf.keras.layers.Dense(5, input_shape=(3,))])
    with pytest.raises(ValueError, match="incompatible tensor with shape"):
        load_weights(wrong, tmp_path / "w")
    with pytest.raises(AssertionError, match="does not match the Python program"):
        load_weights(Subclassed(), tmp_path / "w")
    with pytest.raises(tf.errors.NotFoundError, match="You may be missing the checkpoint suffix"):
        load_weights(model, tmp_path / "nothing")


def test_notes_checkpoint_flow(tmp_path):
    """Weights saved per epoch as cp-{epoch:04d}.ckpt, the latest found and reloaded."""
    checkpoint_path = str(tmp_path / "training_2" / "cp-{epoch:04d}.ckpt")
    checkpoint_dir = os.path.dirname(checkpoint_path)
    model = fresh_dense()
    save_weights(model, checkpoint_path.format(epoch=0))
    for epoch in range(1, 4):
        model.fit(X, Y, epochs=1, batch_size=8, verbose=0)
        save_weights(model, checkpoint_path.format(epoch=epoch))
    assert sorted(os.listdir(checkpoint_dir)) == ["checkpoint"] + sorted(
        f"cp-{e:04d}.ckpt.{suffix}" for e in range(4) for suffix in ("data-00000-of-00001", "index")
    )
    latest = tf.train.latest_checkpoint(checkpoint_dir)
    assert latest == checkpoint_path.format(epoch=3)
    restored = fresh_dense()
    load_weights(restored, latest)
    assert restored.evaluate(X, Y, verbose=0) == model.evaluate(X, Y, verbose=0)


def test_weights_are_children_by_their_add_weight_name_inside_name_scopes():
    from tensorflux.framework.trackable import trackable_children

    with tf.name_scope("dense"):
        layer = tf.keras.layers.Dense(2, name="dense")
        layer.build((None, 3))
    # Built directly, not by a call: TF names the weights in the enclosing scope only.
    assert layer.kernel.name == "dense/kernel:0"
    assert list(trackable_children(layer)) == ["kernel", "bias"]


class WithMetrics(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = tf.keras.layers.Dense(2)
        self.tracker = tf.keras.metrics.Mean(name="loss")
        self.accuracy = tf.keras.metrics.SparseCategoricalAccuracy()

    def call(self, inputs):
        return self.dense(inputs)


def test_metrics_held_by_a_model_are_saved_as_tf_keras_does(tmp_path):
    model = WithMetrics()
    model(np.ones((1, 3), np.float32))
    model.tracker.update_state([2.0, 4.0])
    save_weights(model, tmp_path / "w")
    assert key_shapes(str(tmp_path / "w")) == RECORDED["metrics_keys"]["key_shapes"]
    restored = WithMetrics()
    load_weights(restored, tmp_path / "w")
    assert float(restored.tracker.result()) == 3.0


def test_sequential_holding_an_unbuilt_subclassed_model(tmp_path):
    class Inner(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = tf.keras.layers.Dense(2)

        def build(self, input_shape):
            self.dense.build(input_shape)
            self.built = True

        def call(self, inputs):
            return self.dense(inputs)

    outer = tf.keras.Sequential([Inner()])
    with pytest.raises(ValueError, match="have not yet been created"):
        save_weights(outer, tmp_path / "w")
    assert not os.path.exists(tmp_path / "w.index")
    outer.build((None, 3))
    save_weights(outer, tmp_path / "w")
    assert "layer_with_weights-0/dense/kernel/.ATTRIBUTES/VARIABLE_VALUE" in dict(
        tf.train.list_variables(str(tmp_path / "w"))
    )


def test_restores_tensorflow_checkpoint_of_model_and_optimizer():
    recorded = RECORDED["dense_adam"]
    model = fresh_dense()
    checkpoint = tf.train.Checkpoint(model=model, optimizer=model.optimizer)
    status = checkpoint.restore(str(FIXTURES / RECORDED["keras_checkpoint"]["prefix"]))
    status.assert_existing_objects_matched()
    assert int(checkpoint.save_counter.numpy()) == 1
    np.testing.assert_allclose(
        model.predict(np.array(recorded["x"], np.float32), verbose=0),
        recorded["predict"],
        rtol=1e-6,
        atol=1e-6,
    )
    model.optimizer.build(model.trainable_variables)
    status.assert_consumed()
