"""Writes tensorflux's own ``.h5`` and ``.keras`` files of the interop models, with
their predictions in a JSON file; the recording script runs this with tensorflux's
Python and then loads the files with TensorFlow.

Usage: ``python3 make_our_format_files.py OUT_DIR``.
"""

from __future__ import annotations

import json
import os
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import format_models  # noqa: E402

import tensorflux as tf  # noqa: E402


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    predictions = {}
    for name, build in {**format_models.MODELS, **format_models.TF_KERAS_ONLY}.items():
        # Dropout draws random masks in fit: seeded, so every run trains the same model.
        tf.keras.utils.set_random_seed(1)
        model = build(tf.keras)
        format_models.set_seeded_weights(model)
        model.compile(
            optimizer=tf.keras.optimizers.Adam(learning_rate=0.01), loss=format_models.LOSSES[name]
        )
        x, y = format_models.data(name)
        model.fit(x, y, epochs=1, batch_size=4, verbose=0, shuffle=False)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.save(os.path.join(out_dir, f"{name}.ours.h5"))
        model.save(os.path.join(out_dir, f"{name}.ours.keras"))
        predictions[name] = model.predict(x, verbose=0).tolist()
    with open(os.path.join(out_dir, "ours_predictions.json"), "w") as f:
        json.dump(predictions, f)


if __name__ == "__main__":
    main(sys.argv[1])
