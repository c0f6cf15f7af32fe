"""Records ``tf.train.ExponentialMovingAverage`` trajectories from TensorFlow into
``tests/fixtures/moving_averages.json``.

Run with a Python that has TensorFlow 2.21:
``python tests/train/record_moving_average_fixtures.py``.
"""

import json
import os

import tensorflow as tf

OUT = os.path.join(os.path.dirname(os.path.dirname(__file__)), "fixtures", "moving_averages.json")
VALUES = [[1.0, 2.0], [3.0, 4.0], [-2.0, 0.5], [7.0, 7.0], [0.0, -1.0]]


def trajectory(decay, num_updates, in_function):
    steps = None if num_updates is None else tf.Variable(num_updates)
    ema = tf.train.ExponentialMovingAverage(decay, num_updates=steps)
    var = tf.Variable(VALUES[0])

    def step():
        ema.apply([var])
        return ema.average(var).read_value()

    if in_function:
        step = tf.function(step)
    out = []
    for values in VALUES:
        var.assign(values)
        if steps is not None:
            steps.assign_add(1)
        out.append(step().numpy().tolist())
    return out, ema.average_name(var)


def main():
    cases = []
    for decay, num_updates, in_function in [
        (0.9, None, False),
        (0.99, 3, False),
        (0.5, None, True),
        (0.7, 0, True),
    ]:
        averages, name = trajectory(decay, num_updates, in_function)
        cases.append(
            {
                "decay": decay,
                "num_updates": num_updates,
                "in_function": in_function,
                "averages": averages,
                "average_name": name,
            }
        )
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump({"values": VALUES, "cases": cases}, f, indent=1)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
