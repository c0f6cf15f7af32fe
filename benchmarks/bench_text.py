"""Speed of TextVectorization, side by side with TensorFlow (tf_keras, Keras 2).

25,000 generated short reviews (8-30 words from a 2,000-word Zipf vocabulary, with
punctuation and capitals). Three timings per library, each the median of ``--repeats``:

* ``adapt``: ``TextVectorization(max_tokens=10000).adapt(dataset.batch(256))``, the
  vocabulary built by a pass over the texts (standardise, split, count);
* ``map``: one epoch of ``dataset.batch(64).map(layer)`` consumed by a Python loop,
  the vectorisation as a training input pipeline runs it (ids padded per batch);
* ``map_seq``: the same with ``output_sequence_length=32``.

Run from the repository root, with TensorFlow and tf_keras available::

    PYTHONPATH=. /path/to/tf-venv/bin/python benchmarks/bench_text.py

Target: no slower than TensorFlow (``--check`` exits 1 if tensorflux is slower on any
row). Timings are never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import numpy as np

N, VOCAB, ADAPT_BATCH, MAP_BATCH = 25_000, 2_000, 256, 64


def make_reviews(n=N, seed=0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    words = np.array([f"w{i}" for i in range(VOCAB)])
    weights = 1.0 / np.arange(1, VOCAB + 1)
    weights /= weights.sum()
    punctuation = np.array([",", ".", "!", "?", ""])
    texts = []
    for length in rng.integers(8, 31, n):
        picked = words[rng.choice(VOCAB, length, p=weights)]
        marks = punctuation[rng.integers(0, 5, length)]
        text = " ".join(w + m for w, m in zip(picked, marks))
        texts.append(text.capitalize())
    return np.array(texts)


def _median_time(fn, repeats: int) -> tuple:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def run(tf, layers, texts, repeats: int) -> dict:
    """Timings of one library; ``layers`` is its Keras 2 layers module."""
    data = tf.data.Dataset.from_tensor_slices(texts)

    def adapt():
        layer = layers.TextVectorization(max_tokens=10_000)
        layer.adapt(data.batch(ADAPT_BATCH))
        return layer

    adapt_s, layer = _median_time(adapt, repeats)
    out = {"adapt": adapt_s, "vocabulary": len(layer.get_vocabulary())}
    for name, length in (("map", None), ("map_seq", 32)):
        vectorize = layers.TextVectorization(max_tokens=10_000, output_sequence_length=length)
        vectorize.set_vocabulary(layer.get_vocabulary()[2:])
        pipeline = data.batch(MAP_BATCH).map(vectorize).prefetch(tf.data.AUTOTUNE)

        def epoch(pipeline=pipeline):
            ids = 0
            for batch in pipeline:
                ids += int(batch.shape[0])
            return ids

        out[name], rows = _median_time(epoch, repeats)
        assert rows == len(texts)
    return out


def _load_tensorflow():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    try:
        import tensorflow  # noqa: PLC0415 - optional, only for the comparison
        import tf_keras  # noqa: PLC0415
    except ImportError:
        return None
    return tensorflow, tf_keras.layers


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--check", action="store_true", help="exit 1 if slower than TF")
    args = parser.parse_args(argv)

    import tensorflux

    texts = make_reviews()
    results = {"tensorflux": run(tensorflux, tensorflux.keras.layers, texts, args.repeats)}
    loaded = _load_tensorflow()
    if loaded is not None:
        results["tensorflow"] = run(*loaded, texts, args.repeats)
    print(
        f"{N} reviews of 8-30 words, vocabulary {results['tensorflux']['vocabulary']}; "
        f"median of {args.repeats}; {os.cpu_count()} CPUs"
    )
    rows = ("adapt", "map", "map_seq")
    print(f"{'step':<8}" + "".join(f"{name:>12}" for name in results) + "   ratio tfx/tf")
    slower = False
    for row in rows:
        line = f"{row:<8}" + "".join(f"{r[row]:>11.3f}s" for r in results.values())
        if "tensorflow" in results:
            ratio = results["tensorflux"][row] / results["tensorflow"][row]
            slower |= ratio > 1.0
            line += f"   {ratio:.3f}"
        print(line)
    if "tensorflow" in results:
        assert results["tensorflux"]["vocabulary"] == results["tensorflow"]["vocabulary"]
    return 1 if args.check and slower else 0


if __name__ == "__main__":
    sys.exit(main())
