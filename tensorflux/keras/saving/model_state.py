"""What a saved model carries besides its layers' weights: how it was compiled and its
optimizer's state, in the order and spelling tf-keras uses, so that a reloaded model
resumes training where it stopped.
"""

from __future__ import annotations

import warnings

import numpy as np

__all__ = []

# tf-keras creates the first two slots of these optimizers in one loop over the
# variables (m, v, m, v, ...); every other slot gets a loop of its own.
_PAIRED_SLOTS = {"Adam", "AdamW", "Nadam", "Adamax", "Adadelta", "Ftrl"}


def _is_legacy(optimizer) -> bool:
    from tensorflux.keras.optimizers import legacy

    return isinstance(optimizer, legacy.Optimizer)


def optimizer_variables(optimizer, variables) -> list:
    """``[iterations, slots...]`` in tf-keras's ``optimizer.variables`` order for the
    model variables ``variables``; slots not created yet are left out. A legacy optimizer
    gives its ``weights``."""
    # A loss-scale wrapper's variables are its inner optimizer's, in their order.
    optimizer = getattr(optimizer, "inner_optimizer", optimizer)
    if _is_legacy(optimizer):
        return list(optimizer.weights)
    ordered = [optimizer.iterations]
    slots = getattr(optimizer, "_slots", {})
    built = [v for v in variables if id(v) in slots]
    if not built:
        return ordered
    names = list(slots[id(built[0])])
    groups = []
    if names and names[0] == "average":
        groups.append([names.pop(0)])
    paired = type(optimizer).__name__ in _PAIRED_SLOTS and len(names) >= 2
    if paired:
        groups.append(names[:2])
        names = names[2:]
    groups.extend([name] for name in names)
    for group in groups:
        for var in built:
            ordered.extend(slots[id(var)][name] for name in group)
    return ordered


def slot_names(optimizer, variables) -> list:
    """tf-keras's names for :func:`optimizer_variables` (``"Adam/m/dense/kernel:0"``)."""
    if _is_legacy(optimizer):
        return [v.name for v in optimizer.weights]
    names = ["iteration:0"]
    for var in optimizer_variables(optimizer, variables)[1:]:
        names.append(var.name if var.name.endswith(":0") else var.name + ":0")
    return names


def restore_optimizer(model, values, names=None) -> None:
    """Builds the optimizer's slots for the model's trainable variables and assigns
    ``values`` in :func:`optimizer_variables` order. Keras 3 files also hold the learning
    rate (second, or named ``.../learning_rate``): it is skipped, the config has it.

    A count or shape that does not fit gives a warning, as tf-keras does, and leaves
    the optimizer freshly initialised.
    """
    optimizer = model.optimizer
    if names is not None:
        keep = [i for i, n in enumerate(names) if not str(n).endswith("learning_rate")]
        values = [values[i] for i in keep]
    variables = model.trainable_variables
    if _is_legacy(optimizer):
        optimizer._create_all_weights(variables)  # as tf-keras does before set_weights
    elif len(values) > 1:
        optimizer.build(variables)
    targets = optimizer_variables(optimizer, variables)
    if names is None and len(values) == len(targets) + 1 and np.ndim(values[1]) == 0:
        values = [values[0]] + list(values[2:])
    if len(values) != len(targets):
        warnings.warn(
            f"Error in loading the saved optimizer state. The optimizer "
            f"'{optimizer.name}' expects {len(targets)} variables, but the saved "
            f"optimizer has {len(values)} variables. As a result, the optimizer will "
            f"be re-initialized.",
            stacklevel=3,
        )
        return
    for var, value in zip(targets, values):
        value = np.asarray(value)
        if tuple(var.shape.as_list()) != value.shape:
            warnings.warn(
                f"Error in loading the saved optimizer state: variable {var.name} "
                f"expects shape {tuple(var.shape.as_list())}, the file has "
                f"{value.shape}. The optimizer will be re-initialized.",
                stacklevel=3,
            )
            return
    for var, value in zip(targets, values):
        var.assign(np.asarray(value).astype(var.dtype.as_numpy_dtype))


# -- compile state -----------------------------------------------------------------


def _serialize_loss(loss):
    from tensorflux.keras import losses

    if isinstance(loss, str):
        # The function's own name: Keras 3 reads "mean_squared_error" in a legacy file
        # but not the alias "mse".
        resolved = losses.get(loss)
        return getattr(resolved, "__name__", loss) if callable(resolved) else loss
    if loss is None:
        return loss
    if isinstance(loss, (list, tuple)):
        return [_serialize_loss(item) for item in loss]
    if isinstance(loss, dict):
        return {k: _serialize_loss(v) for k, v in loss.items()}
    serialized = losses.serialize(loss)
    if isinstance(serialized, dict):
        serialized = {"class_name": serialized["class_name"], "config": serialized["config"]}
    return serialized


def _serialize_metric(metric):
    from tensorflux.keras import metrics

    if metric is None or isinstance(metric, str):
        return metric
    if isinstance(metric, (list, tuple)):
        return [_serialize_metric(item) for item in metric]
    if isinstance(metric, dict):
        return {k: _serialize_metric(v) for k, v in metric.items()}
    serialized = metrics.serialize(metric)
    if isinstance(serialized, dict):
        serialized = {"class_name": serialized["class_name"], "config": serialized["config"]}
    return serialized


def _per_output_specs(container_specs, multi: bool):
    if container_specs is None:
        return None
    specs = [_serialize_metric(s) for s in container_specs]
    if not multi:
        return specs[0] if specs else None
    return specs


def _loss_weights(model):
    weights = list(model.compiled_loss._weights)
    return None if all(w == 1.0 for w in weights) else weights


def training_config(model):
    """The compile arguments as tf-keras's ``training_config`` (``None`` when the model
    is not compiled)."""
    from tensorflux.keras import optimizers

    if not getattr(model, "_compiled", False):
        return None
    multi = len(model.compiled_loss.output_names) > 1
    optimizer = optimizers.serialize(model.optimizer)
    return {
        "loss": _serialize_loss(model.loss),
        "metrics": _per_output_specs(model.compiled_metrics._specs, multi),
        "weighted_metrics": _per_output_specs(model.compiled_metrics._weighted_specs, multi),
        "loss_weights": _loss_weights(model),
        "optimizer_config": {
            "class_name": "Custom>" + optimizer["class_name"]
            # tf_keras' loss-scale wrapper is registered under its own name.
            if model.optimizer.__module__.startswith("tensorflux")
            and optimizer["class_name"] != "LossScaleOptimizerV3"
            else optimizer["class_name"],
            "config": optimizer["config"],
        },
    }


def compile_config(model):
    """The compile arguments as a ``.keras`` file's ``compile_config``."""
    from tensorflux.keras import optimizers

    config = training_config(model)
    if config is None:
        return None
    optimizer = model.optimizer
    if getattr(model, "_loss_scale_added_by_compile", False):
        # tf_keras writes what compile was given; compile wraps it again on loading
        # when the model's policy is still mixed_float16.
        optimizer = optimizer.inner_optimizer
    return {
        "optimizer": optimizers.serialize(optimizer),
        "loss": config["loss"],
        "metrics": config["metrics"],
        "loss_weights": config["loss_weights"],
        "weighted_metrics": config["weighted_metrics"],
        "run_eagerly": None,
        "steps_per_execution": None,
        "jit_compile": None,
    }


def _unwrap_single_output(specs, model):
    if (
        isinstance(specs, list)
        and len(specs) == 1
        and isinstance(specs[0], list)
        and len(getattr(model, "outputs", None) or [None]) == 1
    ):
        return specs[0]
    return specs


def compile_from_config(model, config: dict, custom_objects=None) -> None:
    """Compiles ``model`` from a ``training_config`` or ``compile_config`` (either
    dialect); the optimizer is rebuilt from its config, so its settings come back."""
    from tensorflux.keras import losses, optimizers

    # Keras' default, as Keras 3 does when a file's compile config names no optimizer.
    optimizer = config.get("optimizer_config", config.get("optimizer")) or "rmsprop"
    if isinstance(optimizer, dict):
        optimizer = optimizers.deserialize(optimizer, custom_objects=custom_objects)

    def loss_of(spec):
        if isinstance(spec, list):
            return [loss_of(s) for s in spec]
        if isinstance(spec, dict) and "class_name" not in spec:
            return {k: loss_of(v) for k, v in spec.items()}
        if isinstance(spec, (str, dict)):
            return losses.deserialize(spec, custom_objects)
        return spec

    def metric_of(spec):
        if isinstance(spec, list):
            return [metric_of(s) for s in spec]
        if isinstance(spec, dict) and "class_name" not in spec:
            return {k: metric_of(v) for k, v in spec.items()}
        if isinstance(spec, dict):
            return _metric_from_dict(spec, custom_objects)
        return spec

    model.compile(
        optimizer=optimizer,
        loss=loss_of(config.get("loss")),
        metrics=metric_of(_unwrap_single_output(config.get("metrics"), model)),
        weighted_metrics=metric_of(_unwrap_single_output(config.get("weighted_metrics"), model)),
        loss_weights=config.get("loss_weights"),
    )


def _metric_from_dict(spec, custom_objects):
    """A metric from a saved dict; tf-keras saves function metrics as
    ``MeanMetricWrapper`` configs with an ``fn`` name, which compile resolves by name."""
    from tensorflux.keras import metrics

    config = spec.get("config", {})
    if spec.get("class_name") == "MeanMetricWrapper" and isinstance(config.get("fn"), str):
        try:
            metrics.get(config.get("name"))
            return config["name"]
        except ValueError:
            return config["fn"]
    return metrics.deserialize(spec, custom_objects)
