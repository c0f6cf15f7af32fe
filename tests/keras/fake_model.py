"""A stand-in for a Keras model exposing only what callbacks use (see Callback's docstring)."""

import numpy as np

import tensorflux as tf


class _Metric:
    def __init__(self, name):
        self.name = name


class _Optimizer:
    def __init__(self, lr):
        self.learning_rate = tf.Variable(lr, dtype=tf.float32)


class FakeModel:
    def __init__(self, metric_names=("loss",), lr=0.01):
        self.stop_training = False
        self.metrics = [_Metric(n) for n in metric_names]
        self.optimizer = _Optimizer(lr)
        self.weights = [np.array([0.0])]

    def get_weights(self):
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        self.weights = [np.array(w) for w in weights]
