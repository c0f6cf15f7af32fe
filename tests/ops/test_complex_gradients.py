"""Gradients of complex inputs follow TF's convention ``dy * conj(f'(z))``: values and
gradients against TF's (``tests/ops/record_complex_gradient_fixtures.py``)."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf
from tests.ops.complex_gradient_cases import CASES, value_and_gradient

with open(
    os.path.join(os.path.dirname(os.path.dirname(__file__)), "fixtures", "complex_gradients.json"),
    encoding="utf-8",
) as _f:
    FIXTURE = json.load(_f)


def _complex(pairs):
    return np.array([complex(re, im) for re, im in pairs])


@pytest.mark.parametrize("name", sorted(CASES))
def test_value_and_gradient_match_tf(name):
    value, gradient = value_and_gradient(tf, name)
    expected = FIXTURE[name]
    np.testing.assert_allclose(value.ravel(), _complex(expected["value"]), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(
        gradient.ravel(), _complex(expected["gradient"]), rtol=1e-8, atol=1e-10
    )
