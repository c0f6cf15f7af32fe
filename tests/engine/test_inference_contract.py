"""The inference contract: every registered op's rule agrees with its kernel.

One table (``tensorflux.testing.op_samples``) holds sample inputs for every op; each
row runs the kernel and checks the rule's dtypes and shapes against its outputs, with
shapes fully known and with each dimension, then each rank, made unknown. An op
registered without a row fails ``test_every_op_has_a_sample``.
"""

import pytest

from tensorflux.engine import registry
from tensorflux.testing import op_samples
from tensorflux.testing.inference_check import check_inference

OPS = sorted(registry.registered_ops())


def test_every_op_has_a_sample():
    missing = sorted(set(OPS) - op_samples.ops_with_samples())
    assert not missing, (
        f"ops without a row in the inference table: {missing}. Add one with "
        f"tensorflux.testing.op_samples.add_sample(op_name, *inputs, **attrs)."
    )


def test_samples_name_registered_ops():
    unknown = sorted(op_samples.ops_with_samples() - set(OPS))
    assert not unknown, f"rows for ops that are not registered: {unknown}"


@pytest.mark.parametrize("name", OPS)
def test_inference_rule_matches_kernel(name):
    rows = op_samples.samples(name)
    if not rows:
        pytest.fail(f"{name} has no row in the inference table")
    for sample in rows:
        check_inference(name, sample)


def test_a_rule_that_raises_surfaces_while_tracing():
    import tensorflux as tf

    def broken_rule(x):
        raise ZeroDivisionError("a bug in the rule")

    op = registry.register(
        "InferenceContractBrokenRule", kernel=lambda x: x, grad=None, infer=broken_rule
    )
    try:
        f = tf.function(
            lambda x: registry.execute(op, (x,)),
            input_signature=[tf.TensorSpec([None], tf.float32)],
        )
        with pytest.raises(ZeroDivisionError, match="a bug in the rule"):
            f(tf.ones([3]))
    finally:
        registry._REGISTRY.pop(op.name)


def test_a_rule_disagreeing_in_rank_surfaces_while_tracing():
    import tensorflux as tf

    op = registry.register(
        "InferenceContractWrongRank",
        kernel=lambda x: x,
        grad=None,
        infer=lambda x: registry.Spec(x.dtype, tf.TensorShape([None])),
    )
    try:
        f = tf.function(
            lambda x: registry.execute(op, (x,)),
            input_signature=[tf.TensorSpec([None, 2], tf.float32)],
        )
        with pytest.raises(RuntimeError, match="breaks the inference contract"):
            f(tf.ones([3, 2]))
    finally:
        registry._REGISTRY.pop(op.name)
