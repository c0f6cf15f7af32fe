"""``pack_x_y_sample_weight`` / ``unpack_x_y_sample_weight``: the batch layout that
``train_step``, ``test_step`` and ``predict_step`` receive."""

__all__ = ["pack_x_y_sample_weight", "unpack_x_y_sample_weight"]


def unpack_x_y_sample_weight(data):
    """``(x, y, sample_weight)`` from a batch that is ``x``, ``(x,)``, ``(x, y)`` or
    ``(x, y, sample_weight)`` (a list is taken as a tuple); missing parts are None.

    Args:
        data: the batch, as ``train_step`` receives it.

    Returns:
        The tuple ``(x, y, sample_weight)``.

    Raises:
        ValueError: a tuple of more than three parts.

    >>> unpack_x_y_sample_weight((1, 2))
    (1, 2, None)
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data
    raise ValueError(
        f"Data is expected to be in format `x`, `(x,)`, `(x, y)`, or "
        f"`(x, y, sample_weight)`, found: {data!r}"
    )


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """Packs ``x``, ``y`` and ``sample_weight`` as ``train_step`` receives them:
    ``x`` alone (a tuple ``x`` wrapped as ``(x,)``), ``(x, y)`` or
    ``(x, y, sample_weight)``.

    Keras wraps only a tuple ``x``: a list ``x`` comes back as it is.

    Args:
        x: the inputs.
        y: the targets, or None.
        sample_weight: the per-sample weights, or None.

    Returns:
        The packed batch.

    >>> pack_x_y_sample_weight(1, 2)
    (1, 2)
    >>> pack_x_y_sample_weight((1, 2))
    ((1, 2),)
    """
    if y is None:
        return (x,) if isinstance(x, tuple) else x
    if sample_weight is None:
        return x, y
    return x, y, sample_weight
