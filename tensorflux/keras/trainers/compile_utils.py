"""What ``compile`` builds: the loss container and the metrics container.

``LossesContainer`` maps the compiled loss(es) onto the model's output(s), adds
the regularization losses and tracks the running "loss" mean; ``MetricsContainer``
resolves the compiled metrics per output once the first batch shows the shapes
("accuracy" depends on them) and updates them.
"""

from __future__ import annotations

from tensorflux.framework import nest
from tensorflux.framework.errors import InvalidArgumentError, format_shape
from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.ops.math_ops import add_n, cast, multiply
from tensorflux.ops.shape_ops import expand_dims
from tensorflux.ops.shape_ops import shape as tf_shape

__all__ = ["LossesContainer", "MetricsContainer"]


def _per_output(spec, output_names, what: str):
    """Maps a compile argument (single, list or dict) to one entry per output.

    ``loss`` and ``loss_weights`` lists give one entry per output; a ``metrics`` list
    is per output only when it is a list of lists, else every output gets all of it.
    """
    n = len(output_names)
    if isinstance(spec, dict):
        unknown = set(spec) - set(output_names)
        if unknown:
            raise ValueError(
                f"Unknown entries in {what} dictionary: {sorted(unknown)}. Only "
                f"expected the following keys: {output_names}"
            )
        return [spec.get(name) for name in output_names]
    per_output = isinstance(spec, (list, tuple)) and (
        what != "metrics"
        or (n > 1 and spec and all(isinstance(s, (list, tuple, dict)) or s is None for s in spec))
    )
    if per_output:
        if len(spec) != n:
            raise ValueError(
                f"When passing a list as {what}, it should have one entry per "
                f"model output. The model has {n} output(s), but you passed "
                f"{what}={spec!r}"
            )
        return list(spec)
    return [spec] * n


def _flat_outputs(structure, output_names):
    if isinstance(structure, dict):
        return [structure.get(name) for name in output_names]
    return nest.flatten(structure) if isinstance(structure, (list, tuple)) else [structure]


def match_dtype_and_rank(y_true, y_pred, sample_weight):
    """Aligns labels and weights with the predictions before a loss or metric sees them.

    Labels ``(batch,)`` against predictions ``(batch, k)`` gain a last axis (so a custom
    ``y_true - y_pred`` does not silently broadcast to ``(batch, batch)``), labels of the
    predictions' kind (both floating or both integer) take their dtype, and weights
    take the predictions' dtype -- what Keras 2 does for every compiled loss and metric.
    """
    y_true = convert_to_tensor(y_true)
    p_rank = y_pred.shape.rank
    if y_true.shape.rank == 1 and p_rank == 2:
        y_true = expand_dims(y_true, -1)
    t_dtype, p_dtype = y_true.dtype, y_pred.dtype
    if t_dtype != p_dtype and (
        t_dtype.is_floating and p_dtype.is_floating or t_dtype.is_integer and p_dtype.is_integer
    ):
        y_true = cast(y_true, p_dtype)
    if sample_weight is not None:
        sample_weight = convert_to_tensor(sample_weight)
        if sample_weight.shape.rank == 1 and p_rank == 2:
            sample_weight = expand_dims(sample_weight, -1)
        if sample_weight.dtype != p_dtype:
            sample_weight = cast(sample_weight, p_dtype)
    return y_true, y_pred, sample_weight


class LossesContainer:
    """Computes the total compiled loss and keeps its running mean for the logs."""

    def __init__(self, losses, loss_weights=None, output_names=None):
        from tensorflux.keras import losses as losses_module
        from tensorflux.keras.losses.loss import Loss, LossFunctionWrapper
        from tensorflux.keras.metrics import Mean

        self.output_names = output_names or ["output_1"]
        self._losses = []
        for spec in _per_output(losses, self.output_names, "loss"):
            fn = losses_module.get(spec)
            if fn is not None and not isinstance(fn, Loss):
                fn = LossFunctionWrapper(fn, name=getattr(fn, "__name__", "loss"))
            self._losses.append(fn)
        self._weights = [
            1.0 if w is None else _loss_weight(w)
            for w in _per_output(loss_weights, self.output_names, "loss_weights")
        ]
        self.built = False
        self._loss_metric = Mean(name="loss")
        multi = len(self.output_names) > 1
        self._per_output_metrics = [
            Mean(name=f"{name}_loss") if multi and fn is not None else None
            for name, fn in zip(self.output_names, self._losses)
        ]

    @property
    def metrics(self) -> list:
        """The "loss" mean (and per-output loss means), once a batch has been seen."""
        if not self.built:
            return []
        return [self._loss_metric] + [m for m in self._per_output_metrics if m is not None]

    def __call__(self, y_true, y_pred, sample_weight=None, regularization_losses=None):
        """The weighted sum of the output losses plus the regularization losses.

        Raises:
            ValueError: no loss was compiled and the model added none.
        """
        self.built = True
        ys_true = _flat_outputs(y_true, self.output_names)
        ys_pred = _flat_outputs(y_pred, self.output_names)
        weights = (
            _flat_outputs(sample_weight, self.output_names)
            if isinstance(sample_weight, (list, tuple, dict))
            else [sample_weight] * len(ys_pred)
        )
        terms = []
        summed = []
        batch = None
        for output, fn, w, yt, yp, sw, metric in zip(
            self.output_names,
            self._losses,
            self._weights,
            ys_true,
            ys_pred,
            weights,
            self._per_output_metrics,
        ):
            if fn is None or yt is None:
                continue
            yp = convert_to_tensor(yp)
            yt, yp, sw = match_dtype_and_rank(yt, yp, sw)
            try:
                value = fn(yt, yp, sample_weight=sw)
            except InvalidArgumentError as error:
                if yt.shape == yp.shape or getattr(error, "_depends_on_values", False):
                    raise
                raise ValueError(
                    f"Loss {fn.name!r} cannot compare labels of shape {format_shape(yt.shape)} "
                    f"with the predictions of output {output!r}, of shape "
                    f"{format_shape(yp.shape)} ({error.message}). Make the labels match the "
                    f"model's output shape, or use a loss for these labels."
                ) from error
            if batch is None:
                batch = tf_shape(yp)[0]
            if metric is not None:
                metric.update_state(value, sample_weight=batch)
            terms.append(value if w == 1.0 else multiply(value, w))
            summed.append(str(getattr(fn, "reduction", "auto")).lower() == "sum")
        for loss in regularization_losses or ():
            terms.append(convert_to_tensor(loss))
            summed.append(False)
        if not terms:
            raise ValueError(
                "No loss to compute: compile the model with a `loss` argument "
                "(e.g. model.compile(loss='mse')), or add losses in the model "
                "with `self.add_loss(...)`."
            )
        total = terms[0] if len(terms) == 1 else add_n([cast(t, terms[0].dtype) for t in terms])
        self._loss_metric.update_state(total, sample_weight=batch if batch is not None else 1)
        return self._scaled_for_replicas(total, terms, summed)

    def _scaled_for_replicas(self, total, terms: list, summed: list):
        """Inside a replica of a strategy with N replicas in sync, the mean losses (and the
        regularization) divided by N, as tf_keras does: the replicas' gradients are then
        added up. A loss reduced with SUM is not divided."""
        from tensorflux.keras.distribute.distributed_training_utils import loss_scale

        scale = loss_scale()
        if scale == 1.0:
            return total
        scaled = [
            t if is_sum else multiply(cast(t, terms[0].dtype), scale)
            for t, is_sum in zip(terms, summed)
        ]
        return scaled[0] if len(scaled) == 1 else add_n([cast(t, terms[0].dtype) for t in scaled])

    def reset_state(self) -> None:
        for metric in self.metrics:
            metric.reset_state()


class MetricsContainer:
    """The compiled metrics of each output, resolved on the first batch."""

    def __init__(self, metrics=None, weighted_metrics=None, output_names=None):
        self.output_names = output_names or ["output_1"]
        self._specs = _per_output(metrics, self.output_names, "metrics")
        self._weighted_specs = _per_output(weighted_metrics, self.output_names, "metrics")
        self._metrics: list | None = None

    @property
    def built(self) -> bool:
        return self._metrics is not None

    @property
    def metrics(self) -> list:
        if self._metrics is None:
            return []
        return [m for per_output in self._metrics for m, _ in per_output]

    def build(self, y_true, y_pred) -> None:
        """Makes the Metric objects, named as Keras 2 names them in the logs.

        Several outputs prefix every name with the output's name (``dense_1_accuracy``);
        a weighted metric whose name is taken gets ``weighted_`` (``weighted_accuracy``).

        Raises:
            ValueError: two metrics with the same name.
        """
        from tensorflux.keras.metrics.serialization import resolve_metric

        ys_true = _flat_outputs(y_true, self.output_names)
        ys_pred = _flat_outputs(y_pred, self.output_names)
        multi = len(self.output_names) > 1
        names: set = set()
        built = []
        for index, (output, spec, wspec, yt, yp) in enumerate(
            zip(self.output_names, self._specs, self._weighted_specs, ys_true, ys_pred)
        ):
            per_output = []
            if yt is not None:
                for items, weighted in ((spec, False), (wspec, True)):
                    for item in nest.flatten(items) if items is not None else []:
                        metric = resolve_metric(item, yt.shape, yp.shape)
                        if index and metric is item:
                            # One Metric object listed for every output: each output
                            # tracks its own copy.
                            metric = type(item).from_config(item.get_config())
                        name = metric.name
                        if weighted and (f"{output}_{name}" if multi else name) in names:
                            name = "weighted_" + name
                        if multi:
                            name = f"{output}_{name}"
                        if name in names:
                            raise ValueError(
                                f"Found two metrics with the same name: {name}. "
                                f"All the metrics added to the model need to "
                                f"have unique names."
                            )
                        names.add(name)
                        metric._name = name
                        per_output.append((metric, weighted))
            built.append(per_output)
        self._metrics = built

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        if self._metrics is None:
            self.build(y_true, y_pred)
        ys_true = _flat_outputs(y_true, self.output_names)
        ys_pred = _flat_outputs(y_pred, self.output_names)
        for per_output, yt, yp in zip(self._metrics, ys_true, ys_pred):
            if not per_output or yt is None:
                continue
            yp = convert_to_tensor(yp)
            yt, yp, sw = match_dtype_and_rank(yt, yp, sample_weight)
            for metric, weighted in per_output:
                metric.update_state(yt, yp, sample_weight=sw if weighted else None)

    def reset_state(self) -> None:
        for metric in self.metrics:
            metric.reset_state()


def _loss_weight(w) -> float:
    if isinstance(w, (str, bytes)) or not hasattr(w, "__float__"):
        raise TypeError(
            f"`loss_weights` must be numbers (one per output, or a dict by output name), got {w!r}."
        )
    return float(w)
