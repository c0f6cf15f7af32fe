"""Records tf_keras 2.21 results of the ``keras.backend`` cases into
fixtures/backend.json.

Run with a Python that has TensorFlow and tf_keras:
``/path/to/tf-venv/bin/python tests/keras/record_backend_fixtures.py``.
The cases (tests/keras/backend_cases.py) take ``tf`` and the backend module as
arguments; tests/keras/test_backend_fixtures.py replays them on tensorflux.
"""

import json
import os
import sys
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import tf_keras as keras  # noqa: E402
from backend_cases import CASES  # noqa: E402


def encode(value):
    """A JSON form of a call's result: tensors and arrays with dtype and shape."""
    if isinstance(value, (list, tuple)):
        return {"list": [encode(v) for v in value]}
    if value is None:
        return {"py": None, "type": "NoneType"}
    if isinstance(value, (bool, np.bool_)):
        return {"py": bool(value), "type": "bool"}
    if isinstance(value, (int, float, str)):
        return {"py": value, "type": type(value).__name__}
    kind = "numpy" if isinstance(value, (np.ndarray, np.generic)) else "tensor"
    array = np.asarray(value)
    values = array.tolist()
    if array.dtype.kind == "f":
        values = np.where(np.isfinite(array), array, 0).tolist()
    return {"kind": kind, "value": values, "dtype": array.dtype.name, "shape": list(array.shape)}


def main():
    results = {}
    warnings.simplefilter("ignore")
    for name, case in CASES.items():
        keras.backend.clear_session()
        tf.random.set_seed(0)
        np.random.seed(0)
        try:
            results[name] = encode(case(tf, keras.backend))
        except Exception as e:  # noqa: BLE001 - the error is the recorded result
            results[name] = {"error": type(e).__name__, "message": str(e)}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "backend.json")
    with open(path, "w") as f:
        json.dump(results, f, indent=0, sort_keys=True)


if __name__ == "__main__":
    main()
