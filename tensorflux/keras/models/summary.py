"""``model.summary()``: the table of layers Keras 2 prints, character for character.

Columns are cut at fixed positions; text too long for its column continues on
the next line, broken preferably after the end of an element ("),", "',").
"""

from __future__ import annotations

import numpy as np

__all__ = ["print_summary"]

_BREAKS = ("),", "},", "],", "',")


def _row_lines(fields, positions) -> list:
    left = [str(f) for f in fields]
    lines = []
    while any(left):
        line = ""
        for col, text in enumerate(left):
            start = positions[col - 1] if col else 0
            last = col == len(positions) - 1
            # Two spaces separate columns; one more keeps the text clear of the next one.
            width = positions[col] - start - (0 if last else 3)
            piece = text[:width]
            cuts = [piece.find(b) + len(b) for b in _BREAKS if b in piece]
            if cuts:
                piece = piece[: min(cuts)]
            if col == 0:
                line += " "
            line += piece + ("" if last else "  ")
            left[col] = text[len(piece) :]
            line += " " * (positions[col] - len(line))
        lines.append(line)
    return lines


def _is_sequential_like(model) -> bool:
    from tensorflux.keras.models.sequential import Sequential

    nodes = getattr(model, "_execution_order", None)
    if isinstance(model, Sequential) or nodes is None:
        return True
    seen = set()
    for node in nodes:
        if len(node.keras_inputs) > 1 or id(node.layer) in seen:
            return False
        seen.add(id(node.layer))
    consumers = {}
    for node in nodes:
        for x in node.keras_inputs:
            consumers[id(x)] = consumers.get(id(x), 0) + 1
    return all(count == 1 for count in consumers.values()) and len(model.outputs) == 1


def _output_shape(layer) -> str:
    try:
        return str(layer.output_shape)
    except AttributeError:
        return "multiple"


def _connections(layer, relevant) -> list:
    out = []
    for node in layer._inbound_nodes:
        if id(node) not in relevant:
            continue
        for x in node.keras_inputs:
            inbound, node_index, tensor_index = x._keras_history
            out.append(f"{inbound.name}[{node_index}][{tensor_index}]")
    return out


def _readable_size(num_bytes: float) -> str:
    for unit in ("Byte", "KB", "MB", "GB", "TB"):
        if num_bytes / 1024 < 1:
            return f"{num_bytes:.2f} {unit}"
        num_bytes /= 1024
    return f"{num_bytes:.2f} PB"


def _count(weights) -> tuple:
    seen, count, size = set(), 0, 0
    for w in weights:
        if id(w) in seen:
            continue
        seen.add(id(w))
        n = int(np.prod(w.shape.as_list(), dtype=np.int64))
        count += n
        size += n * w.dtype.size
    return count, size


def print_summary(
    model, line_length=None, positions=None, print_fn=None, show_trainable=False
) -> None:
    """Prints ``model``'s summary table through ``print_fn`` (default ``print``)."""
    print_fn = print_fn or print
    sequential_like = _is_sequential_like(model)
    if sequential_like:
        line_length = line_length or 65
        positions = positions or [0.45, 0.85, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #"]
    else:
        line_length = line_length or 98
        positions = positions or [0.3, 0.6, 0.7, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    else:
        positions = list(positions)
    if show_trainable:
        line_length += 11
        positions.append(line_length)
        header.append("Trainable")
    relevant = getattr(model, "_graph_nodes", set())

    print_fn(f'Model: "{model.name}"')
    print_fn("_" * line_length)
    for line in _row_lines(header, positions):
        print_fn(line)
    print_fn("=" * line_length)
    layers = model.layers
    for layer in layers:
        fields = [
            f"{layer.name} ({type(layer).__name__})",
            _output_shape(layer),
            _params(layer),
        ]
        if not sequential_like:
            fields.append(_connections(layer, relevant))
        if show_trainable:
            fields.append("Y" if layer.trainable else "N")
        for line in _row_lines(fields, positions):
            print_fn(line)
        print_fn(" " * line_length)
    print_fn("=" * line_length)
    trainable, trainable_size = _count(model.trainable_weights)
    frozen, frozen_size = _count(model.non_trainable_weights)
    print_fn(f"Total params: {trainable + frozen} ({_readable_size(trainable_size + frozen_size)})")
    print_fn(f"Trainable params: {trainable} ({_readable_size(trainable_size)})")
    print_fn(f"Non-trainable params: {frozen} ({_readable_size(frozen_size)})")
    print_fn("_" * line_length)


def _params(layer):
    """The layer's parameter count; Keras writes "0 (unused)" for a sublayer that was
    never built (a subclassed model whose ``call`` does not use it)."""
    from tensorflux.keras.models.functional import Functional

    if layer.built or isinstance(layer, Functional):
        return layer.count_params()
    return "0 (unused)"
