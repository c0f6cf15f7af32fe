"""Records Keras 2 (tf_keras) training results into fixtures/trainer.json.

Run with a Python that has TensorFlow and tf_keras:
``/path/to/tf-venv/bin/python tests/keras/record_trainer_fixtures.py``.
The scenarios (tests/keras/trainer_scenarios.py) take the Keras module as an argument;
the tests replay them on tensorflux and compare history keys, values, return shapes,
callback order and the progress-bar text (timings masked).
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tensorflow as tf  # noqa: E402
import tf_keras as keras  # noqa: E402
from trainer_scenarios import SCENARIOS  # noqa: E402


def main():
    results = {}
    for name, scenario in SCENARIOS.items():
        keras.backend.clear_session()
        tf.random.set_seed(0)
        results[name] = scenario(keras, tf)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "trainer.json")
    with open(path, "w") as f:
        json.dump(results, f, indent=1, sort_keys=True)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
