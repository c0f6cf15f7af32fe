"""Records TensorFlow's messages, TFRecord files and record datasets into
``tests/fixtures/records.json``, and checks that TensorFlow reads what tensorflux writes.

Run with a Python where TensorFlow 2.21 is installed (the tests never import it)::

    python tests/io/record_records_fixtures.py

(a) The cases of ``tests/io/records_cases.py`` run with TensorFlow: message bytes and
text, API errors and queries, ClusterSpecs, TFRecordOptions, TFRecord files written by
``tf.io.TFRecordWriter``, and how ``TFRecordDataset`` / ``FixedLengthRecordDataset``
read intact and damaged files.

(b) tensorflux (a subprocess with the ``python3`` on PATH, which needs NumPy but not
TensorFlow) writes the same messages and files; TensorFlow parses and reads them, and
whether it got what it wrote itself goes to ``tf_read_ours``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.io import records_cases as cases  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "records.json"


def error_of(e: Exception) -> dict:
    """The exception's class name and its message without TF's op decorations."""
    message = str(e)
    message = re.sub(r"^\{\{function_node [^}]*\}\} ", "", message)
    message = re.sub(r"\s*\[Op:\w+\]( name: .*)?$", "", message)
    # protobuf's JSON errors space their words at random (to keep them from being
    # parsed); one space each.
    if message.startswith("Error while parsing JSON"):
        message = re.sub(r" {2,}", " ", message)
    return {"error": type(e).__name__, "message": message}


def outcome(fn, show=repr) -> dict:
    try:
        return {"value": show(fn())}
    except Exception as e:  # noqa: BLE001 -- recording what TF raises is the point
        return error_of(e)


def read_dataset(ds) -> dict:
    """The records a dataset yields (hex), and the error that stopped it, if any."""
    records = []
    try:
        for record in ds:
            records.append(record.numpy().hex())
    except Exception as e:  # noqa: BLE001
        return {"records": records, **error_of(e)}
    return {"records": records}


def record_messages(tf) -> dict:
    out = {}
    for name, message in cases.messages(tf).items():
        out[name] = {
            "bytes": message.SerializeToString().hex(),
            "deterministic": message.SerializeToString(deterministic=True).hex(),
            "text": str(message),
        }
    return out


def record_files(tf, tmp: Path) -> dict:
    out = {}
    for name, options, records, flush_after in cases.WRITES:
        path = tmp / f"{name}.tfrecord"
        cases.write_file(tf, str(path), options, records, flush_after)
        compression = options.get("compression_type", "")
        read = read_dataset(tf.data.TFRecordDataset(str(path), compression))
        out[name] = {"file": path.read_bytes().hex(), "read": read}
    return out


def record_damaged(tf, tmp: Path, files: dict) -> dict:
    out = {}
    damaged = cases.damaged(*(bytes.fromhex(files[n]["file"]) for n in ("plain", "gzip", "zlib")))
    for name, (data, compression) in damaged.items():
        path = tmp / f"damaged_{name}"
        path.write_bytes(data)
        out[name] = read_dataset(tf.data.TFRecordDataset(str(path), compression))
    out["missing_file"] = read_dataset(tf.data.TFRecordDataset(str(tmp / "missing")))
    return out


def record_fixed(tf, tmp: Path) -> dict:
    import gzip
    import zlib

    out = {}
    for name, (data, record_bytes, header, footer, compression) in cases.FIXED.items():
        path = tmp / f"fixed_{name}"
        packed = {"GZIP": gzip.compress, "ZLIB": zlib.compress}.get(compression, bytes)(data)
        path.write_bytes(packed)
        ds = tf.data.FixedLengthRecordDataset(
            str(path), record_bytes, header, footer, compression_type=compression
        )
        out[name] = read_dataset(ds)
    return out


def record_clusters(tf) -> dict:
    def describe(spec):
        cluster_def = spec.as_cluster_def()
        return {
            "repr": repr(spec),
            "as_dict": repr(spec.as_dict()),
            "cluster_def": cluster_def.SerializeToString().hex(),
            "text": str(cluster_def),
        }

    specs = {}
    for name, fn in cases.cluster_specs(tf).items():
        try:
            specs[name] = describe(fn())
        except Exception as e:  # noqa: BLE001
            specs[name] = error_of(e)
    queries = {name: outcome(fn) for name, fn in cases.cluster_queries(tf).items()}
    return {"specs": specs, "queries": queries}


OURS = """
import json, sys
import tensorflux as tf
from tests.io import records_cases as cases
out = {"messages": {}}
for name, message in cases.messages(tf).items():
    out["messages"][name] = message.SerializeToString().hex()
for name, options, records, flush_after in cases.WRITES:
    cases.write_file(tf, sys.argv[1] + "/ours_" + name, options, records, flush_after)
print(json.dumps(out))
"""


def record_tf_reads_ours(tf, tmp: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run(
        ["python3", "-c", OURS, str(tmp)], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit(result.stderr)
    ours = json.loads(result.stdout)
    reference = cases.messages(tf)
    parsed = {}
    for name, hex_bytes in ours["messages"].items():
        message = type(reference[name]).FromString(bytes.fromhex(hex_bytes))
        parsed[name] = message == reference[name]
    files = {}
    for name, options, records, _ in cases.WRITES:
        ds = tf.data.TFRecordDataset(str(tmp / f"ours_{name}"), options.get("compression_type"))
        files[name] = [r.numpy() for r in ds] == records
    return {"messages_equal": parsed, "files_read": files}


def main() -> None:
    import tensorflow as tf

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        files = record_files(tf, tmp)
        fixture = {
            "messages": record_messages(tf),
            "message_errors": {name: outcome(fn) for name, fn in cases.message_errors(tf).items()},
            "message_queries": {name: repr(v) for name, v in cases.message_queries(tf).items()},
            "clusters": record_clusters(tf),
            "record_options": {name: outcome(fn) for name, fn in cases.record_options(tf).items()},
            "proto_ops": {
                name: outcome(fn, cases.describe_tensors)
                for name, fn in cases.proto_ops(tf).items()
            },
            "json_examples": {
                name: outcome(
                    lambda text=text: tf.io.decode_json_example(text), cases.describe_tensors
                )
                for name, text in cases.JSON_EXAMPLES.items()
            },
            "files": files,
            "damaged": record_damaged(tf, tmp, files),
            "fixed": record_fixed(tf, tmp),
            "tf_read_ours": record_tf_reads_ours(tf, tmp),
        }
        text = json.dumps(fixture, indent=1, sort_keys=True).replace(str(tmp), "{dir}")
    OUT.write_text(text + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
