"""Behaviours that course programs depend on, shared by the fixture recorder (tf_keras)
and the tests (tensorflux): each case takes ``(tf, keras)`` and returns plain data.

- which shuffle of a seeded ``Dataset`` each epoch of ``fit``/``evaluate``/``predict``
  sees, and which ``adapt`` leaves next (Keras opens one iterator more than it uses);
- a Sequential model whose first layer is a Sequential model with an ``input_shape``;
- a Sequential model without an input shape called on data of new shapes;
- the random draws of augmentation layers (flip, rotation, zoom) after
  ``set_random_seed``, called directly and inside ``fit``;
- lookup layers on the ragged characters of ``tf.strings.unicode_split``;
- a model subclass calling ``super().__init__(self)``;
- the types of the entries ``get_vocabulary`` lists;
- an ``InputLayer``'s config.
"""

from __future__ import annotations

import numpy as np


def _labels_seen_by_fit(tf, keras):
    keras.utils.set_random_seed(5)
    seen = []

    class RecordingModel(keras.Sequential):
        def train_step(self, data):
            seen.append(data[1].numpy().tolist())
            return super().train_step(data)

        def test_step(self, data):
            seen.append(data[1].numpy().tolist())
            return super().test_step(data)

    numbers = tf.data.Dataset.range(8).shuffle(8)
    pairs = numbers.map(lambda n: (tf.cast(n, tf.float32)[None], n)).batch(4)
    model = RecordingModel([keras.layers.Dense(1)])
    model.compile(loss="mse", run_eagerly=True)
    model.fit(pairs, epochs=2, verbose=0)
    seen.append("validation")
    model.fit(pairs, epochs=2, validation_data=pairs, verbose=0)
    seen.append("evaluate")
    model.evaluate(pairs, verbose=0)
    seen.append("steps_per_epoch over a repeated dataset")
    model.fit(pairs.repeat(), epochs=2, steps_per_epoch=2, verbose=0)
    return seen


def _orders_after_adapt(tf, keras):
    keras.utils.set_random_seed(2)
    numbers = tf.data.Dataset.range(6).shuffle(6).batch(3)
    layers = keras.layers
    orders = []
    for layer, as_input in (
        (layers.Normalization(axis=None), lambda n: tf.cast(n, tf.float32)),
        (layers.StringLookup(), tf.strings.as_string),
        (layers.TextVectorization(), tf.strings.as_string),
        (layers.Discretization(num_bins=2), lambda n: tf.cast(n, tf.float32)),
    ):
        layer.adapt(numbers.map(as_input))
        orders.append([batch.numpy().tolist() for batch in numbers])
    return orders


def _nested_sequential(tf, keras):
    augment = keras.Sequential(
        [keras.layers.Dense(3, input_shape=(4,)), keras.layers.ReLU()], name="augment"
    )
    model = keras.Sequential([augment, keras.layers.Dense(2)], name="outer")
    unbuilt = keras.Sequential([keras.Sequential([keras.layers.Dense(3)]), keras.layers.Dense(2)])
    return {
        "built": model.built,
        "input_name": model.inputs[0].name,
        "output_shape": list(model.output_shape),
        "weights": len(model.weights),
        "unbuilt_stays_deferred": unbuilt.built,
    }


def _relaxed_sequential(tf, keras):
    model = keras.Sequential([keras.layers.Dense(2)], name="relaxing")
    shapes = []
    for batch, steps in ((1, 5), (4, 5), (4, 7)):
        model(np.zeros((batch, steps, 3), np.float32))
        shapes.append([list(model.input_shape), list(model.output_shape)])
    symbolic = model(keras.Input((6, 3)))
    shapes.append([list(symbolic.shape), list(model.output_shape)])
    return shapes


def _augmentation_draws(tf, keras):
    keras.utils.set_random_seed(1)
    layers = keras.layers
    images = np.arange(4 * 6 * 6 * 2, dtype=np.float32).reshape(4, 6, 6, 2) / 100.0
    augment = keras.Sequential(
        [layers.RandomFlip("horizontal"), layers.RandomRotation(0.2), layers.RandomZoom(0.1)]
    )
    direct = [np.round(augment(images).numpy(), 3).ravel()[::7].tolist() for _ in range(2)]
    model = keras.Sequential(
        [
            layers.RandomFlip("horizontal_and_vertical", input_shape=(6, 6, 2)),
            layers.RandomRotation(0.1, seed=4),
            layers.RandomZoom(0.1, 0.2),
            layers.Flatten(),
            layers.Dense(2),
        ]
    )
    model.compile(optimizer="sgd", loss=keras.losses.SparseCategoricalCrossentropy(True))
    history = model.fit(images, np.array([0, 1, 1, 0]), epochs=3, batch_size=2, verbose=0)
    return {
        "direct": direct,
        "fit_losses": [round(v, 4) for v in history.history["loss"]],
        "weights": len(model.weights),
    }


def _ragged_lookup(tf, keras):
    letters = tf.strings.unicode_split(["abcz", "ba"], "UTF-8")
    to_ids = keras.layers.StringLookup(vocabulary=list("abc"), mask_token=None)
    ids = to_ids(letters)
    to_letters = keras.layers.StringLookup(
        vocabulary=to_ids.get_vocabulary(), invert=True, mask_token=None
    )
    back = tf.strings.reduce_join(to_letters(ids), axis=-1)
    return {
        "ids": ids.to_list(),
        "ids_type": type(ids).__name__,
        "padded": ids.to_tensor().numpy().tolist(),
        "joined": [b.decode() for b in back.numpy().tolist()],
    }


def _positional_model_init(tf, keras):
    class Scaler(keras.Model):
        def __init__(self, units):
            super().__init__(self)
            self.dense = keras.layers.Dense(units)

        def call(self, inputs):
            return self.dense(inputs)

    model = Scaler(3)
    out = model(np.ones((2, 5), np.float32))
    return {"shape": list(out.shape), "trainable": model.trainable, "weights": len(model.weights)}


def _vocabulary_entry_types(tf, keras):
    layers = keras.layers
    adapted = layers.StringLookup()
    adapted.adapt(["x", "y", "y"])
    integers = layers.IntegerLookup(vocabulary=[5, 7], mask_token=0)
    text = layers.TextVectorization()
    text.adapt(["hi there", "hi"])

    def described(vocabulary):
        return [[type(v).__name__, str(v)] for v in vocabulary]

    return {
        "string_given": described(layers.StringLookup(vocabulary=["a"]).get_vocabulary()),
        "string_adapted": described(adapted.get_vocabulary()),
        "string_plain": described(adapted.get_vocabulary(include_special_tokens=False)),
        "integer": described(integers.get_vocabulary()),
        "text": described(text.get_vocabulary()),
    }


def _input_layer_config(tf, keras):
    config = keras.layers.InputLayer(input_shape=(3,), name="features").get_config()
    return {key: str(value) for key, value in config.items()}


CASES = {
    "labels_seen_by_fit": _labels_seen_by_fit,
    "orders_after_adapt": _orders_after_adapt,
    "nested_sequential": _nested_sequential,
    "relaxed_sequential": _relaxed_sequential,
    "augmentation_draws": _augmentation_draws,
    "ragged_lookup": _ragged_lookup,
    "positional_model_init": _positional_model_init,
    "vocabulary_entry_types": _vocabulary_entry_types,
    "input_layer_config": _input_layer_config,
}


def run(tf, keras, name):
    """Case ``name`` as JSON-ready data."""
    return CASES[name](tf, keras)
