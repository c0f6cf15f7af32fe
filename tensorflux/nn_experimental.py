"""``tf.nn.experimental``: dropout with a stateless seed or a caller's sampler."""

from tensorflux.ops.dropout_ops import general_dropout, stateless_dropout  # noqa: F401


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.nn.experimental", __name__, name)
