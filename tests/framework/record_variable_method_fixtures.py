"""Records ``tf.Variable``'s sparse reads and updates from TensorFlow into
``tests/fixtures/variable_methods.json``: each step of one script applied to one
variable, with the variable's value after it.

Run with a Python that has TensorFlow 2.21:
``python tests/framework/record_variable_method_fixtures.py``.
"""

import json
import os

import tensorflow as tf

OUT = os.path.join(os.path.dirname(os.path.dirname(__file__)), "fixtures", "variable_methods.json")

# (method, arguments): IndexedSlices arguments are written as {"values", "indices"}.
STEPS = [
    ("scatter_nd_update", [[[0, 0], [1, 1]], [9.0, 8.0]]),
    ("scatter_nd_add", [[[0, 0], [0, 0]], [1.0, 1.0]]),
    ("scatter_nd_sub", [[[2]], [[1.0, 1.0]]]),
    ("scatter_max", [{"values": [[7.0, 0.0]], "indices": [1]}]),
    ("scatter_min", [{"values": [[0.0, 0.0], [0.0, 100.0]], "indices": [0, 0]}]),
    ("scatter_mul", [{"values": [[2.0, 3.0], [0.5, 2.0]], "indices": [2, 2]}]),
    ("scatter_div", [{"values": [[2.0, 3.0]], "indices": [2]}]),
    ("scatter_add", [{"values": [[1.0, 1.0], [2.0, 2.0]], "indices": [1, 1]}]),
    ("scatter_sub", [{"values": [[1.0, 1.0]], "indices": [0]}]),
    ("scatter_update", [{"values": [[5.0, 5.0], [6.0, 6.0]], "indices": [0, 2]}]),
]
READS = [("sparse_read", [[2, 0]]), ("gather_nd", [[[0, 1], [2, 0]]])]


def _argument(value):
    if isinstance(value, dict):
        return tf.IndexedSlices(tf.constant(value["values"]), tf.constant(value["indices"]))
    return value


def main():
    variable = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    reads = [
        {"method": m, "args": a, "out": getattr(variable, m)(*a).numpy().tolist()} for m, a in READS
    ]
    steps = []
    for method, args in STEPS:
        getattr(variable, method)(*[_argument(a) for a in args])
        steps.append({"method": method, "args": args, "value": variable.numpy().tolist()})
    batch = tf.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    batch.batch_scatter_update(tf.IndexedSlices([[10.0, 20.0], [30.0, 40.0]], [[0, 2], [1, 1]]))
    fixture = {
        "initial": [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]],
        "reads": reads,
        "steps": steps,
        "batch_scatter_update": batch.numpy().tolist(),
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(fixture, f, indent=1)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
