"""``tf.keras.utils.Progbar``: the progress bar ``fit``/``evaluate``/``predict`` print."""

import os
import sys
import time

import numpy as np

from tensorflux.keras.utils.io_utils import print_msg


def _format_metric(value, small):
    """Keras 2 prints 4 decimals, switching to scientific notation when ``small``."""
    return f" {value:.4e}" if small else f" {value:.4f}"


def _format_duration(seconds, unit_name):
    """`` 3s/step``, `` 12ms/step`` or `` 850us/step``, as Keras 2 rounds them."""
    if seconds >= 1 or seconds == 0:
        return f" {seconds:.0f}s/{unit_name}"
    if seconds >= 1e-3:
        return f" {seconds * 1e3:.0f}ms/{unit_name}"
    return f" {seconds * 1e6:.0f}us/{unit_name}"


def _format_eta(seconds):
    if seconds > 3600:
        return "%d:%02d:%02d" % (seconds // 3600, (seconds % 3600) // 60, seconds % 60)
    if seconds > 60:
        return "%d:%02d" % (seconds // 60, seconds % 60)
    return "%ds" % seconds


def _to_number(value):
    return value.numpy() if hasattr(value, "numpy") else value


def interactive_output() -> bool:
    """Whether the bar can redraw in place: a terminal, a notebook or PyCharm's console.

    Elsewhere (a pipe, a log file, CI) only each epoch's final line is printed; Keras 2
    would write backspaces and carriage returns into the file instead.
    """
    return (
        (hasattr(sys.stdout, "isatty") and sys.stdout.isatty())
        or "ipykernel" in sys.modules
        or "PYCHARM_HOSTED" in os.environ
    )


class Progbar:
    """Displays a progress bar, printing exactly as Keras 2 does.

    ``verbose=1`` redraws one line per update
    (``12/75 [====>.........................] - ETA: 0s - loss: 0.2``) and ends with
    ``75/75 [==============================] - 0s 2ms/step - loss: 0.1``;
    ``verbose=2`` prints only the final line of each run
    (``75/75 - 0s - loss: 0.1 - 150ms/epoch - 2ms/step``).

    Metric values passed to ``update`` are averaged over the steps they cover,
    except those named in ``stateful_metrics``, which are shown as given (Keras
    models report running means already, so ``fit`` marks all its metrics
    stateful).

    Args:
        target: total number of steps expected, or None if unknown.
        width: width of the bar in characters.
        verbose: 0 (silent), 1 (bar) or 2 (one line when finished).
        interval: minimum seconds between two redraws of the bar.
        stateful_metrics: names of metrics displayed as given, not averaged.
        unit_name: what a step is called in the time per step (``"step"``).

    >>> bar = Progbar(2, verbose=2)
    >>> bar.update(1, [("loss", 0.5)])
    >>> bar.update(2, [("loss", 0.25)])  # doctest: +ELLIPSIS
    2/2 - 0s - loss: 0.3750 - ...
    """

    def __init__(
        self, target, width=30, verbose=1, interval=0.05, stateful_metrics=None, unit_name="step"
    ):
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self.stateful_metrics = set(stateful_metrics) if stateful_metrics else set()
        self._dynamic_display = interactive_output()
        self._total_width = 0
        self._seen_so_far = 0
        self._values = {}
        self._values_order = []
        self._start = time.time()
        self._last_update = 0
        self._time_at_epoch_start = self._start
        self._time_at_epoch_end = None
        self._time_after_first_step = None

    def update(self, current, values=None, finalize=None):
        """Moves the bar to step ``current`` and records metric values.

        Args:
            current: index of the current step (1-based count of steps done).
            values: list of ``(name, value)`` pairs for the last step(s).
            finalize: whether this is the last update; defaults to
                ``current >= target``.
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        self._record(current, values or [])
        now = time.time()
        if current == self.target:
            self._time_at_epoch_end = now
        if self.verbose == 1:
            if not finalize and not self._dynamic_display:
                # Nothing is drawn until the epoch ends, but the per-step time still
                # leaves out the first step, as when every update is drawn.
                if current == 1:
                    self._step_duration(current, now)
                return
            if now - self._last_update < self.interval and not finalize:
                return
            self._draw_bar(current, now, finalize)
        elif self.verbose == 2 and finalize:
            self._print_summary(current, now)
        self._last_update = now

    def add(self, n, values=None):
        """Advances the bar by ``n`` steps (``update(seen + n, values)``)."""
        self.update(self._seen_so_far + n, values)

    def _record(self, current, values):
        for name, value in values:
            value = _to_number(value)
            if name not in self._values_order:
                self._values_order.append(name)
            if name in self.stateful_metrics:
                self._values[name] = [value, 1]
                continue
            # A value stands for all the steps since the previous update; at least
            # one, since fit may report the same step again when it finalizes.
            steps = max(current - self._seen_so_far, 1)
            if name in self._values:
                self._values[name][0] += value * steps
                self._values[name][1] += steps
            else:
                self._values[name] = [value * steps, steps]
        self._seen_so_far = current

    def _average(self, name):
        total, count = self._values[name]
        return np.mean(total / max(1, count))

    def _draw_bar(self, current, now, finalize):
        previous_width = self._total_width
        message = "\b" * previous_width + "\r" if self._dynamic_display else ""
        if self.target is not None:
            digits = int(np.log10(self.target)) + 1
            bar = f"%{digits}d/%d [" % (current, self.target)
            filled = int(self.width * float(current) / self.target)
            if filled > 0:
                bar += "=" * (filled - 1) + (">" if current < self.target else "=")
            bar += "." * (self.width - filled) + "]"
        else:
            bar = "%7d/Unknown" % current
        self._total_width = len(bar)
        message += bar

        time_per_unit = self._step_duration(current, now)
        if self.target is None or finalize:
            info = f" - {now - self._start:.0f}s" + _format_duration(time_per_unit, self.unit_name)
        else:
            info = f" - ETA: {_format_eta(time_per_unit * (self.target - current))}"
        for name in self._values_order:
            average = self._average(name)
            info += f" - {name}:" + _format_metric(average, not abs(average) > 1e-3)

        self._total_width += len(info)
        if previous_width > self._total_width:
            info += " " * (previous_width - self._total_width)
        if finalize:
            info += "\n"
        print_msg(message + info, line_break=False)

    def _print_summary(self, current, now):
        digits = int(np.log10(self.target)) + 1
        info = f"%{digits}d/%d" % (current, self.target) + f" - {now - self._start:.0f}s"
        for name in self._values_order:
            average = self._average(name)
            # Keras 2 compares the signed value here (not its magnitude as in the
            # bar), so negative metrics print in scientific notation.
            info += f" - {name}:" + _format_metric(average, not average > 1e-3)
        if self._time_at_epoch_end:
            epoch_time = self._time_at_epoch_end - self._time_at_epoch_start
            self._time_at_epoch_start = now
            self._time_at_epoch_end = None
            info += " -" + _format_duration(epoch_time, "epoch")
            info += " -" + _format_duration(epoch_time / self.target, self.unit_name)
            info += "\n"
        print_msg(info, line_break=False)

    def _step_duration(self, current, now):
        """Seconds per step, leaving out the first step (tracing makes it slow)."""
        if not current:
            return 0
        if self._time_after_first_step is not None and current > 1:
            duration = (now - self._time_after_first_step) / (current - 1)
        else:
            duration = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return duration
