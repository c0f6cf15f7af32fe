"""Scenarios replayed on Keras 2 (by record_callbacks_fixtures.py) and on tensorflux.

Times are fake-clock seconds; each progress-bar update is
``[time, current, [[name, value], ...], finalize]``.
"""


def _updates(times, steps, values, finalize_last=None):
    return [
        [t, s, v, finalize_last if i == len(steps) - 1 else None]
        for i, (t, s, v) in enumerate(zip(times, steps, values, strict=True))
    ]


_METRICS = [
    [["loss", 1.5], ["acc", 0.25]],
    [["loss", 1.25], ["acc", 0.5]],
    [["loss", 1.0], ["acc", 0.5]],
    [["loss", 0.75], ["acc", 0.75]],
    [["loss", 0.5], ["acc", 1.0]],
]

PROGBAR_RUNS = [
    # A bar with averaged and stateful metrics, one update inside the redraw interval.
    {
        "args": {"target": 10, "stateful_metrics": ["loss"]},
        "dynamic": True,
        "start": 0.0,
        "updates": _updates([0.5, 0.52, 1.0, 1.5, 2.0], [1, 2, 5, 8, 10], _METRICS),
    },
    {
        "args": {"target": 10, "stateful_metrics": ["loss"]},
        "dynamic": False,
        "start": 0.0,
        "updates": _updates([0.5, 0.52, 1.0, 1.5, 2.0], [1, 2, 5, 8, 10], _METRICS),
    },
    {
        "args": {"target": 10, "verbose": 2},
        "dynamic": True,
        "start": 0.0,
        "updates": _updates(
            [0.5, 1.0, 2.0], [1, 5, 10], [[["loss", 0.5], ["tiny", 1e-5], ["neg", -0.5]]] * 3
        ),
    },
    # Small and negative values in the bar.
    {
        "args": {"target": 3},
        "dynamic": True,
        "start": 0.0,
        "updates": _updates(
            [0.001, 0.002, 0.003], [1, 2, 3], [[["tiny", 2e-4], ["neg", -0.5], ["zero", 0.0]]] * 3
        ),
    },
    # Unknown target, then an explicit finalize.
    {
        "args": {"target": None},
        "dynamic": True,
        "start": 0.0,
        "updates": _updates([0.1, 0.2, 0.3], [1, 2, 3], [[["loss", 1.0]]] * 3, True),
    },
    # Long ETAs (h:mm:ss, m:ss) shrinking to seconds: the line is padded with spaces.
    {
        "args": {"target": 10000, "width": 10},
        "dynamic": True,
        "start": 0.0,
        "updates": _updates(
            [1.0, 2.0, 9900.0, 9996.0, 10000.0], [1, 2, 9900, 9996, 10000], [[["loss", 0.5]]] * 5
        ),
    },
    # Microsecond steps and the unit name.
    {
        "args": {"target": 1000, "unit_name": "sample"},
        "dynamic": True,
        "start": 0.0,
        "updates": _updates([0.0001, 0.0003, 0.0005], [1, 500, 1000], [[]] * 3),
    },
    {
        "args": {"target": 4, "verbose": 2, "unit_name": "sample"},
        "dynamic": True,
        "start": 0.0,
        "updates": _updates([5.0, 9.0], [2, 4], [[["loss", 2.0]], [["loss", 1.0]]]),
    },
]


def _epoch(start, losses, accuracies, end, val):
    return {
        "batches": [
            [start + 0.01 * (i + 1), {"loss": loss, "accuracy": acc}]
            for i, (loss, acc) in enumerate(zip(losses, accuracies, strict=True))
        ],
        "end": end,
        "epoch_logs": {"loss": losses[-1], "accuracy": accuracies[-1], **val},
    }


_EPOCHS = [
    _epoch(
        0.0,
        [1.2829, 1.1, 0.9123],
        [0.3292, 0.4, 0.5],
        0.5,
        {"val_loss": 1.1317, "val_accuracy": 0.3667},
    ),
    _epoch(
        1.0, [0.8, 0.7, 0.65], [0.6, 0.7, 0.71], 1.2, {"val_loss": 0.0004, "val_accuracy": 0.75}
    ),
]

FIT_RUNS = [
    {"verbose": 1, "steps": 3, "metrics": ["loss", "accuracy"], "epochs": _EPOCHS},
    {"verbose": 2, "steps": 3, "metrics": ["loss", "accuracy"], "epochs": _EPOCHS},
    {"verbose": 0, "steps": 3, "metrics": ["loss", "accuracy"], "epochs": _EPOCHS},
    {"verbose": 1, "steps": None, "metrics": ["loss", "accuracy"], "epochs": _EPOCHS},
    {"verbose": 1, "steps": 3, "metrics": ["loss", "accuracy"], "epochs": _EPOCHS[:1]},
]

EARLY_STOPPING = [
    {"args": {"patience": 2, "verbose": 1}, "values": [1.0, 0.8, 0.9, 0.85, 0.7]},
    {
        "args": {"patience": 1, "verbose": 1, "restore_best_weights": True},
        "values": [1.0, 0.5, 0.6, 0.7],
    },
    {
        "args": {"monitor": "val_accuracy", "mode": "max", "baseline": 0.9, "patience": 2},
        "values": [0.5, 0.6, 0.7, 0.8],
    },
    {"args": {"min_delta": 0.1, "patience": 2}, "values": [1.0, 0.95, 0.92, 0.5, 0.45, 0.44]},
    {"args": {"start_from_epoch": 2, "patience": 0, "verbose": 1}, "values": [1, 2, 3, 4]},
    {
        "args": {"patience": 1, "verbose": 1, "restore_best_weights": True},
        "values": [1.0, 1.0, 1.0],
    },
    {"args": {"monitor": "val_acc", "patience": 0}, "values": [0.1, 0.2, 0.1]},
]

REDUCE_LR_RUNS = [
    {
        "lr": 0.01,
        "args": {"factor": 0.5, "patience": 1, "verbose": 1},
        "values": [1.0, 1.0, 1.0, 1.0, 0.5, 0.5],
    },
    {
        "lr": 0.01,
        "args": {"factor": 0.2, "patience": 1, "cooldown": 1, "min_lr": 0.001, "verbose": 1},
        "values": [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
    },
    {
        "lr": 0.1,
        "args": {"monitor": "val_accuracy", "patience": 2, "verbose": 1},
        "values": [0.5, 0.6, 0.6, 0.6, 0.6],
    },
]

LR_SCHEDULER_RUNS = [
    {"lr": 0.01, "epochs": 3, "schedule": "lambda epoch, lr: lr * 0.5"},
    {"lr": 0.01, "epochs": 2, "schedule": "lambda epoch: 0.1 / (epoch + 1)"},
]

CSV_LOGS = {
    "first": [{"loss": 0.5, "accuracy": 0.25}, {"loss": 0.4, "accuracy": 0.5}],
    "appended": [{"loss": 0.3, "accuracy": 0.75, "val_loss": 0.6}],
}
