"""A small compiled model built the same way from ``tf_keras`` or ``tensorflux.keras``
(same weights, same optimizer, same batches): the optimizer-state SavedModel fixtures
train, save and reload it in both frameworks."""

from __future__ import annotations

import numpy as np

X = np.linspace(-1.0, 1.0, 16, dtype="float32").reshape(8, 2)
Y = (X[:, :1] * 0.5 - X[:, 1:] * 0.25 + 0.1).astype("float32")
# The batch of the step taken after reloading.
STEP_X, STEP_Y = X[:4], Y[:4]
KERNEL_0 = np.array([[0.3, -0.2, 0.5], [0.1, 0.4, -0.6]], "float32")
KERNEL_1 = np.array([[0.7], [-0.3], [0.2]], "float32")

OPTIMIZERS = ("adam", "sgd_momentum", "legacy_adam", "legacy_sgd_momentum")


def optimizer(keras, name):
    legacy = keras.optimizers.legacy
    return {
        "adam": lambda: keras.optimizers.Adam(0.01),
        "sgd_momentum": lambda: keras.optimizers.SGD(0.1, momentum=0.9),
        "legacy_adam": lambda: legacy.Adam(0.01),
        "legacy_sgd_momentum": lambda: legacy.SGD(0.1, momentum=0.9),
    }[name]()


def build(keras, name):
    """The compiled, untrained model with optimizer ``name``."""
    model = keras.Sequential(
        [keras.layers.Dense(3, input_shape=(2,)), keras.layers.Dense(1)], name="regressor"
    )
    model.set_weights([KERNEL_0, np.zeros(3, "float32"), KERNEL_1, np.zeros(1, "float32")])
    model.compile(optimizer=optimizer(keras, name), loss="mse")
    return model


def trained(keras, name):
    """The model after two epochs of two batches (iteration 4)."""
    model = build(keras, name)
    model.fit(X, Y, epochs=2, batch_size=4, shuffle=False, verbose=0)
    return model


def optimizer_values(model) -> list:
    """The optimizer's variables (iterations, slots...) as lists, in its order."""
    variables = model.optimizer.variables
    if callable(variables):  # the legacy optimizers' variables() is a method
        variables = variables()
    return [np.asarray(v.numpy()).tolist() for v in variables]


def weights(model) -> list:
    return [w.tolist() for w in model.get_weights()]
