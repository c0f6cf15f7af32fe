"""Records Keras 2 (tf_keras) model summaries, layer orders and error messages.

Run with the TF venv: ``/path/to/tf-venv/bin/python tests/keras/record_model_fixtures.py``.
Each case builds a model from a ``keras`` module passed in, so the tests build the
very same models with ``tensorflux.keras`` and compare against the recording.
"""

from __future__ import annotations

import json
import os

import numpy as np

FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "models.json")


def sequential_with_input_shape(keras):
    L = keras.layers
    return keras.Sequential(
        [L.Dense(4, activation="relu", input_shape=(3,)), L.Dropout(0.2), L.Dense(2)]
    )


def sequential_built_by_call(keras):
    model = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(1)])
    model(np.ones((2, 3), "float32"))
    return model


def sequential_with_input_layer(keras):
    L = keras.layers
    return keras.Sequential(
        [L.InputLayer(input_shape=(4, 4, 1)), L.Flatten(), L.Dense(3)], name="stack"
    )


def functional_chain(keras):
    x = keras.Input(shape=(3,))
    y = keras.layers.Dense(5, activation="relu")(x)
    return keras.Model(x, keras.layers.Dense(1)(y))


def functional_multi_io(keras):
    L = keras.layers
    x = keras.Input(shape=(3,))
    y = keras.Input(shape=(5,), name="other")
    c = L.concatenate([L.Dense(4)(x), L.Dense(4)(y)])
    e = L.Dense(1, name="out")(c * 2 + 1)
    return keras.Model([x, y], [e, c])


def functional_shared(keras):
    L = keras.layers
    i1 = keras.Input((2,), name="i1")
    i2 = keras.Input((2,), name="i2")
    shared = L.Dense(2, name="s")
    return keras.Model([i1, i2], L.Add(name="add")([shared(i2), shared(i1)]))


def functional_branches(keras):
    L = keras.layers
    x = keras.Input((3,), name="x")
    a = L.Dense(2, name="a")(x)
    b = L.Dense(2, name="b")(x)
    c = L.Dense(2, name="c")(a)
    return keras.Model(x, [L.Dense(1, name="o2")(a), L.Concatenate(name="cat")([c, b])])


def nested_vae(keras):
    L = keras.layers
    x = L.Input(shape=(6,))
    h = L.Dense(4, activation="relu")(x)
    mean = L.Dense(2)(h)
    logsigma = L.Dense(2)(h)
    sample = L.Lambda(lambda a: a[0] + a[1])([mean, logsigma])
    encoder = keras.Model(x, [mean, logsigma, sample])
    z = L.Input(shape=(2,))
    decoder = keras.Model(z, L.Dense(6, activation="sigmoid")(L.Dense(4)(z)))
    return keras.Model(x, decoder(encoder(x)[2]))


def subclassed(keras):
    class TwoLayers(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = keras.layers.Dense(3)
            self.heads = [keras.layers.Dense(2)]

        def call(self, inputs):
            return self.heads[0](self.hidden(inputs))

    model = TwoLayers()
    model(np.ones((1, 4), "float32"))
    return model


def frozen_and_large(keras):
    L = keras.layers
    model = keras.Sequential(
        [L.Dense(1000, input_shape=(1000,)), L.BatchNormalization(), L.Dense(10)]
    )
    model.layers[0].trainable = False
    return model


SUMMARY_CASES = [
    sequential_with_input_shape,
    sequential_built_by_call,
    sequential_with_input_layer,
    functional_chain,
    functional_multi_io,
    functional_shared,
    functional_branches,
    nested_vae,
    subclassed,
    frozen_and_large,
]
ORDER_CASES = [functional_multi_io, functional_shared, functional_branches, nested_vae]


def errors(keras):
    """Messages of the errors users meet most, keyed by case name."""
    out = {}
    L = keras.layers

    def catch(name, fn):
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - recording whatever Keras raises
            out[name] = [type(e).__name__, str(e).split("\n")[0]]

    keras.backend.clear_session()
    unbuilt = keras.Sequential([L.Dense(4)])
    catch("unbuilt_weights", lambda: unbuilt.weights)
    catch("unbuilt_summary", unbuilt.summary)
    model = functional_chain(keras)
    catch("wrong_input_count", lambda: model([np.ones((2, 3)), np.ones((2, 3))]))
    catch("wrong_input_shape", lambda: model(np.ones((2, 5))))
    catch("no_such_layer", lambda: model.get_layer("nope"))
    catch("bad_layer_index", lambda: model.get_layer(index=10))
    dense = L.Dense(2, name="unused")
    catch("never_called_output", lambda: dense.output)
    catch("never_called_output_shape", lambda: dense.output_shape)
    catch(
        "sequential_duplicate_name",
        lambda: keras.Sequential([L.Dense(2, name="d"), L.Dense(2, name="d")]),
    )
    catch("pop_empty", lambda: keras.Sequential().pop())
    built = L.Dense(2, name="dd")
    built(keras.Input((3,)))
    catch("incompatible_input", lambda: built(keras.Input((5,))))
    x1, x2 = keras.Input((2,)), keras.Input((2,))
    catch("disconnected", lambda: keras.Model(x1, L.Dense(1)(x2)))
    return out


def main():
    import tf_keras as keras

    record = {"summaries": {}, "layer_orders": {}}
    for case in SUMMARY_CASES:
        keras.backend.clear_session()
        lines = []
        case(keras).summary(print_fn=lines.append)
        record["summaries"][case.__name__] = lines
    keras.backend.clear_session()
    lines = []
    sequential_with_input_shape(keras).summary(print_fn=lines.append, show_trainable=True)
    record["summaries"]["show_trainable"] = lines
    keras.backend.clear_session()
    lines = []
    functional_chain(keras).summary(print_fn=lines.append, line_length=40, positions=[20, 32, 40])
    record["summaries"]["narrow"] = lines
    for case in ORDER_CASES:
        keras.backend.clear_session()
        model = case(keras)
        record["layer_orders"][case.__name__] = {
            "layers": [layer.name for layer in model.layers],
            "weights": [w.name.split(":")[0] for w in model.weights],
        }
    record["errors"] = errors(keras)
    with open(FIXTURE, "w") as f:
        json.dump(record, f, indent=1)


if __name__ == "__main__":
    main()
