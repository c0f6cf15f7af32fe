"""Console output shared by the progress bar, callbacks and downloads, and the switch
between interactive output (stdout) and logging (the ``absl`` logger), per thread as
in Keras."""

import logging
import sys
import threading

_INTERACTIVE = threading.local()


def enable_interactive_logging():
    """Sends Keras' messages (progress bars, epoch lines) to stdout (the default).

    >>> enable_interactive_logging()
    >>> is_interactive_logging_enabled()
    True
    """
    _INTERACTIVE.enable = True


def disable_interactive_logging():
    """Sends Keras' messages to the ``absl`` logger at INFO level instead of stdout,
    for jobs that run without a terminal.

    >>> disable_interactive_logging()
    >>> is_interactive_logging_enabled()
    False
    >>> enable_interactive_logging()
    """
    _INTERACTIVE.enable = False


def is_interactive_logging_enabled():
    """Whether Keras' messages go to stdout (True) or to logging (False), in this
    thread.

    >>> is_interactive_logging_enabled()
    True
    """
    return getattr(_INTERACTIVE, "enable", True)


def print_msg(message, line_break=True):
    """Writes ``message`` to the current ``sys.stdout`` and flushes it, or logs it to
    the ``absl`` logger (INFO) when interactive logging is disabled.

    The stream is looked up on every call (not bound at import) so that output
    redirected later (pytest's capture, ``contextlib.redirect_stdout``, Jupyter)
    receives it.

    Args:
        message: the text to write.
        line_break: whether to end it with a newline (stdout only).
    """
    if not is_interactive_logging_enabled():
        logging.getLogger("absl").info(message)
        return
    sys.stdout.write(message + "\n" if line_break else message)
    sys.stdout.flush()
