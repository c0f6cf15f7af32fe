"""The models of the subclassed-SavedModel fixtures, written against a ``tf`` module
given to ``build_models`` (tensorflux when the tests run, tensorflux too when the
recording script saves them for tf-keras to load)."""

from __future__ import annotations

import numpy as np

SEED = 0
INPUT_DIM = 5


def inputs():
    return np.random.RandomState(SEED).randn(4, INPUT_DIM).astype("float32")


def targets():
    return np.random.RandomState(SEED + 1).randn(4, 2).astype("float32")


def model_inputs(name):
    """The model's inputs: a list of two arrays for the two-input model."""
    if name == "subclassed_two_inputs":
        return [inputs(), np.random.RandomState(SEED + 2).randn(4, 3).astype("float32")]
    return inputs()


def call_inputs(name):
    """``model_inputs`` as ``__call__`` takes them: several inputs as a tuple, the form
    tf-keras traced and so the one its revived model matches."""
    x = model_inputs(name)
    return tuple(x) if isinstance(x, list) else x


def build_models(tf):
    """``{name: compiled model trained one step}`` with fixed seeds, and the custom
    classes by name (what ``load_model`` needs as ``custom_objects`` to rebuild them)."""

    class TwoDense(tf.keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.hidden = tf.keras.layers.Dense(4, activation="relu")
            self.out = tf.keras.layers.Dense(2)

        def call(self, x):
            return self.out(self.hidden(x))

    class Affine(tf.keras.layers.Layer):
        """A layer with weights of its own and an activity penalty."""

        def __init__(self, units, penalty=0.0, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.penalty = penalty

        def build(self, input_shape):
            self.kernel = self.add_weight(
                name="kernel", shape=(input_shape[-1], self.units), initializer="glorot_uniform"
            )
            self.offset = self.add_weight(name="offset", shape=(self.units,), initializer="ones")

        def call(self, x):
            y = tf.tanh(tf.matmul(x, self.kernel) + self.offset)
            if self.penalty:
                self.add_loss(self.penalty * tf.reduce_mean(tf.square(y)))
            return y

        def get_config(self):
            return {**super().get_config(), "units": self.units, "penalty": self.penalty}

    class WithCustomLayer(tf.keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.affine = Affine(3, penalty=0.1)
            self.drop = tf.keras.layers.Dropout(0.5)
            self.out = tf.keras.layers.Dense(2)

        def call(self, x, training=None):
            return self.out(self.drop(self.affine(x), training=training))

    class TrainingArg(tf.keras.Model):
        """A model whose call differs in training mode, with a custom block of layers."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.block = Block()
            self.out = tf.keras.layers.Dense(2)

        def call(self, x, training=None):
            h = self.block(x)
            return self.out(h * 0.5 if training else h)

    class Block(tf.keras.layers.Layer):
        """A custom layer made of built-in layers."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.dense = tf.keras.layers.Dense(3, activation="tanh")
            self.norm = tf.keras.layers.LayerNormalization()

        def call(self, x):
            return self.norm(self.dense(x))

    class TwoInputs(tf.keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.scale = Affine(3)
            self.out = tf.keras.layers.Dense(2)

        def call(self, inputs):
            features, extra = inputs
            return self.out(self.scale(features) + extra)

    def functional():
        x = tf.keras.Input(shape=(INPUT_DIM,), name="features")
        h = Affine(3, name="affine")(x)
        return tf.keras.Model(x, tf.keras.layers.Dense(2, name="head")(h), name="functional")

    models = {}
    for name, make in (
        ("subclassed", TwoDense),
        ("subclassed_custom_layer", WithCustomLayer),
        ("functional_custom_layer", functional),
        ("subclassed_training_arg", TrainingArg),
        ("subclassed_two_inputs", TwoInputs),
    ):
        tf.keras.utils.set_random_seed(SEED)
        model = make()
        model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
        model.fit(model_inputs(name), targets(), epochs=1, batch_size=4, verbose=0)
        models[name] = model
    classes = {
        cls.__name__: cls
        for cls in (TwoDense, Affine, WithCustomLayer, TrainingArg, Block, TwoInputs)
    }
    return models, classes
