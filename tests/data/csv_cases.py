"""CSV pipelines as functions of the ``tf`` module and a folder of files written by
``write_files``: the recording script runs them with TensorFlow, the tests with
tensorflux."""

import gzip
import os

SIMPLE = 'x,y,name\n1,2.5,"a,b"\n3,,c\n,4,"q""uote"\n7,8,end'


def write_files(folder):
    """Writes the CSV files the cases read into ``folder``."""
    files = {
        "a.csv": SIMPLE,
        "b.csv": "x,y,name\r\n10,1e3,zz\r\n",
        "p1.csv": "age,score,city,label\n"
        + "".join(f"{i},{i * 0.5},c{i % 3},{i % 2}\n" for i in range(12)),
        "p2.csv": "age,score,city,label\n"
        + "".join(f"{100 + i},{i * 1.5},d{i % 2},{(i + 1) % 2}\n" for i in range(9))
        + "7,,x,1\n",
        "semi.csv": "1;'a;b';x\n2;c;y\n",
    }
    for name, text in files.items():
        with open(os.path.join(folder, name), "w", encoding="utf-8", newline="") as f:
            f.write(text)
    with gzip.open(os.path.join(folder, "a.csv.gz"), "wt", encoding="utf-8", newline="") as f:
        f.write(SIMPLE)


def _csv(tf, folder, name, defaults, **kwargs):
    return tf.data.experimental.CsvDataset(os.path.join(folder, name), defaults, **kwargs)


def _make(tf, folder, **kwargs):
    return tf.data.experimental.make_csv_dataset(os.path.join(folder, "p*.csv"), **kwargs)


CASES = {
    "defaults": lambda tf, d: _csv(
        tf, d, "a.csv", [tf.constant(0), tf.constant(-1.0), ""], header=True
    ),
    "two_files": lambda tf, d: tf.data.experimental.CsvDataset(
        [os.path.join(d, "a.csv"), os.path.join(d, "b.csv")], [0, -1.0, ""], header=True
    ),
    "select_cols": lambda tf, d: _csv(tf, d, "a.csv", [0, ""], header=True, select_cols=[0, 2]),
    "exclude_cols": lambda tf, d: _csv(tf, d, "a.csv", [0, ""], header=True, exclude_cols=[1]),
    "na_value": lambda tf, d: _csv(tf, d, "a.csv", [0, -1.0, ""], header=True, na_value="3"),
    "all_strings": lambda tf, d: _csv(tf, d, "a.csv", ["", "", ""]),
    "int64_float64": lambda tf, d: _csv(
        tf, d, "a.csv", [tf.constant(0, tf.int64), tf.constant(0.0, tf.float64), ""], header=True
    ),
    "gzip": lambda tf, d: _csv(
        tf, d, "a.csv.gz", [0, -1.0, ""], header=True, compression_type="GZIP"
    ),
    "delimiter_no_quotes": lambda tf, d: _csv(
        tf, d, "semi.csv", [0, ""], field_delim=";", use_quote_delim=False, select_cols=[0, 2]
    ),
    "make_in_order": lambda tf, d: _make(
        tf, d, batch_size=4, label_name="label", num_epochs=1, shuffle=False
    ),
    "make_shuffled_select": lambda tf, d: _make(
        tf,
        d,
        batch_size=5,
        num_epochs=2,
        shuffle=True,
        shuffle_seed=3,
        shuffle_buffer_size=6,
        select_columns=["age", "city"],
    ),
    "make_defaults_given": lambda tf, d: _make(
        tf,
        d,
        batch_size=7,
        num_epochs=1,
        shuffle=False,
        column_defaults=[tf.int64, -1.0, "none", 0],
        label_name="score",
    ),
}

ERRORS = {
    "required_missing": lambda tf, d: _csv(
        tf, d, "a.csv", [tf.int32, tf.float32, tf.string], header=True
    ),
    "too_many_fields": lambda tf, d: _csv(tf, d, "a.csv", [0, -1.0], header=True),
    "quotes_off": lambda tf, d: _csv(
        tf, d, "a.csv", [0, -1.0, ""], header=True, use_quote_delim=False
    ),
    "not_an_int": lambda tf, d: _csv(tf, d, "a.csv", [0, 0, ""], header=True),
}
