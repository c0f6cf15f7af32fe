"""A reader of TensorBoard event files for the tests, written apart from the writer:
it checks each record's two CRCs and decodes the events into plain dicts."""

from __future__ import annotations

import glob
import os
import struct

from tensorflux.framework import crc32c
from tensorflux.framework.graph_protos import decode_tensor
from tensorflux.framework.proto_wire import Message


def records(path: str) -> list[bytes]:
    """The data of every record of the TFRecord file ``path``; fails on a bad CRC."""
    with open(path, "rb") as f:
        data = f.read()
    out, pos = [], 0
    while pos < len(data):
        header = data[pos : pos + 8]
        (length,) = struct.unpack("<Q", header)
        (header_crc,) = struct.unpack("<I", data[pos + 8 : pos + 12])
        assert crc32c.unmask(header_crc) == crc32c.value(header), "length CRC"
        body = data[pos + 12 : pos + 12 + length]
        (body_crc,) = struct.unpack("<I", data[pos + 12 + length : pos + 16 + length])
        assert crc32c.unmask(body_crc) == crc32c.value(body), "data CRC"
        out.append(body)
        pos += 16 + length
    return out


def decode_event(data: bytes) -> dict:
    """An Event as a dict: wall_time, step, and file_version or the summary values
    (tag, plugin, content, description, tensor as a NumPy array)."""
    event = Message(data)
    out = {"wall_time": event.float64(1), "step": event.int64(2)}
    if event.has(3):
        out["file_version"] = event.string(3)
        out["source_writer"] = event.message(10).string(1)
    if event.has(4):
        out["graph_def"] = event.bytes(4)
    values = []
    for value in event.message(5).messages(1):
        plugin = value.message(9).message(1)
        values.append(
            {
                "tag": value.string(1),
                "plugin": plugin.string(1),
                "content": plugin.bytes(2),
                "description": value.message(9).string(3),
                "tensor": decode_tensor(value.message(8)),
                "dtype": value.message(8).varint(1),
            }
        )
    out["values"] = values
    return out


def event_files(folder: str) -> list[str]:
    return sorted(glob.glob(os.path.join(folder, "events.out.tfevents.*")))


def read_events(folder: str) -> list[dict]:
    """Every event of every event file in ``folder``, file by file."""
    return [decode_event(r) for path in event_files(folder) for r in records(path)]


def tags(folder: str) -> dict:
    """tag -> {"plugin", "steps", "dtype", "shape"} over the folder's events, as the
    recording script summarises TF's runs."""
    out = {}
    for event in read_events(folder):
        for value in event["values"]:
            entry = out.setdefault(
                value["tag"],
                {
                    "plugin": value["plugin"],
                    "steps": [],
                    "dtype": value["dtype"],
                    "shape": list(value["tensor"].shape),
                },
            )
            entry["steps"].append(event["step"])
    return out
