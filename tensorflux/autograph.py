"""``tf.autograph``: control over the conversion of Python control flow in tf.function."""

from types import SimpleNamespace

from tensorflux.engine.autograph import do_not_convert, set_loop_options, to_graph  # noqa: F401
from tensorflux.engine.autograph_tools import set_verbosity, to_code, trace  # noqa: F401

experimental = SimpleNamespace(do_not_convert=do_not_convert, set_loop_options=set_loop_options)


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.autograph", __name__, name)
