"""XOR with a 2-2-1 sigmoid network, seeded: prints the numbers TensorFlow prints.

With ``tf.random.set_seed(1)`` the four weight tensors drawn by
``tf.random.truncated_normal(stddev=0.1)`` are TensorFlow's own numbers, so 20,000
steps of gradient descent land on TensorFlow's solution: outputs close to
0.011 / 0.990 / 0.987 / 0.010 for the inputs (0,0), (0,1), (1,0), (1,1).

Run: python examples/xor_seeded.py [steps]
"""

import sys

import tensorflux as tf


def train(steps: int = 20000, report_every: int = 1000, learning_rate: float = 0.5):
    """Trains the network; returns the outputs for the four inputs as a NumPy column."""
    tf.random.set_seed(1)
    inputs = tf.constant([[0, 0], [0, 1], [1, 0], [1, 1]], tf.float32)
    targets = tf.constant([[0], [1], [1], [0]], tf.float32)
    weights = [
        tf.Variable(tf.random.truncated_normal(shape, stddev=0.1))
        for shape in ([2, 2], [1, 2], [2, 1], [1, 1])
    ]
    hidden_w, hidden_b, out_w, out_b = weights

    def forward(x):
        hidden = tf.sigmoid(tf.matmul(x, hidden_w) + hidden_b)
        return tf.sigmoid(tf.matmul(hidden, out_w) + out_b)

    def loss():
        return tf.reduce_sum(tf.square(forward(inputs) - targets))

    optimizer = tf.keras.optimizers.SGD(learning_rate)
    for step in range(steps):
        optimizer.minimize(loss, weights)
        if report_every and step % report_every == 0:
            print("step", step, "loss", loss().numpy())
    return forward(inputs).numpy()


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    print(train(n))
