"""Corners of the ``tf.*``, ``tf.math`` and ``tf.nn`` ops against TensorFlow's recorded
values and errors (``tests/fixtures/op_audit.json``, written by
``record_op_audit_fixtures.py``)."""

import json
from pathlib import Path

import pytest

import tensorflux as tf
from tests.ops import op_audit_cases
from tests.ops.test_tfops import _same

FIXTURES = json.loads(
    (Path(__file__).parent.parent / "fixtures" / "op_audit.json").read_text(encoding="utf-8")
)


def _run(case):
    try:
        return op_audit_cases.summarize(case(tf))
    except Exception as e:  # noqa: BLE001 - the error is what is compared
        return op_audit_cases.error_summary(e)


@pytest.mark.parametrize("name", sorted(op_audit_cases.CASES))
def test_matches_tensorflow(name):
    want = FIXTURES[name]
    if "message" in want:
        # TF's attr and kernel errors go on with its op definition or every kernel it has.
        message = want["message"].split("\n")[0]
        if name in op_audit_cases.UP_TO_LIST:
            message = message[: message.index("allowed values:")]
        want = dict(want, message=message)
    _same(_run(op_audit_cases.CASES[name]), want, name)
