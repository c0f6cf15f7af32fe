"""DecodeCSV (``tf.io.decode_csv``): each record split into fields, each column
converted to its default's dtype, empty (or ``na_value``) fields taking the default.

Quoting follows TF's reader: with ``use_quote_delim`` a field that starts with ``"``
runs to the next lone ``"`` (``""`` is a quote inside it) and must end there. Numbers
are read as TF's ``safe_strto*`` read them (surrounding spaces allowed, int32 range
checked). Not differentiable (TF registers no gradient). While a function is traced
the records are example strings (``b""``): a value that fails is then the default.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import context, dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.ops.io_decode_ops import string_input

__all__ = ["decode_csv"]

_TYPES = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64, dtypes.string)
_TF_NAMES = {dtypes.float32: "float", dtypes.float64: "double"}
_INT_RANGE = {
    dtypes.int32: (-(1 << 31), (1 << 31) - 1),
    dtypes.int64: (-(1 << 63), (1 << 63) - 1),
}


def _error(message: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, "DecodeCSV", message)


def _split(record: bytes, delim: bytes, quoted: bool, index: int) -> list:
    fields, pos, n = [], 0, len(record)
    while True:
        if quoted and pos < n and record[pos : pos + 1] == b'"':
            field = bytearray()
            pos += 1
            while True:
                end = record.find(b'"', pos)
                if end < 0:
                    raise _error("Quoted field has to end with quote followed by delim or end")
                field += record[pos:end]
                if record[end + 1 : end + 2] == b'"':
                    field += b'"'
                    pos = end + 2
                    continue
                pos = end + 1
                break
            if pos < n and record[pos : pos + 1] != delim:
                raise _error("Quote inside a string has to be escaped by another quote")
            fields.append(bytes(field))
        else:
            end = record.find(delim, pos)
            end = n if end < 0 else end
            fields.append(record[pos:end])
            pos = end
        if pos >= n:
            return fields
        pos += 1  # past the delimiter
        if pos == n:
            fields.append(b"")
            return fields


def _convert(text: bytes, dtype: dtypes.DType, column: int, record: int):
    if dtype is dtypes.string:
        return text
    value = text.decode("utf-8", "replace")
    try:
        if "_" in value:  # Python reads 1_000; C's strto* does not
            raise ValueError(value)
        if dtype.is_integer:
            parsed = int(value.strip())
            low, high = _INT_RANGE[dtype]
            if not low <= parsed <= high:
                raise ValueError(value)
            return parsed
        return float(value)
    except ValueError:
        kind = _TF_NAMES.get(dtype, dtype.name)
        raise _error(f"Field {column} in record {record} is not a valid {kind}: {value}") from None


def _decode_csv_kernel(records, *record_defaults, OUT_TYPE, field_delim, use_quote_delim,
                       na_value, select_cols):  # fmt: skip
    data = np.asarray(records, dtype=object)
    tracing = context.state.graph is not None
    delim = field_delim.encode() if isinstance(field_delim, str) else bytes(field_delim)
    if len(delim) != 1:
        raise _error("field_delim should be only 1 char")
    na = na_value.encode() if isinstance(na_value, str) else bytes(na_value)
    columns = [np.empty(data.size, dtype=t.as_numpy_dtype) for t in OUT_TYPE]
    wanted = list(select_cols) if select_cols else list(range(len(OUT_TYPE)))
    for r, record in enumerate(data.reshape(-1)):
        try:
            fields = _split(bytes(record), delim, use_quote_delim, r)
            if not select_cols and len(fields) != len(OUT_TYPE):
                raise _error(f"Expect {len(OUT_TYPE)} fields but have {len(fields)} in record {r}")
            if select_cols and len(fields) <= wanted[-1]:
                raise _error(f"Expect {wanted[-1] + 1} fields but have {len(fields)} in record {r}")
            for c, (col, dtype) in enumerate(zip(wanted, OUT_TYPE)):
                columns[c][r] = _field(fields[col], dtype, record_defaults[c], na, c, r)
        except InvalidArgumentError:
            if not tracing:
                raise
            for c, dtype in enumerate(OUT_TYPE):
                default = np.asarray(record_defaults[c]).reshape(-1)
                columns[c][r] = (
                    default[0] if default.size else (b"" if dtype is dtypes.string else 0)
                )
    return tuple(col.reshape(data.shape) for col in columns)


def _field(text: bytes, dtype, default, na: bytes, column: int, record: int):
    if not text or text == na:
        default = np.asarray(default).reshape(-1)
        if default.size == 0:
            raise _error(f"Field {column} is required but missing in record {record}!")
        return default[0]
    return _convert(text, dtype, column, record)


def _decode_csv_infer(records: Spec, *record_defaults: Spec, OUT_TYPE, **attrs) -> tuple:
    return tuple(Spec(t, records.shape) for t in OUT_TYPE)


_DECODE_CSV = register(
    "DecodeCSV",
    kernel=_decode_csv_kernel,
    grad=None,
    infer=_decode_csv_infer,
    num_outputs=-1,
    allowed=frozenset({dtypes.string}),
)


def _default_tensor(value, index: int) -> Tensor:
    t = value if isinstance(value, Tensor) else convert_to_tensor(value)
    if t.dtype not in _TYPES:
        raise InvalidArgumentError(
            None,
            "DecodeCSV",
            f"Value for attr 'OUT_TYPE' of {t.dtype.name} is not in the list of allowed "
            f"values: float, double, int32, int64, string",
        )
    return t


def decode_csv(
    records,
    record_defaults,
    field_delim=",",
    use_quote_delim=True,
    name=None,
    na_value="",
    select_cols=None,
) -> list:
    """Columns of CSV ``records``: one tensor of ``records``' shape per default.

    Args:
        records: a string tensor, one CSV line per element.
        record_defaults: one per column: a 1-element value (``[0]``, ``[1.0]``,
            ``["x"]``) giving the column's dtype and default, or an empty tensor of the
            dtype for a required column.
        field_delim: the one-character separator.
        use_quote_delim: whether ``"`` quotes fields.
        na_value: a field text that counts as missing.
        select_cols: the (increasing) columns to read; one default each.

    >>> from tensorflux.ops.csv_ops import decode_csv
    >>> [c.numpy().tolist() for c in decode_csv(["1,a", "2,"], [[0], ["z"]])]
    [[1, 2], [b'a', b'z']]

    Raises:
        ValueError: select_cols not increasing, negative, or not one per default.
        InvalidArgumentError: a wrong number of fields, a missing required field or a
            value that is not a number of its column's dtype.
    """
    if select_cols is not None:
        cols = [int(c) for c in select_cols]
        if any(b <= a for a, b in zip(cols, cols[1:])):
            raise ValueError("select_cols is not strictly increasing.")
        if cols and cols[0] < 0:
            raise ValueError("select_cols contains negative values.")
        if len(cols) != len(record_defaults):
            raise ValueError("Length of select_cols and record_defaults do not match.")
        select_cols = cols
    defaults = [_default_tensor(v, i) for i, v in enumerate(record_defaults)]
    attrs = {
        "OUT_TYPE": [d.dtype for d in defaults],
        "field_delim": field_delim,
        "use_quote_delim": bool(use_quote_delim),
        "na_value": na_value,
        "select_cols": list(select_cols or []),
    }
    out = execute(_DECODE_CSV, [string_input(records, "DecodeCSV"), *defaults], attrs)
    return [out] if isinstance(out, Tensor) else list(out)
