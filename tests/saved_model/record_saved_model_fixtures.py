"""Records the SavedModel fixtures with real TensorFlow 2.21 + tf-keras 2.21.

Run with a Python that has both (``python tests/saved_model/record_saved_model_fixtures.py``):

1. saves small tf-keras models (dense, conv, batch-norm), compiled and trained one step,
   as SavedModel directories under ``tests/fixtures/savedmodels/<name>/``, and their
   predictions on fixed inputs to ``tf_keras_predictions.json``. The TF function
   library and op list are dropped from each ``saved_model.pb`` to keep the fixtures small
   (tensorflux rebuilds Keras models from ``keras_metadata.pb`` and never reads it);
   everything else is as tf-keras wrote it.
2. saves a ``tf.Module`` with real TF (``tf_module/``, function library kept) and its
   outputs (``tf_module_outputs.json``): tensorflux runs TF's FunctionDefs.
3. saves models with tensorflux (imported from this checkout) and records what real
   TensorFlow makes of them in ``tf_reads_ours.json``: parsing ``saved_model.pb``
   and its signature, ``tf.train.load_checkpoint`` of ``variables/``,
   ``tf.saved_model.load`` (calling the signature), a TF 1 session running the
   signature from the MetaGraphDef's graph (as TF Serving does) and
   ``tf_keras.models.load_model`` (predicting), beside our own predictions.
"""

import json
import os
import pathlib
import shutil
import sys
import tempfile

import numpy as np
import tensorflow as tf
import tf_keras
from tensorflow.core.protobuf import saved_model_pb2

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "fixtures" / "savedmodels"


def _models():
    layers = tf_keras.layers
    dense = tf_keras.Sequential(
        [
            layers.Dense(5, activation="relu", input_shape=(4,)),
            layers.Dropout(0.3),
            layers.Dense(3, activation="softmax"),
        ]
    )
    dense.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    conv = tf_keras.Sequential(
        [
            layers.Conv2D(2, 3, activation="relu", input_shape=(6, 6, 1)),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(2),
        ]
    )
    conv.compile(optimizer="sgd", loss="mse")
    inputs = tf_keras.Input((3,), name="features")
    hidden = layers.Dense(4, name="hidden")(inputs)
    normed = layers.BatchNormalization(name="norm")(hidden)
    outputs = layers.Dense(1, name="score")(normed)
    bn = tf_keras.Model(inputs, outputs, name="bn_model")
    bn.compile(optimizer="rmsprop", loss="mae")
    return {"dense": (dense, (4,), 3), "conv": (conv, (6, 6, 1), None), "bn": (bn, (3,), None)}


def record_tf_keras():
    tf_keras.utils.set_random_seed(1)
    rng = np.random.default_rng(0)
    predictions = {}
    for name, (model, shape, classes) in _models().items():
        x = rng.random((8,) + shape).astype("float32")
        y = (
            rng.integers(0, classes, 8)
            if classes
            else rng.random((8,) + model.output_shape[1:]).astype("float32")
        )
        model.fit(x, y, epochs=1, batch_size=4, verbose=0)
        target = OUT / name
        shutil.rmtree(target, ignore_errors=True)
        model.save(str(target))
        path = target / "saved_model.pb"
        saved = saved_model_pb2.SavedModel()
        saved.ParseFromString(path.read_bytes())
        saved.meta_graphs[0].graph_def.library.Clear()
        saved.meta_graphs[0].meta_info_def.stripped_op_list.Clear()
        path.write_bytes(saved.SerializeToString())
        predictions[name] = {
            "x": x[:3].tolist(),
            "y": model.predict(x[:3], verbose=0).tolist(),
            "iterations": int(model.optimizer.iterations.numpy()),
        }
    (OUT / "tf_keras_predictions.json").write_text(json.dumps(predictions, indent=1) + "\n")


class _TFModule(tf.Module):
    """A module whose functions use the ops of a small network, a reduction, a
    concatenation, a cast and a variable update."""

    def __init__(self):
        super().__init__()
        rng = np.random.default_rng(5)
        self.kernel = tf.Variable(rng.standard_normal((3, 2)).astype("float32"))
        self.bias = tf.Variable([0.5, -0.25])
        self.filters = tf.Variable(rng.standard_normal((2, 2, 1, 2)).astype("float32"))
        self.calls = tf.Variable(0, dtype=tf.int64)

    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32, name="x")])
    def predict(self, x):
        hidden = tf.nn.relu(tf.matmul(x, self.kernel) + self.bias)
        return {
            "probs": tf.nn.softmax(hidden),
            "total": tf.reduce_sum(x, axis=1),
            "joined": tf.concat([x, hidden], axis=1),
            "rounded": tf.cast(x * 10.0, tf.int32),
        }

    @tf.function(input_signature=[tf.TensorSpec([None, 4, 4, 1], tf.float32)])
    def convolve(self, images):
        self.calls.assign_add(1)
        maps = tf.nn.conv2d(images, self.filters, strides=1, padding="VALID")
        return tf.reduce_mean(tf.nn.max_pool2d(maps, 3, 1, "VALID"), axis=[1, 2])


def record_tf_module():
    """A tf.Module saved by TF (with its function library) and its outputs."""
    module = _TFModule()
    target = OUT / "tf_module"
    shutil.rmtree(target, ignore_errors=True)
    tf.saved_model.save(module, str(target), signatures=module.predict)
    x = np.array([[0.1, -0.2, 0.3], [1.0, 0.5, -1.5]], "float32")
    images = np.linspace(-1, 1, 32, dtype="float32").reshape(2, 4, 4, 1)
    outputs = {k: v.numpy().tolist() for k, v in module.predict(x).items()}
    record = {
        "x": x.tolist(),
        "predict": outputs,
        "images": images.tolist(),
        "convolve": module.convolve(images).numpy().tolist(),
        "kernel": module.kernel.numpy().tolist(),
    }
    (OUT / "tf_module_outputs.json").write_text(json.dumps(record, indent=1) + "\n")


def _attempt(fn):
    try:
        return {"ok": True, "value": fn()}
    except Exception as e:  # noqa: BLE001 - what TF raises is what is recorded
        return {"ok": False, "error": f"{type(e).__name__}: {str(e)[:300]}"}


def record_tf_reads_ours():
    sys.path.insert(0, str(ROOT))
    import tensorflux as tfx
    from tensorflux.keras.saving import saved_model_format

    tfx.random.set_seed(3)
    model = tfx.keras.Sequential(
        [tfx.keras.layers.Dense(3, activation="relu", input_shape=(2,)), tfx.keras.layers.Dense(1)]
    )
    model.compile(optimizer="adam", loss="mse")
    x = np.array([[0.5, -1.0], [2.0, 0.25]], "float32")
    model.fit(x, np.array([[1.0], [0.0]], "float32"), epochs=1, verbose=0)

    class Affine(tfx.Module if hasattr(tfx, "Module") else object):
        def __init__(self):
            self.w = tfx.Variable([2.0, -1.0])

        @tfx.function(input_signature=[tfx.TensorSpec([None, 2], tfx.float32, name="x")])
        def __call__(self, x):
            return {"y": tfx.reduce_sum(x * self.w, axis=1)}

    layers = tfx.keras.layers
    image = tfx.keras.Input((5, 5, 1), name="image")
    h = layers.Conv2D(2, 3, activation="relu", name="conv")(image)
    h = layers.BatchNormalization(name="norm")(h)
    h = layers.MaxPooling2D(name="pool")(h)
    h = layers.Flatten(name="flat")(layers.Dropout(0.5, name="drop")(h))
    probs = layers.Dense(3, activation="softmax", name="probs")(h)
    cnn = tfx.keras.Model(image, probs, name="cnn")
    cnn.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    images = np.linspace(0, 1, 50, dtype="float32").reshape(2, 5, 5, 1)
    cnn.fit(images, np.array([0, 2]), epochs=1, verbose=0)

    left = tfx.keras.Input((2,), name="left")
    right = tfx.keras.Input((3,), name="right")
    joined = layers.Concatenate(name="join")([left, right])
    two = tfx.keras.Model(
        [left, right],
        [layers.Dense(1, name="first")(joined), layers.Dense(2, name="second")(joined)],
    )
    pair = [np.array([[1.0, 2.0]], "float32"), np.array([[0.5, -0.5, 3.0]], "float32")]

    misc = tfx.keras.Sequential(
        [
            layers.DepthwiseConv2D(3, input_shape=(5, 5, 2), name="depthwise"),
            layers.LeakyReLU(name="leaky"),
            layers.GlobalAveragePooling2D(name="gap"),
            layers.Dense(2, activation="sigmoid", name="gate"),
            layers.Activation("gelu", name="gelu"),
        ]
    )
    patches = np.linspace(-1, 1, 100, dtype="float32").reshape(2, 5, 5, 2)

    tmp = pathlib.Path(tempfile.mkdtemp())
    saved_model_format.save(two, tmp / "keras_two")
    saved_model_format.save(misc, tmp / "keras_misc")
    saved_model_format.save(model, tmp / "keras")
    saved_model_format.save(cnn, tmp / "keras_cnn")
    module = Affine()
    tfx.saved_model.save(module, str(tmp / "module"), signatures=module.__call__)
    report = {}
    for name, expected in (
        ("keras", {v.name.split(":")[0]: v.numpy() for v in model.weights}),
        ("keras_cnn", {v.name.split(":")[0]: v.numpy() for v in cnn.weights}),
        ("keras_two", {v.name.split(":")[0]: v.numpy() for v in two.weights}),
        ("keras_misc", {v.name.split(":")[0]: v.numpy() for v in misc.weights}),
        ("module", {"w": module.w.numpy()}),
    ):
        d = str(tmp / name)

        def signature(d=d):
            saved = saved_model_pb2.SavedModel()
            saved.ParseFromString(open(os.path.join(d, "saved_model.pb"), "rb").read())
            sig = saved.meta_graphs[0].signature_def["serving_default"]
            return {
                "tags": list(saved.meta_graphs[0].meta_info_def.tags),
                "inputs": {
                    k: [v.name, int(v.dtype), [dim.size for dim in v.tensor_shape.dim]]
                    for k, v in sig.inputs.items()
                },
                "outputs": {
                    k: [v.name, int(v.dtype), [dim.size for dim in v.tensor_shape.dim]]
                    for k, v in sig.outputs.items()
                },
                "method_name": sig.method_name,
            }

        def checkpoint(d=d, expected=expected):
            reader = tf.train.load_checkpoint(os.path.join(d, "variables", "variables"))
            shapes = reader.get_variable_to_shape_map()
            values = [reader.get_tensor(k) for k in sorted(shapes)]
            matched = sum(any(np.array_equal(v, e) for v in values) for e in expected.values())
            return {
                "keys": sorted(shapes),
                "values_matching_ours": matched,
                "variables": len(expected),
            }

        def tf_load(d=d, name=name):
            loaded = tf.saved_model.load(d)
            signature = loaded.signatures["serving_default"]
            if name == "keras":
                out = signature(dense_input=tf.constant(x))
            elif name == "keras_cnn":
                out = signature(image=tf.constant(images))
            elif name == "keras_misc":
                out = signature(depthwise_input=tf.constant(patches))
            elif name == "keras_two":
                out = signature(left=tf.constant(pair[0]), right=tf.constant(pair[1]))
            else:
                out = signature(x=tf.constant(x))
            return {
                "signatures": sorted(loaded.signatures),
                "outputs": {k: v.numpy().tolist() for k, v in out.items()},
            }

        def tf1_session(d=d, name=name):
            # What TF Serving and `saved_model_cli run` do: a TF 1 session that loads the
            # MetaGraphDef's graph, restores through its SaverDef and runs the signature.
            feeds = {
                "keras": {"dense_input": x},
                "keras_cnn": {"image": images},
                "keras_misc": {"depthwise_input": patches},
                "keras_two": {"left": pair[0], "right": pair[1]},
                "module": {"x": x},
            }
            with tf.compat.v1.Session(graph=tf.Graph()) as sess:
                meta = tf.compat.v1.saved_model.load(sess, ["serve"], d)
                sig = meta.signature_def["serving_default"]
                out = sess.run(
                    {k: v.name for k, v in sig.outputs.items()},
                    {sig.inputs[k].name: v for k, v in feeds[name].items()},
                )
            return {k: v.tolist() for k, v in out.items()}

        report[name] = {
            "parse_signature_def": _attempt(signature),
            "tf1_session_run": _attempt(tf1_session),
            "load_checkpoint": _attempt(checkpoint),
            "tf_saved_model_load": _attempt(tf_load),
        }
    report["keras"]["tf_keras_load_model"] = _attempt(
        lambda: tf_keras.models.load_model(str(tmp / "keras")).predict(x, verbose=0).tolist()
    )
    report["keras_cnn"]["tf_keras_load_model"] = _attempt(
        lambda: (
            tf_keras.models.load_model(str(tmp / "keras_cnn")).predict(images, verbose=0).tolist()
        )
    )
    report["keras_cnn"]["ours"] = cnn.predict(images, verbose=0).tolist()
    report["keras_two"]["tf_keras_load_model"] = _attempt(
        lambda: [
            p.tolist()
            for p in tf_keras.models.load_model(str(tmp / "keras_two")).predict(pair, verbose=0)
        ]
    )
    report["keras_misc"]["tf_keras_load_model"] = _attempt(
        lambda: (
            tf_keras.models.load_model(str(tmp / "keras_misc")).predict(patches, verbose=0).tolist()
        )
    )
    report["keras_misc"]["ours"] = misc.predict(patches, verbose=0).tolist()
    report["keras_two"]["ours"] = [p.tolist() for p in two.predict(pair, verbose=0)]
    report["keras"]["ours"] = model.predict(x, verbose=0).tolist()
    report["module"]["ours"] = module(tfx.constant(x))["y"].numpy().tolist()
    shutil.rmtree(tmp)
    (OUT / "tf_reads_ours.json").write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    record_tf_keras()
    record_tf_module()
    record_tf_reads_ours()
