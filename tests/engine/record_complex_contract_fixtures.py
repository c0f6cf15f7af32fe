"""Records TF's gradients (or errors) for the rows of ``complex_contract_cases`` into
``tests/fixtures/complex_contract.json``.

Run from the repository root with a Python that has TensorFlow 2.21 and NumPy::

    PYTHONPATH=. /path/to/tf-venv/bin/python tests/engine/record_complex_contract_fixtures.py

``--only OP [OP ...]`` records just those ops' rows into the existing fixture (after
registering new ops), leaving the other rows as they were recorded.
"""

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402

from tests.engine import complex_contract_cases as cases  # noqa: E402

FIXTURE = Path(__file__).parents[1] / "fixtures" / "complex_contract.json"


def _record(name, attrs, inputs, made_complex):
    tensors = [tf.constant(x) for x in inputs]
    n_results = cases.RESULT_OUTPUTS.get(name)
    try:
        with tf.GradientTape() as tape:
            for i in made_complex:
                tape.watch(tensors[i])
            out = getattr(tf.raw_ops, name)(**cases.raw_op_arguments(name, tensors, attrs))
            outs = list(out) if isinstance(out, (list, tuple)) else [out]
            loss = tf.constant(0.0, tf.float64)
            for k, o in enumerate(outs[:n_results]):
                if not (o.dtype.is_floating or o.dtype.is_complex):
                    continue
                w = cases.output_weights(k, o.shape)
                if not o.dtype.is_complex:
                    w = w.real
                term = tf.math.real(tf.reduce_sum(o * tf.math.conj(tf.constant(w, o.dtype))))
                loss = loss + tf.cast(term, tf.float64)
        grads = tape.gradient(loss, [tensors[i] for i in made_complex])
    except Exception as e:  # noqa: BLE001 - TF's refusal is the recorded result
        return {"error": type(e).__name__, "message": str(e).splitlines()[0][:200]}
    return {
        "gradients": [
            None if g is None else cases.to_pairs(tf.convert_to_tensor(g).numpy()) for g in grads
        ]
    }


def main():
    only = sys.argv[sys.argv.index("--only") + 1 :] if "--only" in sys.argv else None
    fixtures = json.loads(FIXTURE.read_text()) if only else {}
    for name in only or cases.complex_ops():
        if name not in cases.complex_ops():
            raise SystemExit(f"{name} is not an op of the complex gradient contract")
        for row, attrs, inputs, made_complex in cases.rows(name):
            entry = _record(name, attrs, inputs, made_complex)
            entry["complex_inputs"] = made_complex
            fixtures[f"{name}/{row}"] = entry
    FIXTURE.write_text(json.dumps(fixtures, indent=0, sort_keys=True) + "\n")
    errors = sum("error" in e for e in fixtures.values())
    print(f"wrote {len(fixtures)} rows ({errors} refused by TF) to {FIXTURE}")


if __name__ == "__main__":
    main()
