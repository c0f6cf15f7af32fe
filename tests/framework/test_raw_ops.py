"""``tf.raw_ops``: every op it offers, called with TF's keywords built from the op's
inference-table rows, gives what the op gives when run directly."""

import importlib
import pkgutil

import numpy as np
import pytest

import tensorflux as tf
import tensorflux.ops
from tensorflux import raw_ops
from tensorflux.engine.registry import execute, registered_ops
from tensorflux.testing import op_samples

for _module in pkgutil.iter_modules(tensorflux.ops.__path__):
    importlib.import_module(f"tensorflux.ops.{_module.name}")
importlib.import_module("tensorflux.summary.summary_ops")

OFFERED = sorted(raw_ops._definitions())


def _tf_keywords(name, sample):
    """TF's keyword arguments for one table row (tensorflux inputs and attrs), or None
    when the row uses a setting TF's op cannot express."""
    definition = raw_ops._definitions()[name]
    adapter = raw_ops._ADAPTERS.get(name, raw_ops._PLAIN)
    rank = np.ndim(sample.inputs[0])
    for attr, value in adapter.fixed.items():
        if sample.attrs.get(attr) not in (value, rank + value if attr == "axis" else value):
            return None
    as_inputs = {attr: arg for arg, (attr, _) in adapter.inputs_as_attrs.items()}
    renamed = {ours: theirs for theirs, ours in adapter.renamed.items()}
    flat = list(sample.inputs)
    fixed_count = sum(1 for arg, kind, _ in definition["inputs"] if kind is None)
    fixed_count -= len(adapter.inputs_as_attrs)
    listed = len(flat) - fixed_count
    keywords = {}
    for arg, kind, _ in definition["inputs"]:
        if arg in adapter.inputs_as_attrs:
            value = sample.attrs[adapter.inputs_as_attrs[arg][0]]
            if value is None:
                return None
            keywords[arg] = np.asarray(value)
        elif kind is None:
            keywords[arg] = flat.pop(0)
        else:
            count = sample.attrs.get(kind.split(":", 1)[1], listed)
            keywords[arg], flat = flat[:count], flat[count:]
    inferred = {entry[2] for entry in definition["inputs"] if entry[2]}
    for attr, value in sample.attrs.items():
        if attr in as_inputs or attr in adapter.fixed or attr in adapter.dtype_of:
            continue
        attr = renamed.get(attr, attr)
        if attr in adapter.dtype_names:
            value = tf.as_dtype(value)
        if attr not in inferred and attr not in adapter.dropped:
            keywords[attr] = value
    return keywords


def _flat(result):
    items = result if isinstance(result, (tuple, list)) else [result]
    out = []
    for item in items:
        out.extend(item if isinstance(item, list) else [item])
    return out


def _same(got, want):
    if got is None or want is None:
        return got is None and want is None
    got, want = np.asarray(got.numpy()), np.asarray(want.numpy())
    return got.dtype == want.dtype and np.array_equal(got, want, equal_nan=want.dtype.kind in "fc")


@pytest.mark.parametrize("name", OFFERED)
def test_raw_op_matches_the_op(name):
    compared = 0
    for sample in op_samples.samples(name)[:3]:
        keywords = _tf_keywords(name, sample)
        if keywords is None:
            continue
        want = execute(registered_ops()[name], sample.inputs, sample.attrs)
        got = getattr(tf.raw_ops, name)(**keywords)
        assert len(_flat(got)) == len(_flat(want))
        assert all(_same(g, w) for g, w in zip(_flat(got), _flat(want))), name
        compared += 1
    assert compared, f"no table row of {name} can be expressed with TF's keywords"


def test_offered_ops_exclude_the_ones_with_their_own_interface():
    assert "Sum" in OFFERED and "MatMul" in OFFERED and "Conv2D" in OFFERED
    assert not set(OFFERED) & raw_ops._OWN_ATTRIBUTES
    assert set(raw_ops._ADAPTERS) <= set(OFFERED)


def test_outputs_have_tf_structures():
    unique = tf.raw_ops.Unique(x=[3, 3, 1])
    assert type(unique).__name__ == "Unique" and unique.y.numpy().tolist() == [3, 1]
    pieces = tf.raw_ops.Split(split_dim=0, value=[1, 2, 3, 4], num_split=2)
    assert isinstance(pieces, list) and [p.numpy().tolist() for p in pieces] == [[1, 2], [3, 4]]
    total = tf.raw_ops.Sum(input=[[1, 2], [3, 4]], reduction_indices=1, keep_dims=True)
    assert total.numpy().tolist() == [[3], [7]]


def test_keyword_errors_are_tfs():
    with pytest.raises(TypeError, match="add_v2 only takes keyword args"):
        tf.raw_ops.AddV2(1, 2)
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'y'"):
        tf.raw_ops.AddV2(x=1)
    with pytest.raises(TypeError, match="unexpected keyword argument 'z'"):
        tf.raw_ops.AddV2(x=1, y=2, z=3)
    with pytest.raises(ValueError, match="grad_a"):
        tf.raw_ops.MatMul(a=[[1.0]], b=[[1.0]], grad_a=True)
    with pytest.raises(AttributeError, match="tf.raw_ops.NoSuchOp"):
        tf.raw_ops.NoSuchOp  # noqa: B018
