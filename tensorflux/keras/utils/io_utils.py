"""Console output shared by the progress bar, callbacks and downloads."""

import sys


def print_msg(message, line_break=True):
    """Writes ``message`` to the current ``sys.stdout`` and flushes it.

    The stream is looked up on every call (not bound at import) so that output
    redirected later (pytest's capture, ``contextlib.redirect_stdout``, Jupyter)
    receives it.

    Args:
        message: the text to write.
        line_break: whether to end it with a newline.
    """
    sys.stdout.write(message + "\n" if line_break else message)
    sys.stdout.flush()
