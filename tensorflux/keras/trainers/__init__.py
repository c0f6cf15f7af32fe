"""``keras.trainers``: compile/fit/evaluate/predict, mixed into ``keras.Model``."""

from tensorflux.keras.trainers.trainer import Trainer  # noqa: F401
