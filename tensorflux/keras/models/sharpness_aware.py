"""``tf.keras.models.experimental.SharpnessAwareMinimization``: training that seeks
flat minima (Foret et al., 2020), as tf_keras implements it."""

from __future__ import annotations

from tensorflux.engine.tape import GradientTape
from tensorflux.keras.models.model import Model
from tensorflux.keras.trainers.data_adapter import unpack_x_y_sample_weight

__all__ = ["SharpnessAwareMinimization"]


class SharpnessAwareMinimization(Model):
    """Wraps ``model``: each step moves the weights by ``rho`` along the normalised
    gradient, takes the gradient there, moves back, and applies that gradient.

    Args:
        model: the model to train.
        rho: the size of the weight perturbation.
        num_batch_splits: split each batch into this many parts, each perturbed on its
            own, their gradients summed (None: the whole batch).
        name: the wrapper's name.
    """

    def __init__(self, model, rho=0.05, num_batch_splits=None, name=None):
        super().__init__(name=name)
        self.model = model
        self.rho = rho
        self.num_batch_splits = num_batch_splits

    def _parts(self, value):
        from tensorflux.ops.split_ops import split

        if self.num_batch_splits is None:
            return [value]
        if value is None:
            return [None] * self.num_batch_splits
        return split(value, self.num_batch_splits)

    def train_step(self, data) -> dict:
        from tensorflux.ops.joining_ops import concat, stack
        from tensorflux.ops.linalg_ops import norm

        x, y, sample_weight = unpack_x_y_sample_weight(data)
        variables = self.model.trainable_variables
        summed, predictions = None, []
        for x_part, y_part, w_part in zip(
            self._parts(x), self._parts(y), self._parts(sample_weight), strict=True
        ):
            with GradientTape() as tape:
                pred = self(x_part)
                loss = self.compiled_loss(y_part, pred, w_part)
            predictions.append(pred)
            gradients = tape.gradient(loss, variables)
            size = norm(stack([norm(g) for g in gradients if g is not None]))
            scale = self.rho / (size + 1e-12)
            moves = [g * scale for g in gradients]
            for variable, move in zip(variables, moves):
                variable.assign_add(move)
            with GradientTape() as tape:
                pred = self(x_part, training=True)
                loss = self.compiled_loss(y_part, pred, w_part)
            gradients = tape.gradient(loss, variables)
            summed = gradients if summed is None else [a + b for a, b in zip(summed, gradients)]
            for variable, move in zip(variables, moves):
                variable.assign_add(-move)
        self.optimizer.apply_gradients(zip(summed, variables))
        self.compiled_metrics.update_state(y, concat(predictions, axis=0), sample_weight)
        return {m.name: m.result() for m in self.metrics}

    def call(self, inputs, **kwargs):
        return self.model(inputs, **kwargs)

    def get_config(self) -> dict:
        from tensorflux.keras.layers.serialization import serialize

        return {"name": self.name, "model": serialize(self.model), "rho": self.rho}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from tensorflux.keras.layers.serialization import deserialize

        config = dict(config)
        model = deserialize(config.pop("model"), custom_objects)
        config.pop("trainable", None)
        config.pop("dtype", None)
        return cls(model, **config)
