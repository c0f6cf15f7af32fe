"""keras.layers.serialize / deserialize."""

import pytest

from tensorflux.keras import layers


def test_round_trip_keeps_config():
    layer = layers.Dense(3, activation="relu", name="hidden")
    config = layers.serialize(layer)
    assert config["class_name"] == "Dense" and config["module"] == "keras.layers"
    clone = layers.deserialize(config)
    assert isinstance(clone, layers.Dense) and clone.get_config() == layer.get_config()


def test_custom_objects():
    class Scale(layers.Layer):
        def call(self, inputs):
            return 2 * inputs

    config = layers.serialize(Scale(name="scale"))
    assert layers.deserialize(config, custom_objects={"Scale": Scale}).name == "scale"
    with pytest.raises(ValueError, match="Unknown layer: 'Scale'"):
        layers.deserialize(config)


def test_malformed_config():
    with pytest.raises(ValueError, match="expected a dict with 'class_name'"):
        layers.deserialize("Dense")
