"""``tf.keras.callbacks.RemoteMonitor``."""

import json
import urllib.error
import urllib.parse
import urllib.request
import warnings

import numpy as np

from tensorflux.keras.callbacks.callback import Callback


class RemoteMonitor(Callback):
    """POSTs each epoch's logs to a server, as JSON ``{"epoch": n, <log>: value...}``.

    The request goes through the standard library (``urllib``): as a form field
    ``field=<json>`` by default, or as a JSON body with ``send_as_json=True``. A server
    that cannot be reached gives a warning, not an error, so training goes on.

    Args:
        root: the server's root URL.
        path: the path the events are sent to, after ``root``.
        field: the form field holding the JSON data.
        headers: extra HTTP headers (a dict).
        send_as_json: send the logs as the JSON body (``application/json``).

    >>> monitor = RemoteMonitor(root="http://localhost:9000")
    >>> # model.fit(x, y, callbacks=[monitor])
    """

    def __init__(
        self,
        root="http://localhost:9000",
        path="/publish/epoch/end/",
        field="data",
        headers=None,
        send_as_json=False,
    ):
        super().__init__()
        self.root = root
        self.path = path
        self.field = field
        self.headers = headers
        self.send_as_json = send_as_json

    def on_epoch_end(self, epoch, logs=None):
        send = {"epoch": epoch}
        for key, value in (logs or {}).items():
            send[key] = value.item() if isinstance(value, (np.ndarray, np.generic)) else value
        headers = dict(self.headers or {})
        if self.send_as_json:
            body = json.dumps(send).encode("utf-8")
            headers.setdefault("Content-Type", "application/json")
        else:
            body = urllib.parse.urlencode({self.field: json.dumps(send)}).encode("utf-8")
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        request = urllib.request.Request(self.root + self.path, data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()
        except (urllib.error.URLError, OSError, ValueError):
            warnings.warn(
                f"Warning: could not reach RemoteMonitor root server at {self.root}",
                stacklevel=2,
            )
