"""Records tf_keras 2.21's model_to_dot graphs (labels, edges, clusters) through a
recording stand-in for pydot. Run with the TensorFlow venv from the repository root:
    python tests/keras/record_vis_fixtures.py
Writes tests/keras/fixtures/vis_utils.json.
"""

import json
import os
import sys

import tf_keras
from tf_keras.src.utils import vis_utils

sys.path.insert(0, os.path.dirname(__file__))
import fake_pydot  # noqa: E402
from vis_models import CASES, build  # noqa: E402


def main():
    vis_utils.pydot = fake_pydot
    out = {}
    for case, kwargs in CASES.items():
        tf_keras.backend.clear_session()
        model = build(tf_keras, case)
        names = {str(id(layer)): layer.name for layer in model.layers}
        dot = vis_utils.model_to_dot(model, **kwargs)
        out[case] = fake_pydot.describe(dot, names)
    path = os.path.join(os.path.dirname(__file__), "fixtures", "vis_utils.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
    print("wrote", path)


if __name__ == "__main__":
    main()
