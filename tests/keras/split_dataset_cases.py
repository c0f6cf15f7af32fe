"""split_dataset cases shared by the fixture recorder (tf_keras) and the tests
(tensorflux): each takes ``(tf, keras)`` and returns the two splits' element specs
and elements as plain lists, or the error raised."""

from __future__ import annotations

import numpy as np

X = np.arange(10).reshape(5, 2).astype("float32")
Y = np.arange(5)


def _plain(tf, ds):
    spec = tf.nest.map_structure(lambda s: [s.shape.as_list(), s.dtype.name], ds.element_spec)
    elements = [tf.nest.map_structure(lambda t: np.asarray(t).tolist(), e) for e in ds]
    return {"spec": _lists(spec), "elements": _lists(elements)}


def _lists(value):
    if isinstance(value, (list, tuple)):
        return [_lists(v) for v in value]
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    return value


CASES = {
    "array_fraction": lambda tf: (X, {"left_size": 0.6}),
    "tuple_right_int": lambda tf: ((X, Y), {"right_size": 2}),
    "list_left_int": lambda tf: ([X, Y], {"left_size": 3}),
    "array_shuffled": lambda tf: (X, {"left_size": 0.6, "shuffle": True, "seed": 3}),
    "tuple_shuffled": lambda tf: ((X, Y), {"left_size": 2, "shuffle": True, "seed": 1}),
    "dataset_tuple": lambda tf: (tf.data.Dataset.from_tensor_slices((X, Y)), {"left_size": 0.4}),
    "dataset_batched": lambda tf: (
        tf.data.Dataset.from_tensor_slices((X, Y)).batch(2),
        {"left_size": 0.4},
    ),
    "int64_array": lambda tf: (np.arange(10), {"left_size": 3}),
    "dataset_dict": lambda tf: (
        tf.data.Dataset.from_tensor_slices({"a": X, "b": Y}),
        {"left_size": 2},
    ),
    "dataset_single_tensor": lambda tf: (tf.data.Dataset.from_tensor_slices(X), {"left_size": 2}),
    "both_sizes": lambda tf: (X, {"left_size": 2, "right_size": 2}),
    "right_fraction": lambda tf: (X, {"right_size": 0.3}),
    "float64_vector": lambda tf: (np.arange(5, dtype="float64"), {"left_size": 2}),
    "one_array_list": lambda tf: ([X], {"left_size": 2}),
    # errors
    "no_size": lambda tf: (X, {}),
    "left_zero": lambda tf: (X, {"left_size": 0}),
    "left_total": lambda tf: (X, {"left_size": 5}),
    "left_above_one": lambda tf: (X, {"left_size": 1.5}),
    "right_total": lambda tf: (X, {"right_size": 5}),
    "left_string": lambda tf: (X, {"left_size": "a"}),
    "both_strings": lambda tf: (X, {"left_size": "a", "right_size": "b"}),
    "numpy_int_size": lambda tf: (X, {"left_size": np.int64(2)}),
    "fractions_above_one": lambda tf: (X, {"left_size": 0.7, "right_size": 0.5}),
    "counts_above_total": lambda tf: (X, {"left_size": 3, "right_size": 3}),
    "empty_left_split": lambda tf: (X, {"left_size": 0.01}),
    "both_zero": lambda tf: (X, {"left_size": 0, "right_size": 0}),
    "empty_list": lambda tf: ([], {"left_size": 0.5}),
    "empty_tuple": lambda tf: ((), {"left_size": 0.5}),
    "list_of_ints": lambda tf: ([1, 2, 3], {"left_size": 0.5}),
    "tuple_of_ints": lambda tf: ((1, 2, 3), {"left_size": 0.5}),
    "ragged_list": lambda tf: ([X, Y[:3]], {"left_size": 0.5}),
    "scalar_dataset": lambda tf: (tf.data.Dataset.range(5), {"left_size": 2}),
}


def run(tf, keras, name):
    dataset, kwargs = CASES[name](tf)
    try:
        left, right = keras.utils.split_dataset(dataset, **kwargs)
    except (TypeError, ValueError) as e:
        return {"error": [type(e).__name__, str(e)]}
    return {"left": _plain(tf, left), "right": _plain(tf, right)}
