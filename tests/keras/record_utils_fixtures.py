"""Records tf_keras results of the ``keras.utils`` scenarios into fixtures/utils.json.

Run with a Python that has TensorFlow and tf_keras:
``/path/to/tf-venv/bin/python tests/keras/record_utils_fixtures.py``.
The scenarios (tests/keras/utils_scenarios.py) take the Keras module as an argument;
tests/keras/test_keras_utils.py replays them on tensorflux.
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tensorflow as tf  # noqa: E402
import tf_keras as keras  # noqa: E402
from utils_scenarios import SCENARIOS  # noqa: E402


def main():
    results = {}
    for name, scenario in SCENARIOS.items():
        keras.backend.clear_session()
        tf.random.set_seed(0)
        results[name] = scenario(keras)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "utils.json")
    with open(path, "w") as f:
        json.dump(results, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
