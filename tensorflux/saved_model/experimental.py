"""``tf.saved_model.experimental``: SavedModel fingerprints (``fingerprint.pb``, read
as TF reads it) and ``VariablePolicy``."""

from __future__ import annotations

import enum
import os

from tensorflux.framework.proto_wire import ProtoDecodeError, iter_fields
from tensorflux.saved_model.constants import FINGERPRINT_FILENAME

__all__ = ["Fingerprint", "VariablePolicy", "read_fingerprint"]

_HASHES = (
    "saved_model_checksum",
    "graph_def_program_hash",
    "signature_def_hash",
    "saved_object_graph_hash",
    "checkpoint_hash",
)


class VariablePolicy(enum.Enum):
    """How ``tf.saved_model.save`` treats variables' devices and distributed variables
    (``SaveOptions(experimental_variable_policy=...)``)."""

    NONE = None
    SAVE_VARIABLE_DEVICES = "save_variable_devices"
    EXPAND_DISTRIBUTED_VARIABLES = "expand_distributed_variables"

    @staticmethod
    def from_obj(obj) -> VariablePolicy:
        """The policy named by ``obj`` (None, a policy, or its value in any case).

        Raises:
            ValueError: ``obj`` names no policy.
        """
        if obj is None:
            return VariablePolicy.NONE
        if isinstance(obj, VariablePolicy):
            return obj
        key = str(obj).lower()
        for policy in VariablePolicy:
            if policy.value == key:
                return policy
        raise ValueError(f"Received invalid VariablePolicy value: {obj}.")


class _VersionDef:
    """The ``version`` of a fingerprint: a VersionDef (printed as TF prints it)."""

    def __init__(self, producer=0, min_consumer=0, bad_consumers=()):
        self.producer = producer
        self.min_consumer = min_consumer
        self.bad_consumers = list(bad_consumers)

    def __eq__(self, other):
        return isinstance(other, _VersionDef) and vars(self) == vars(other)

    def __str__(self):
        lines = [f"producer: {self.producer}"] if self.producer else []
        if self.min_consumer:
            lines.append(f"min_consumer: {self.min_consumer}")
        lines += [f"bad_consumers: {b}" for b in self.bad_consumers]
        return "".join(line + "\n" for line in lines)

    __repr__ = __str__

    @classmethod
    def decode(cls, data: bytes) -> _VersionDef:
        version = cls()
        for field, _, value in iter_fields(data):
            if field == 1:
                version.producer = value
            elif field == 2:
                version.min_consumer = value
            elif field == 3:
                version.bad_consumers.append(value)
        return version


class Fingerprint:
    """The hashes identifying a SavedModel (``tf.saved_model.experimental.Fingerprint``):
    of the whole ``saved_model.pb``, its program graph, signatures, object graph and
    checkpoint.

    >>> import tensorflux as tf
    >>> tf.saved_model.experimental.Fingerprint(1, 2, 3, 4, 5).singleprint()
    '2/3/4/5'
    """

    def __init__(
        self,
        saved_model_checksum=None,
        graph_def_program_hash=None,
        signature_def_hash=None,
        saved_object_graph_hash=None,
        checkpoint_hash=None,
        version=None,
    ):
        self.saved_model_checksum = saved_model_checksum
        self.graph_def_program_hash = graph_def_program_hash
        self.signature_def_hash = signature_def_hash
        self.saved_object_graph_hash = saved_object_graph_hash
        self.checkpoint_hash = checkpoint_hash
        self.version = version

    @classmethod
    def from_proto(cls, proto) -> Fingerprint:
        """A Fingerprint from a FingerprintDef: its serialized bytes, or an object with
        its fields as attributes.

        Raises:
            ValueError: bytes that are not a FingerprintDef.
        """
        if not isinstance(proto, (bytes, bytearray)):
            return cls(*(getattr(proto, name) for name in _HASHES), proto.version)
        values: dict = {}
        version = None
        try:
            for field, _, value in iter_fields(proto):
                if 1 <= field <= 5:
                    values[_HASHES[field - 1]] = value
                elif field == 6:
                    version = _VersionDef.decode(value)
        except ProtoDecodeError as e:
            raise ValueError(f"Given proto could not be deserialized as fingerprint: {e}") from None
        return cls(**values, version=version)

    def singleprint(self) -> str:
        """The four program hashes joined by "/" (TF's single fingerprint string).

        Raises:
            ValueError: a hash that is missing or not an int.
        """
        parts = (
            self.graph_def_program_hash,
            self.signature_def_hash,
            self.saved_object_graph_hash,
            self.checkpoint_hash,
        )
        if not all(isinstance(p, int) for p in parts):
            shown = "".join(f"{n}: {getattr(self, n)}" for n in _HASHES[1:])
            raise ValueError(
                f"Encounted invalid fingerprint values when constructing singleprint.{shown}"
            )
        return "/".join(str(p) for p in parts)

    def __eq__(self, other):
        if not isinstance(other, Fingerprint):
            return False
        return all(getattr(self, n) == getattr(other, n) for n in _HASHES)

    __hash__ = None

    def __str__(self):
        fields = "".join(f"\n  {n}: {getattr(self, n)}" for n in _HASHES)
        return f"SavedModel Fingerprint{fields}"

    def __repr__(self):
        return f"Fingerprint({', '.join(str(getattr(self, n)) for n in _HASHES)})"


def read_fingerprint(export_dir) -> Fingerprint:
    """The fingerprint of the SavedModel in ``export_dir`` (its ``fingerprint.pb``).

    Raises:
        FileNotFoundError: the directory has no fingerprint.
        RuntimeError: a fingerprint file that cannot be read.
    """
    export_dir = os.fspath(export_dir)
    path = os.path.join(export_dir, FINGERPRINT_FILENAME)
    if not os.path.isfile(path):
        raise FileNotFoundError(
            f"SavedModel Fingerprint Error: Could not find fingerprint in directory: "
            f"{export_dir}\nNOT_FOUND: {path} not found"
        )
    with open(path, "rb") as f:
        data = f.read()
    try:
        return Fingerprint.from_proto(data)
    except ValueError as e:
        raise RuntimeError(
            "SavedModel Fingerprint Error: Could not read fingerprint from fingerprint.pb "
            f"file in directory: {export_dir}\n{e}"
        ) from None
