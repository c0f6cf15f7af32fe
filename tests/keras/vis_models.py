"""The models drawn by the vis_utils tests, built with either tf_keras or tensorflux
(``keras`` is the module's keras namespace)."""

CASES = {
    "branches_all_options": dict(
        show_shapes=True,
        show_dtype=True,
        rankdir="LR",
        dpi=50,
        show_layer_activations=True,
        show_trainable=True,
    ),
    "branches_plain": dict(),
    "branches_range": dict(layer_range=["merge", "out"]),
    "nested": dict(show_layer_names=False),
    "nested_expanded": dict(expand_nested=True, show_shapes=True),
    "sequential": dict(show_shapes=True),
    "wrapper": dict(show_shapes=True),
}


def build(keras, case):
    layers = keras.layers
    if case.startswith("branches"):
        inputs = keras.Input((8,), name="features")
        hidden = layers.Dense(4, activation="relu", name="hidden")(inputs)
        skip = layers.Dense(4, name="skip", trainable=False)(inputs)
        merged = layers.Add(name="merge")([hidden, skip])
        return keras.Model(inputs, layers.Dense(1, name="out")(merged), name="branches")
    if case.startswith("nested"):
        inner = keras.Sequential([layers.Dense(3, name="d1")], name="inner")
        inner.build((None, 2))
        inputs = keras.Input((2,), name="x")
        outputs = layers.Dense(1, name="head")(inner(inputs))
        return keras.Model(inputs, outputs, name="outer")
    if case == "sequential":
        model = keras.Sequential(
            [layers.Conv2D(2, 3, name="conv"), layers.Flatten(name="flat")], name="seq"
        )
        model.build((None, 5, 5, 1))
        return model
    inputs = keras.Input((3, 4), name="steps")
    outputs = layers.TimeDistributed(layers.Dense(2, name="per_step"), name="td")(inputs)
    return keras.Model(inputs, outputs, name="wrapped")
