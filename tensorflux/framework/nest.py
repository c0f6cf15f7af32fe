"""``tf.nest``: walking nested lists, tuples, namedtuples and dicts.

Dicts flatten in sorted-key order, as in TF, so a structure and its flat list
always line up the same way.
"""

from __future__ import annotations

import collections.abc

__all__ = [
    "is_nested",
    "flatten",
    "pack_sequence_as",
    "map_structure",
    "assert_same_structure",
    "flatten_with_joined_string_paths",
]


def _is_namedtuple(x) -> bool:
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def is_nested(structure) -> bool:
    """True for lists, tuples and mappings (the containers nest walks into)."""
    return isinstance(structure, (list, tuple, collections.abc.Mapping))


def _sorted_keys(mapping):
    try:
        return sorted(mapping)
    except TypeError:
        raise TypeError(
            f"nest only supports dicts with sortable keys, got keys {list(mapping)!r}"
        ) from None


def _children(structure):
    if isinstance(structure, collections.abc.Mapping):
        return [structure[k] for k in _sorted_keys(structure)]
    return list(structure)


def flatten(structure, expand_composites=False) -> list:
    """The leaves of ``structure`` in order, as a list (a leaf gives ``[leaf]``).

    >>> import tensorflux as tf
    >>> tf.nest.flatten({"b": 2, "a": (1, [3])})
    [1, 3, 2]
    """
    if not is_nested(structure):
        return [structure]
    out = []
    stack = [structure]
    while stack:
        item = stack.pop()
        if is_nested(item):
            stack.extend(reversed(_children(item)))
        else:
            out.append(item)
    return out


def _rebuild(template, children):
    if isinstance(template, collections.abc.Mapping):
        keys = _sorted_keys(template)
        values = dict(zip(keys, children))
        if isinstance(template, collections.defaultdict):
            result = collections.defaultdict(template.default_factory)
            for k in template:
                result[k] = values[k]
            return result
        return type(template)((k, values[k]) for k in template)
    if _is_namedtuple(template):
        return type(template)(*children)
    if isinstance(template, tuple):
        return tuple(children)
    return list(children) if type(template) is list else type(template)(children)


def pack_sequence_as(structure, flat_sequence, expand_composites=False):
    """Builds ``structure``'s shape again from a flat list of leaves.

    Raises:
        ValueError: if the number of leaves does not match.
    """
    flat_sequence = list(flat_sequence)
    n = len(flatten(structure))
    if n != len(flat_sequence):
        raise ValueError(
            f"Could not pack sequence. Structure had {n} atoms, but "
            f"flat_sequence had {len(flat_sequence)} items."
        )
    it = iter(flat_sequence)

    def build(s):
        if not is_nested(s):
            return next(it)
        return _rebuild(s, [build(c) for c in _children(s)])

    return build(structure)


def assert_same_structure(nest1, nest2, check_types=True, expand_composites=False) -> None:
    """Raises ValueError (or TypeError for differing container types) unless alike."""

    def check(a, b, path):
        if is_nested(a) != is_nested(b):
            raise ValueError(
                f"The two structures don't have the same nested structure: "
                f"{nest1!r} and {nest2!r} differ at {path or 'the top'}."
            )
        if not is_nested(a):
            return
        if (
            check_types
            and type(a) is not type(b)
            and not (
                isinstance(a, collections.abc.Mapping) and isinstance(b, collections.abc.Mapping)
            )
        ):
            raise TypeError(
                f"The two structures don't have the same sequence type. Input "
                f"structure has type {type(a)}, while shallow structure has type "
                f"{type(b)}."
            )
        if isinstance(a, collections.abc.Mapping) and set(a) != set(b):
            raise ValueError(
                f"The two dictionaries don't have the same set of keys: "
                f"{sorted(a)} and {sorted(b)}."
            )
        ca, cb = _children(a), _children(b)
        if len(ca) != len(cb):
            raise ValueError(
                f"The two structures don't have the same number of elements: "
                f"{nest1!r} and {nest2!r}."
            )
        for i, (x, y) in enumerate(zip(ca, cb)):
            check(x, y, f"{path}[{i}]")

    check(nest1, nest2, "")


def map_structure(func, *structure, **kwargs):
    """Applies ``func`` to corresponding leaves and rebuilds the first structure."""
    if not structure:
        raise ValueError("Must provide at least one structure")
    check_types = kwargs.pop("check_types", True)
    kwargs.pop("expand_composites", None)
    if kwargs:
        raise ValueError(
            f"Only valid keyword arguments are `check_types` and "
            f"`expand_composites`, not: {sorted(kwargs)}"
        )
    for other in structure[1:]:
        assert_same_structure(structure[0], other, check_types=check_types)
    flats = [flatten(s) for s in structure]
    return pack_sequence_as(structure[0], [func(*leaves) for leaves in zip(*flats)])


def flatten_with_joined_string_paths(structure, separator="/", expand_composites=False):
    """``(path, leaf)`` pairs, paths joined from keys and indices."""
    out = []

    def walk(s, path):
        if not is_nested(s):
            out.append((separator.join(str(p) for p in path), s))
            return
        keys = _sorted_keys(s) if isinstance(s, collections.abc.Mapping) else range(len(s))
        for k, child in zip(keys, _children(s)):
            walk(child, path + [k])

    walk(structure, [])
    return out


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.nest", __name__, name)
