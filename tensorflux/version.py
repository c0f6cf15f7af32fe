"""``tf.version``: the package version and the TensorFlow format versions it writes.

``VERSION`` is tensorflux's own version (``tf.__version__``). The GraphDef version
numbers are TensorFlow 2.21's, since files written here declare them to TensorFlow.
"""

import platform

from tensorflux import __version__ as VERSION  # noqa: N812 - TF's public name

GIT_VERSION = "unknown"
COMPILER_VERSION = platform.python_compiler()
GRAPH_DEF_VERSION = 2474
GRAPH_DEF_VERSION_MIN_CONSUMER = 0
GRAPH_DEF_VERSION_MIN_PRODUCER = 0

__all__ = [
    "COMPILER_VERSION",
    "GIT_VERSION",
    "GRAPH_DEF_VERSION",
    "GRAPH_DEF_VERSION_MIN_CONSUMER",
    "GRAPH_DEF_VERSION_MIN_PRODUCER",
    "VERSION",
]
