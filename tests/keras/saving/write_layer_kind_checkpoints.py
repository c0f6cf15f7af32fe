"""Writes tensorflux's weights checkpoints of the conv and recurrent interop models
(seeded weights, one epoch of Adam) and their predictions; the recording script runs
this with tensorflux's Python and loads the checkpoints with TensorFlow.

Usage: ``python3 write_layer_kind_checkpoints.py OUT_DIR``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

import tensorflux as tf  # noqa: E402
from tests.keras.saving import layer_kind_models  # noqa: E402


def main(out_dir):
    predictions = {}
    for name in layer_kind_models.MODELS:
        model = layer_kind_models.train_one_epoch_seeded(tf.keras, name)
        x, _ = layer_kind_models.data(name)
        model.save_weights(os.path.join(out_dir, name, "weights"))
        predictions[name] = model.predict(x, verbose=0).tolist()
    with open(os.path.join(out_dir, "ours.json"), "w") as f:
        json.dump(predictions, f)


if __name__ == "__main__":
    main(sys.argv[1])
