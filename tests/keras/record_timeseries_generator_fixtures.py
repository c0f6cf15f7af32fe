"""Records tf_keras results of the TimeseriesGenerator scenarios into
fixtures/timeseries_generator.json.

Run with a Python that has TensorFlow and tf_keras:
``/path/to/tf-venv/bin/python tests/keras/record_timeseries_generator_fixtures.py``.
The scenarios (tests/keras/timeseries_generator_scenarios.py) take the Keras module as
an argument; tests/keras/test_timeseries_generator.py replays them on tensorflux.
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tensorflow as tf  # noqa: E402
import tf_keras as keras  # noqa: E402
from timeseries_generator_scenarios import SCENARIOS  # noqa: E402


def main():
    results = {}
    for name, scenario in SCENARIOS.items():
        keras.backend.clear_session()
        tf.random.set_seed(0)
        results[name] = scenario(keras)
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "fixtures", "timeseries_generator.json"), "w") as f:
        json.dump(results, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
