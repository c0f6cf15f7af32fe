"""A stand-in for a Keras model exposing only what callbacks use (see Callback's docstring).

The fixture recorder builds it with real TensorFlow (and Keras 2's optimizer attribute
``lr``), the tests with tensorflux, so both libraries' callbacks see the same object.
"""

import numpy as np


class _Metric:
    def __init__(self, name):
        self.name = name


class _Optimizer:
    def __init__(self, tf, lr, attribute):
        setattr(self, attribute, tf.Variable(lr, dtype=tf.float32))


class FakeModel:
    def __init__(self, metric_names=("loss",), lr=0.01, tf=None, lr_attribute="learning_rate"):
        if tf is None:
            import tensorflux as tf
        self.stop_training = False
        self.metrics = [_Metric(n) for n in metric_names]
        self.optimizer = _Optimizer(tf, lr, lr_attribute)
        self.weights = [np.array([0.0])]

    def get_weights(self):
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        self.weights = [np.array(w) for w in weights]
