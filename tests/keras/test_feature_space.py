"""keras.utils.FeatureSpace: encodings as tf_keras 2.21 gives them for the same data
(its outputs below were printed by tf_keras on this data)."""

import numpy as np
import pytest

import tensorflux as tf

keras = tf.keras

DATA = {
    "age": np.array([20.0, 35.0, 50.0, 65.0, 30.0, 45.0], "float32"),
    "income": np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], "float32"),
    "city": np.array(["a", "b", "a", "c", "b", "a"]),
    "kids": np.array([0, 1, 2, 1, 0, 3], "int64"),
    "zip": np.array(["x1", "x2", "x3", "x1", "x2", "x3"]),
}


def _features():
    return tf.data.Dataset.from_tensor_slices(DATA)


def test_concatenated_encoding_with_a_cross():
    space = keras.utils.FeatureSpace(
        features={
            "age": "float_normalized",
            "income": "float_rescaled",
            "city": "string_categorical",
            "kids": "integer_categorical",
            "zip": "string_hashed",
        },
        crosses=[("city", "kids")],
        crossing_dim=8,
        hashing_dim=4,
    )
    space.adapt(_features())
    encoded = space({k: v[:2] for k, v in DATA.items()})
    # age | city (4) | income | kids (5) | zip hashed (4) | city x kids (8)
    expected = np.zeros((2, 23), "float32")
    expected[0, [2, 8, 14, 20]] = 1.0
    expected[1, [3, 7, 11, 19]] = 1.0
    expected[:, 0] = [-1.4315, -0.4008]
    expected[:, 5] = [1.0, 2.0]
    np.testing.assert_allclose(encoded.numpy(), expected, atol=1e-4)
    assert space({k: v[0] for k, v in DATA.items()}).shape == (23,)
    assert sorted(space.get_inputs()) == sorted(DATA)
    model = keras.Model(space.get_inputs(), keras.layers.Dense(1)(space.get_encoded_features()))
    assert model.output_shape == (None, 1)


def test_dict_output_keeps_int_features_and_discretizes():
    space = keras.utils.FeatureSpace(
        features={
            "city": "string_categorical",
            "kids": keras.utils.FeatureSpace.integer_categorical(output_mode="int"),
            "age": "float_discretized",
        },
        output_mode="dict",
        num_discretization_bins=3,
    )
    space.adapt(_features())
    out = space({k: DATA[k][:3] for k in ("city", "kids", "age")})
    assert out["age"].numpy().tolist() == [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    assert out["city"].numpy().tolist() == [[0, 1, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0]]
    assert out["kids"].dtype == tf.int64 and out["kids"].numpy().tolist() == [[2], [1], [4]]


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: keras.utils.FeatureSpace(features={}), "cannot be None or empty"),
        (lambda: keras.utils.FeatureSpace(features={"a": "nope"}), "Invalid feature type: nope"),
        (
            lambda: keras.utils.FeatureSpace(features={"a": "float"}, output_mode="x"),
            "Expected one of {'dict', 'concat'}",
        ),
        (
            lambda: keras.utils.FeatureSpace(features={"a": "float"}, crosses=[("a", "b")]),
            "Received unknown features",
        ),
        (
            lambda: keras.utils.FeatureSpace(features={"a": "float_normalized"})({"a": [1.0]}),
            r"call `.adapt\(dataset\)`",
        ),
    ],
)
def test_errors_as_tf_keras(make, message):
    with pytest.raises(ValueError, match=message):
        make()
