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
        model = _model(keras)
        # Seeded after the model: its initializers may draw from Python's random.
        random.seed(3)
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


def small_utils(keras):
    """to_ordinal, pack/unpack, model_from_yaml's message, BaseLogger's averages."""
    out = {}
    for name, (labels, kwargs) in {
        "flat": ([0, 2, 1, 3], {}),
        "column": ([[0], [2], [1]], {}),
        "matrix": ([[0, 1], [2, 1]], {"num_classes": 4}),
        "int": ([1, 0], {"dtype": "int32"}),
    }.items():
        ordinal = keras.utils.to_ordinal(labels, **kwargs)
        out[f"to_ordinal_{name}"] = [ordinal.tolist(), list(ordinal.shape), str(ordinal.dtype)]
    pack, unpack = keras.utils.pack_x_y_sample_weight, keras.utils.unpack_x_y_sample_weight
    out["pack"] = [repr(pack([1, 2])), repr(pack((1, 2))), repr(pack(1, 2)), repr(pack(1, 2, 3))]
    out["unpack"] = [repr(unpack([1, 2])), repr(unpack((1,))), repr(unpack(5))]
    try:
        unpack((1, 2, 3, 4))
    except ValueError as e:
        out["unpack_error"] = str(e)
    try:
        keras.models.model_from_yaml("a: 1")
    except RuntimeError as e:
        out["model_from_yaml"] = str(e)
    logger = keras.callbacks.BaseLogger(stateful_metrics=["acc"])
    logger.set_params({"metrics": ["loss", "acc", "mae"]})
    logger.on_epoch_begin(0)
    logger.on_batch_end(0, {"size": 2, "loss": 1.0, "acc": 0.5})
    logger.on_batch_end(1, {"size": 3, "loss": 2.0, "acc": 0.7, "num_steps": 2})
    logs = {"mae": 9.0}
    logger.on_epoch_end(0, logs)
    out["base_logger"] = [logs, logger.seen, logger.totals]
    return out


SCENARIOS["small_utils"] = small_utils
