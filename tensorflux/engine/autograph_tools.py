"""``tf.autograph.to_code``, ``trace`` and ``set_verbosity``: looking at what AutoGraph
makes of a function."""

from __future__ import annotations

import ast
import inspect
import os
import textwrap
import types

from tensorflux.engine import autograph_transform as transform

__all__ = ["set_verbosity", "to_code", "trace"]

_state = {"verbosity": None, "alsologtostdout": False}


def set_verbosity(level, alsologtostdout=False) -> None:
    """Sets how much AutoGraph reports about its conversions (0: nothing but warnings).

    The ``AUTOGRAPH_VERBOSITY`` environment variable, when set, wins over this call,
    as in TF; tensorflux's AutoGraph reports only warnings at any level.
    """
    _state["verbosity"] = int(level)
    _state["alsologtostdout"] = bool(alsologtostdout)


def get_verbosity() -> int:
    """The verbosity in force: ``AUTOGRAPH_VERBOSITY``, else the last ``set_verbosity``."""
    env = os.environ.get("AUTOGRAPH_VERBOSITY")
    if env is not None:
        return int(env)
    return _state["verbosity"] or 0


def trace(*args) -> None:
    """Prints its arguments when the code runs, which inside a ``tf.function`` is while
    it is traced (tensors show as graph tensors then).

    >>> import tensorflux as tf
    >>> tf.autograph.trace("step", 1)
    step 1
    """
    print(*args)


def to_code(entity, recursive=True, experimental_optional_features=None) -> str:
    """The Python source AutoGraph runs for ``entity``: its ``if``/``while``/``for`` on
    tensors rewritten as calls of the AutoGraph runtime (``ag__``).

    Args:
        entity: a Python function or method.

    Returns:
        The converted function's source; a function without control flow to convert
        (or a lambda) comes back as written.

    Raises:
        ValueError: ``entity`` has no Python code (a builtin, a number), or its source
            cannot be read.

    >>> import tensorflux as tf
    >>> def relu(x):
    ...     if x > 0:
    ...         return x
    ...     return 0.0
    >>> "ag__.if_stmt" in tf.autograph.to_code(relu)
    True
    """
    func = entity.__func__ if isinstance(entity, types.MethodType) else entity
    func = getattr(func, "python_function", func)
    if not isinstance(func, types.FunctionType):
        raise ValueError(
            f"converting {entity}: ValueError: Cannot apply autograph to a function that doesn't "
            "expose a __code__ object. If this is a @tf.function, try passing "
            "f.python_function instead."
        )
    try:
        source = textwrap.dedent(inspect.getsource(func))
    except (OSError, TypeError):
        raise ValueError(
            f"Unable to locate the source code of {entity}. Note that functions defined in "
            "certain environments, like the interactive Python shell, do not expose their "
            "source code."
        ) from None
    tree = ast.parse(source)
    fdef = tree.body[0] if tree.body else None
    if (
        func.__code__.co_name == "<lambda>"
        or not isinstance(fdef, ast.FunctionDef)
        or transform.has_generator_or_async(fdef)
    ):
        return source
    fdef.decorator_list = []
    return ast.unparse(ast.fix_missing_locations(transform.convert_function(fdef))) + "\n"
