"""Scenarios for ``keras.utils`` that run on tf_keras (recording) and tensorflux
(testing): each takes the Keras module and returns plain JSON-able results."""

import random

import numpy as np

RNG = np.random.default_rng(7)
X = RNG.normal(size=(10, 3)).astype("float32")
Y = RNG.normal(size=(10, 1)).astype("float32")
KERNEL = RNG.normal(size=(3, 1)).astype("float32")


def _sequence_class(keras):
    class Batches(keras.utils.Sequence):
        def __init__(self, x, y, batch_size):
            self.x, self.y, self.batch_size = x, y, batch_size
            self.log = []

        def __len__(self):
            return -(-len(self.x) // self.batch_size)

        def __getitem__(self, index):
            self.log.append(index)
            part = slice(index * self.batch_size, (index + 1) * self.batch_size)
            return self.x[part], self.y[part]

        def on_epoch_end(self):
            self.log.append("end")

    return Batches


def _model(keras):
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(3,))])
    model.set_weights([KERNEL, np.zeros(1, np.float32)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    return model


def sequence_fit(keras):
    """The batches fit reads, when on_epoch_end runs, losses and weights."""
    batches = _sequence_class(keras)
    out = {}
    for shuffle in (False, True):
        random.seed(3)
        model = _model(keras)
        train, val = batches(X, Y, 4), batches(X[:5], Y[:5], 3)
        history = model.fit(train, epochs=3, shuffle=shuffle, validation_data=val, verbose=0)
        out[f"shuffle={shuffle}"] = {
            "train_log": train.log,
            "val_log": val.log,
            "history": history.history,
            "kernel": model.get_weights()[0].ravel().tolist(),
        }
    model = _model(keras)
    seq = batches(X, Y, 3)
    out["evaluate"] = model.evaluate(seq, verbose=0)
    out["evaluate_log"] = seq.log
    seq = batches(X, Y, 3)
    out["predict"] = model.predict(seq, verbose=0).ravel().tolist()
    out["predict_log"] = seq.log
    return out


SCENARIOS = {"sequence_fit": sequence_fit}
