"""How Keras names the variables of layers, models and optimizers: the name scopes of
layer calls, of builds without a call, of nested and wrapped layers and of
``apply_gradients``. Each case takes the ``tf`` module (TensorFlow with tf_keras for
``record_weight_name_fixtures.py``, tensorflux for ``test_weight_names.py``) and returns
lists of names; every case starts from a cleared session so that layer names match."""

import os
import tempfile

import numpy as np


def _names(variables) -> list:
    return [v.name for v in variables]


def built_directly(tf):
    layers = tf.keras.layers
    dense, norm, embedding = layers.Dense(2), layers.BatchNormalization(), layers.Embedding(5, 2)
    dense.build((None, 3))
    norm.build((None, 3))
    embedding.build((None,))
    with tf.name_scope("outer"):
        inner = layers.Dense(2, name="inner")
        inner.build((None, 3))
    return _names(dense.weights + norm.weights + embedding.weights + inner.weights)


def called(tf):
    layers = tf.keras.layers
    dense = layers.Dense(2)
    dense(tf.zeros([1, 3]))
    with tf.name_scope("outer"):
        scoped = layers.Dense(1)
        scoped(tf.zeros([1, 1]))
    wrapped = layers.TimeDistributed(layers.Dense(2))
    wrapped(tf.zeros([1, 3, 2]))
    both = layers.Bidirectional(layers.GRU(2))
    both(tf.zeros([1, 3, 2]))
    return _names(dense.weights + scoped.weights + wrapped.weights + both.weights)


def sequential_models(tf):
    layers = tf.keras.layers
    declared = tf.keras.Sequential([layers.Dense(2, input_shape=(3,))])
    deferred = tf.keras.Sequential([layers.Dense(2), layers.Dense(1)])
    deferred(tf.zeros([1, 3]))
    with tf.name_scope("outer"):
        scoped = tf.keras.Sequential([layers.Dense(2)])
        scoped(tf.zeros([1, 3]))
    return _names(declared.weights + deferred.weights + scoped.weights)


def _subclassed_classes(tf):
    layers = tf.keras.layers

    class Block(layers.Layer):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(2)

        def call(self, x):
            return self.dense(x)

    class Holder(layers.Layer):
        def build(self, shape):
            self.w = self.add_weight("w", shape=(2,))
            self.inner = layers.Dense(1)
            self.inner.build((None, 2))

        def call(self, x):
            return self.inner(x * self.w)

    class Net(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.lstm = layers.LSTM(2)
            self.block = Block()
            self.head = tf.keras.Sequential([layers.Dense(2)])
            self.holder = Holder()

        def call(self, x):
            return self.holder(self.head(self.block(self.lstm(x))))

    return Net


def subclassed_models(tf):
    net_class = _subclassed_classes(tf)
    called_net = net_class()
    called_net(tf.zeros([1, 3, 2]))
    built_net = net_class()
    built_net.build((None, 3, 2))
    return _names(called_net.weights + built_net.weights)


def attention_model_and_reload(tf):
    layers = tf.keras.layers
    query, value = tf.keras.Input((4, 5)), tf.keras.Input((6, 5))
    mixed = layers.MultiHeadAttention(2, 3)(query, value)
    model = tf.keras.Model([query, value], layers.Attention()([mixed, value]))
    path = os.path.join(tempfile.mkdtemp(), "attention.keras")
    model.save(path)
    return _names(model.weights + tf.keras.models.load_model(path).weights)


def stateful_states(tf):
    lstm = tf.keras.layers.LSTM(2, stateful=True)
    lstm(tf.zeros([1, 3, 2]))
    lstm.reset_states()
    return _names(lstm.states)


def optimizer_slots(tf):
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])
    model.compile("adam", "mse")
    model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0)
    dense = tf.keras.layers.Dense(1)
    dense(tf.zeros([1, 1]))
    momentum = tf.keras.optimizers.SGD(momentum=0.9)
    momentum.apply_gradients(zip([tf.ones([1, 1]), tf.ones([1])], dense.trainable_variables))
    built = tf.keras.optimizers.Adam()
    built.build(dense.trainable_variables)
    return _names(model.optimizer.variables() + momentum.variables() + built.variables())


CASES = {
    "built_directly": built_directly,
    "called": called,
    "sequential_models": sequential_models,
    "subclassed_models": subclassed_models,
    "attention_model_and_reload": attention_model_and_reload,
    "stateful_states": stateful_states,
    "optimizer_slots": optimizer_slots,
}
