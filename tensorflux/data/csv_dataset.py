"""``tf.data.experimental.CsvDataset``: the records of CSV files, each field converted
to its column's dtype, as TF's CsvDataset reads them (RFC 4180 quotes, ``na_value``,
defaults, header lines, selected columns, GZIP/ZLIB files)."""

from __future__ import annotations

import collections
import csv
import gzip
import io
import re
import zlib

import numpy as np

from tensorflux.data.dataset import Dataset
from tensorflux.data.iterator import ElementPull
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError, NotFoundError
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.framework.tensor_spec import TensorSpec

__all__ = ["CsvDataset", "parse_field"]

_OP = "CsvDataset"
_DTYPES = (dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64, dtypes.string)
_INTEGER = re.compile(rb"\s*[+-]?\d+\s*")
_FLOAT = re.compile(
    rb"\s*[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|inf|infinity|nan)\s*", re.I
)
_INT_RANGE = {dtypes.int32: (-(2**31), 2**31 - 1), dtypes.int64: (-(2**63), 2**63 - 1)}


def _error(message: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, _OP, message)


def parse_field(field: bytes, dtype, column: int):
    """One non-empty field as a value of ``dtype``.

    Raises:
        InvalidArgumentError: the text is not a number of that dtype.
    """
    if dtype == dtypes.string:
        return field
    if dtype in _INT_RANGE:
        low, high = _INT_RANGE[dtype]
        if _INTEGER.fullmatch(field) and low <= int(field) <= high:
            return int(field)
    elif _FLOAT.fullmatch(field):
        return float(field)
    raise _error(f"Field {column} in record is not a valid {dtype.name}: {field.decode('latin-1')}")


def _column_defaults(record_defaults) -> list:
    """``(dtype, default or None)`` per column: a DType, or an empty tensor, makes the
    column required."""
    columns = []
    for i, default in enumerate(record_defaults):
        if isinstance(default, dtypes.DType) or (
            isinstance(default, type) and default in (int, float, str)
        ):
            dtype = dtypes.as_dtype(default)
            columns.append((dtype, None))
            continue
        tensor = default if isinstance(default, Tensor) else convert_to_tensor(default)
        if tensor.dtype not in _DTYPES:
            raise TypeError(
                f"Unsupported dtype {tensor.dtype!r} for record_defaults[{i}]: CsvDataset reads "
                "int32, int64, float32, float64 and string columns."
            )
        value = np.asarray(tensor._value)
        if value.size == 0:
            columns.append((tensor.dtype, None))
        elif value.ndim > 1 or value.size != 1:
            raise ValueError(
                f"record_defaults[{i}] must be a scalar or an empty 1-D tensor, got shape "
                f"{list(value.shape)}."
            )
        else:
            columns.append((tensor.dtype, value.reshape(())[()]))
    return columns


def _open(filename: str, compression: str) -> io.TextIOBase:
    try:
        with open(filename, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise NotFoundError(None, _OP, f"{filename}; No such file or directory") from None
    if compression == "GZIP":
        data = gzip.decompress(data)
    elif compression == "ZLIB":
        data = zlib.decompress(data)
    # Latin-1 maps bytes to characters one to one, so fields come back byte-exact.
    return io.StringIO(data.decode("latin-1"), newline="")


class _CsvPull(ElementPull):
    def __init__(self, dataset):
        self._ds = dataset
        self._files = iter(dataset._filenames)
        self._rows = None
        self._record = 0

    def _next_row(self):
        while True:
            if self._rows is None:
                filename = next(self._files)
                self._rows = csv.reader(_open(filename, self._ds._compression), **self._ds._dialect)
                self._record = 0
                if self._ds._header:
                    next(self._rows, None)
            try:
                return next(self._rows)
            except StopIteration:
                self._rows = None
            except csv.Error as e:
                raise _error(f"Invalid CSV record {self._record}: {e}") from None

    def next(self):
        ds = self._ds
        row = [field.encode("latin-1") for field in self._next_row()] or [b""]
        self._record += 1
        needed = ds._last_column + 1
        if len(row) < needed:
            raise _error(f"Expect {needed} fields but have {len(row)} in record")
        if len(row) > needed and ds._select_cols is None:
            raise _error(f"Expect {needed} fields but have more in record")
        out = []
        for (dtype, default), column in zip(ds._columns, ds._column_indices):
            field = row[column]
            if field == b"" or field == ds._na_value:
                if default is None:
                    raise _error(f"Field {column} is required but missing in record!")
                value = default
            else:
                value = parse_field(field, dtype, column)
            out.append(
                np.asarray(value, dtype=object if dtype == dtypes.string else dtype.as_numpy_dtype)
            )
        return tuple(out)


class CsvDataset(Dataset):
    """The records of CSV files as tuples of scalars, one per (selected) column.

    Args:
        filenames: a file name or list of them (strings or a string tensor).
        record_defaults: per column, a default value (its dtype sets the column's) or a
            dtype / empty tensor for a required column.
        compression_type: "", "ZLIB" or "GZIP".
        buffer_size: accepted for TF compatibility.
        header: skip the first line of each file.
        field_delim: the one-character field separator.
        use_quote_delim: treat double quotes as RFC 4180 quoting.
        na_value: a field text that counts as missing.
        select_cols: the column indices to read, increasing (one default each).
        exclude_cols: the column indices to skip (with ``select_cols`` unset).

    >>> import os, tempfile, tensorflux as tf
    >>> path = os.path.join(tempfile.mkdtemp(), "data.csv")
    >>> _ = open(path, "w").write("a,b\\n1,x\\n,y\\n")
    >>> ds = tf.data.experimental.CsvDataset(path, [tf.constant(-1), ""], header=True)
    >>> [(int(a), b.numpy()) for a, b in ds]
    [(1, b'x'), (-1, b'y')]
    """

    _tf_name = "CsvDatasetV2"

    def __init__(
        self,
        filenames,
        record_defaults,
        compression_type=None,
        buffer_size=None,
        header=False,
        field_delim=",",
        use_quote_delim=True,
        na_value="",
        select_cols=None,
        exclude_cols=None,
    ):
        names = np.asarray(
            filenames._value if isinstance(filenames, Tensor) else filenames, dtype=object
        )
        self._filenames = [
            n.decode() if isinstance(n, bytes) else str(n) for n in names.reshape(-1)
        ]
        self._columns = _column_defaults(record_defaults)
        if select_cols is not None and exclude_cols is not None:
            raise ValueError("Either select_cols or exclude_cols should be empty")
        if select_cols is not None:
            indices = [int(c) for c in select_cols]
            if sorted(set(indices)) != indices or (indices and indices[0] < 0):
                raise _error("select_cols should be non-negative and sorted in increasing order")
        elif exclude_cols is not None:
            excluded = {int(c) for c in exclude_cols}
            indices, c = [], 0
            while len(indices) < len(self._columns):
                if c not in excluded:
                    indices.append(c)
                c += 1
        else:
            indices = list(range(len(self._columns)))
        if len(indices) != len(self._columns):
            raise _error(
                f"Expected len(select_cols) == len(record_defaults), got {len(indices)} and "
                f"{len(self._columns)}"
            )
        self._select_cols = select_cols if select_cols is not None else exclude_cols
        self._column_indices = indices
        self._last_column = max(indices) if indices else -1
        if len(field_delim) != 1:
            raise _error(f"field_delim should be only 1 char, got {field_delim!r}")
        self._dialect = {
            "delimiter": field_delim,
            "quotechar": '"',
            "doublequote": True,
            "quoting": csv.QUOTE_MINIMAL if use_quote_delim else csv.QUOTE_NONE,
            "strict": False,
        }
        self._na_value = na_value.encode() if isinstance(na_value, str) else bytes(na_value)
        self._header = bool(header)
        compression = (compression_type or "").upper()
        if compression not in ("", "ZLIB", "GZIP"):
            raise _error(f"Unsupported compression_type: {compression_type}.")
        self._compression = compression
        super().__init__(tuple(TensorSpec((), dtype) for dtype, _ in self._columns))

    def _pull(self):
        return _CsvPull(self)

    def _cardinality(self):
        from tensorflux.data.dataset import UNKNOWN

        return UNKNOWN


def _valid_int(text: str, bits: int) -> bool:
    try:
        value = int(text)
    except ValueError:
        return False
    return -(2 ** (bits - 1)) <= value < 2 ** (bits - 1)


def _valid_float(text: str, np_type) -> bool:
    try:
        with np.errstate(over="ignore"):
            return bool(np_type(float(text)) < np.inf)
    except ValueError:
        return False


_INFERENCE = (
    (dtypes.int32, lambda s: _valid_int(s, 32)),
    (dtypes.int64, lambda s: _valid_int(s, 64)),
    (dtypes.float32, lambda s: _valid_float(s, np.float32)),
    (dtypes.float64, lambda s: _valid_float(s, np.float64)),
    (dtypes.string, lambda s: True),
)


def _inferred_type(text: str, na_value: str, previous):
    """The least permissive dtype that holds ``text`` and every earlier value."""
    if text in ("", na_value):
        return previous
    kinds = [kind for kind, _ in _INFERENCE]
    for i, (kind, accepts) in enumerate(_INFERENCE):
        if accepts(text) and (previous is None or previous in kinds[: i + 1]):
            return kind
    return dtypes.string


def _csv_rows(filenames, dialect: dict, header: bool, compression: str):
    for name in filenames:
        rows = csv.reader(_open(name, compression), **dialect)
        if header:
            next(rows, None)
        yield from rows


def _column_names(filenames, dialect: dict, compression: str) -> list:
    names = None
    for filename in filenames:
        try:
            first = next(csv.reader(_open(filename, compression), **dialect))
        except StopIteration:
            raise ValueError(
                f"Failed when reading the header line of {filename}. Is it an empty file?"
            ) from None
        if names is not None and first != names:
            raise ValueError(
                "All input CSV files should have the same column names in the header row. "
                f"File {filename} has different column names."
            )
        names = first
    return names


def _selected_indices(select_columns, column_names) -> list:
    positions = {n: i for i, n in enumerate(column_names)}
    indices = []
    for v in select_columns:
        if isinstance(v, int):
            if not 0 <= v < len(column_names):
                raise ValueError(
                    f"Column index {v} specified in `select_columns` should be > 0  and <= "
                    f"{len(column_names)}, which is the number of columns."
                )
            indices.append(v)
        elif v not in positions:
            raise ValueError(
                f"Column {v} specified in `select_columns` must be of one of the columns: "
                f"{positions.keys()}."
            )
        else:
            indices.append(positions[v])
    if len(set(indices)) != len(indices):
        duplicates = {i for i in indices if indices.count(i) > 1}
        raise ValueError(f"The `select_columns` argument contains duplicate columns: {duplicates}.")
    return sorted(indices)


def make_csv_dataset(
    file_pattern,
    batch_size,
    column_names=None,
    column_defaults=None,
    label_name=None,
    select_columns=None,
    field_delim=",",
    use_quote_delim=True,
    na_value="",
    header=True,
    num_epochs=None,
    shuffle=True,
    shuffle_buffer_size=10000,
    shuffle_seed=None,
    prefetch_buffer_size=None,
    num_parallel_reads=None,
    sloppy=False,
    num_rows_for_inference=100,
    compression_type=None,
    ignore_errors=False,
    encoding="utf-8",
):
    """Batches of CSV records as dicts of column tensors (with ``label_name``,
    ``(features, label)`` pairs), the column names read from the header and the
    dtypes inferred from the first ``num_rows_for_inference`` records, as TF infers
    them (int32, int64, float32, float64, then string).

    Files are read in sorted order (shuffled with ``shuffle_seed`` when ``shuffle``),
    records shuffled with a ``shuffle_buffer_size`` buffer and repeated
    ``num_epochs`` times (forever for None, dropping the last partial batch).

    Raises:
        ValueError: no file matches, duplicate or unknown column names, a label that is
            not a column, or inconsistent lengths of the column arguments.
    """
    import glob as glob_module

    from tensorflux.data.sources import TensorSliceDataset

    patterns = file_pattern if isinstance(file_pattern, list) else [file_pattern]
    if isinstance(file_pattern, list) and not file_pattern:
        raise ValueError("Argument `file_pattern` should not be empty.")
    filenames = sorted(name for pattern in patterns for name in glob_module.glob(str(pattern)))
    if not filenames:
        raise ValueError(f"No files match `file_pattern` {file_pattern}.")
    compression = (compression_type or "").upper()
    dialect = {
        "delimiter": field_delim,
        "quoting": csv.QUOTE_MINIMAL if use_quote_delim else csv.QUOTE_NONE,
    }
    if column_names is None:
        if not header:
            raise ValueError("Expected `column_names` or `header` arguments. Neither is provided.")
        column_names = _column_names(filenames, dialect, compression)
    column_names = list(column_names)
    if len(set(column_names)) != len(column_names):
        duplicates = {n for n in column_names if column_names.count(n) > 1}
        raise ValueError(
            "Either `column_names` argument or CSV header row contains duplicate column "
            f"names: {duplicates}."
        )
    if select_columns is not None:
        select_columns = _selected_indices(select_columns, column_names)
    if column_defaults is None:
        wanted = select_columns if select_columns is not None else range(len(column_names))
        kinds = [None] * len(wanted)
        for i, row in enumerate(_csv_rows(filenames, dialect, header, compression)):
            if num_rows_for_inference is not None and i >= num_rows_for_inference:
                break
            if len(row) != len(column_names):
                raise ValueError(
                    f"Problem inferring types: CSV row {i + 1 + int(header)} has {len(row)} "
                    f"number of fields. Expected: {len(column_names)}."
                )
            kinds = [_inferred_type(row[c], na_value, k) for c, k in zip(wanted, kinds)]
        column_defaults = [
            convert_to_tensor(
                [""] if (k or dtypes.string) == dtypes.string else [0], k or dtypes.string
            )
            for k in kinds
        ]
    if select_columns is not None and len(column_defaults) != len(select_columns):
        raise ValueError(
            "If specified, `column_defaults` and `select_columns` must have the same length: "
            f"`column_defaults` has length {len(column_defaults)}, `select_columns` has "
            f"length {len(select_columns)}."
        )
    if select_columns is not None and len(column_names) > len(select_columns):
        column_names = [column_names[i] for i in select_columns]
    if label_name is not None and label_name not in column_names:
        raise ValueError(
            f"`label_name` provided must be one of the columns: {column_names}. Received: "
            f"{label_name}."
        )

    def read_file(filename):
        records = CsvDataset(
            filename.numpy(),
            column_defaults,
            compression_type=compression_type,
            header=header,
            field_delim=field_delim,
            use_quote_delim=use_quote_delim,
            na_value=na_value,
            select_cols=select_columns,
        )
        return records.ignore_errors() if ignore_errors else records

    files = TensorSliceDataset(np.asarray(filenames, dtype=object))
    if shuffle:
        files = files.shuffle(len(filenames), shuffle_seed)
    dataset = files.interleave(read_file, cycle_length=num_parallel_reads or 1, block_length=1)
    if shuffle:
        dataset = dataset.shuffle(shuffle_buffer_size, shuffle_seed)
    if num_epochs != 1:
        dataset = dataset.repeat(num_epochs)
    dataset = dataset.batch(batch_size, drop_remainder=num_epochs is None)

    def to_features(*columns):
        features = collections.OrderedDict(zip(column_names, columns))
        if label_name is not None:
            label = features.pop(label_name)
            return features, label
        return features

    return dataset.map(to_features)
