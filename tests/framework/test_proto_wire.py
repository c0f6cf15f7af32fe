"""The hand-written protobuf wire format against encodings from the protobuf docs."""

import pytest

from tensorflux.framework.proto_wire import (
    Message,
    MessageWriter,
    ProtoDecodeError,
    decode_varint,
    encode_varint,
)


def test_documented_encodings():
    assert MessageWriter().varint(1, 150).bytes() == bytes.fromhex("089601")
    assert MessageWriter().raw(2, "testing").bytes() == bytes.fromhex("120774657374696e67")
    assert MessageWriter().sint(1, -2).bytes() == bytes.fromhex("0803")
    assert MessageWriter().packed_varints(4, [3, 270, 86942]).bytes() == bytes.fromhex(
        "2206038e029ea705"
    )


def test_negative_int64_takes_ten_bytes_and_reads_back():
    encoded = encode_varint(-1)
    assert len(encoded) == 10
    assert decode_varint(encoded, 0) == ((1 << 64) - 1, 10)
    message = Message(MessageWriter().varint(3, -7).bytes())
    assert message.int64(3) == -7


def test_round_trip_of_every_field_kind():
    inner = MessageWriter().varint(1, 5).raw(2, b"\x00\xff")
    data = (
        MessageWriter()
        .varint(1, 1)
        .varint(1, 2)
        .fixed32(2, 0xDEADBEEF)
        .fixed64(3, 2**63 + 5)
        .float32(4, 1.5)
        .float64(5, -2.25)
        .raw(6, inner)
        .raw(6, inner)
        .sint(7, -300)
        .raw(8, "é")
        .bytes()
    )
    message = Message(data)
    assert message.all(1) == [1, 2] and message.varint(1) == 2
    assert message.fixed32(2) == 0xDEADBEEF
    assert message.fixed64(3) == 2**63 + 5
    assert message.float32(4) == 1.5 and message.float64(5) == -2.25
    assert [m.varint(1) for m in message.messages(6)] == [5, 5]
    assert message.message(6).bytes(2) == b"\x00\xff"
    assert message.sint(7) == -300
    assert message.string(8) == "é"
    assert not message.has(9) and message.varint(9, 4) == 4 and message.message(9).fields == {}


def test_unpacked_repeated_varints_read_as_packed():
    data = MessageWriter().varint(4, 3).varint(4, 270).bytes()
    assert Message(data).packed_varints(4) == [3, 270]


@pytest.mark.parametrize(
    "data", [b"\x08", b"\x12\x05abc", b"\x0d\x00\x00", b"\x0b", b"\x00\x01", b"\x08" + b"\xff" * 11]
)
def test_malformed_bytes_raise(data):
    with pytest.raises(ProtoDecodeError):
        Message(data)
