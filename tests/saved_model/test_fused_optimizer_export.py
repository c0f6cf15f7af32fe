"""A saved ``tf.function`` train step with Keras' Adam: the fused ``_KerasAdamUpdate`` is
written as TF's elementwise ops (so TensorFlow's loader runs it; checked by hand with
TF 2.21), and tensorflux's loader runs the fused kernel again, bit for bit."""

import json
import pathlib

import numpy as np

import tensorflux as tf
from tensorflux.saved_model import rnn_lowering
from tensorflux.saved_model.function_codec import FunctionDefRunner
from tests.saved_model.test_rnn_savedmodel_export import _library, _node_attrs

# TF 2.21's op names, recorded for the recurrent exports.
TF_OPS = set(
    json.loads(
        (
            pathlib.Path(__file__).resolve().parents[1]
            / "fixtures"
            / "savedmodels"
            / "tf_reads_our_rnns.json"
        ).read_text()
    )["tf_op_names"]
)


class _Trainer(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(np.linspace(-1, 1, 6, dtype=np.float32).reshape(2, 3))
        self.opt = tf.keras.optimizers.Adam(0.1)
        self.opt.build([self.w])

    @tf.function(input_signature=[tf.TensorSpec([2, 3], tf.float32)])
    def train(self, grad):
        self.opt.apply_gradients([(grad, self.w)])
        return self.w.read_value()


def test_saved_adam_step_uses_tensorflow_ops_and_reloads_fused(tmp_path):
    live, saved = _Trainer(), _Trainer()
    directory = str(tmp_path / "trainer")
    tf.saved_model.save(saved, directory)
    functions = _library(directory)
    fused = 0
    for function in functions:
        for node in function.messages(3):
            assert node.string(2) in TF_OPS, node.string(2)
            assert not node.string(1).startswith("_"), node.string(1)
            fused += rnn_lowering.FUSED_OP in _node_attrs(node)
    assert fused >= 1  # one per written function of the step
    runners = [FunctionDefRunner(f, None) for f in functions]
    ops = {getattr(op, "name", op) for r in runners for _, op, *_ in r._nodes}
    assert "_KerasAdamUpdate" in ops and "Square" not in ops, ops
    restored = tf.saved_model.load(directory)
    rng = np.random.default_rng(3)
    for _ in range(3):
        grad = tf.constant(rng.standard_normal((2, 3)).astype(np.float32))
        assert np.array_equal(restored.train(grad).numpy(), live.train(grad).numpy())
