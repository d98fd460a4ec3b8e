#!/usr/bin/python3
"""Cross-checks EventLab's golden magic-0 and magic-1 message sets against kafka-python.

The goldens are hex strings in Tests/EventLabWireTests/Legacy/LegacyGoldens.swift; the Swift
tests decode them and encode the same records back. This script builds each case again with
Debian's python3-kafka (LegacyRecordBatchBuilder), compares it byte for byte with the Swift
file, and reads it back with kafka-python's reader (MemoryRecords), so EventLab and
kafka-python agree on both directions. Run with Debian's Python:

    /usr/bin/python3 Tests/Interop/legacy_message_golden.py          # check the goldens
    /usr/bin/python3 Tests/Interop/legacy_message_golden.py --swift  # print them as Swift

Gzip output carries the time it was made (the gzip header's mtime): the builds run with
time.time() held at 0, so they are the same on every run.
"""
import binascii
import pathlib
import re
import struct
import sys
from unittest import mock

from kafka.codec import gzip_encode
from kafka.record.legacy_records import LegacyRecordBatchBuilder
from kafka.record.memory_records import MemoryRecords

GOLDENS = (pathlib.Path(__file__).resolve().parent.parent
           / "EventLabWireTests" / "Legacy" / "LegacyGoldens.swift")

GZIP = LegacyRecordBatchBuilder.CODEC_GZIP
ORDER = b'{"type":"OrderPlaced","total":42}'

# Each case: Swift name -> (magic, codec, records as (offset, timestamp, key, value),
# a patch of the first message as (offset, timestamp) with LogAppendTime set, or None).
CASES = {
    "magic0Keyed": (0, 0, [(0, None, b"k1", b"v1"), (1, None, b"k2", b"hello")], None),
    "magic0NoKeyAndTombstone": (0, 0, [(7, None, None, b"no key"), (8, None, b"o-1", None)], None),
    "magic1Keyed": (1, 0, [
        (100, 1704067200000, b"o-1", ORDER),
        (101, 1704067200005, None, b"no key"),
        (102, 1704067199000, b"o-1", None),
    ], None),
    "magic1LogAppendTime": (1, 0, [(5, 1704067300000, b"k", b"v")], (5, 1704067300000)),
    "magic0Gzip": (0, GZIP, [(0, None, b"k1", b"v1"), (1, None, None, b"v2"), (2, None, b"k3", None)], None),
    "magic1Gzip": (1, GZIP, [
        (0, 1704067200000, b"o-1", ORDER),
        (1, 1704067200005, None, b"no key"),
        (2, 1704067199000, b"o-1", None),
    ], None),
    # A broker's wrapper: the last inner offset in the wrapper, stamped with LogAppendTime.
    "magic1GzipLogAppendTime": (1, GZIP, [
        (0, 1704067200000, b"a", b"1"),
        (1, 1704067200005, b"b", b"2"),
    ], (41, 1704067999000)),
}


def build(magic, codec, records, patch):
    builder = LegacyRecordBatchBuilder(magic=magic, compression_type=codec, batch_size=1 << 20)
    for offset, timestamp, key, value in records:
        builder.append(offset, timestamp=timestamp, key=key, value=value)
    with mock.patch("time.time", return_value=0):
        data = bytearray(builder.build())
    if patch:
        # kafka-python's builder writes CreateTime only; a broker stamps the first message.
        offset, timestamp = patch
        struct.pack_into(">q", data, 0, offset)
        struct.pack_into(">q", data, 18, timestamp)
        return restamp(data, LegacyRecordBatchBuilder.TIMESTAMP_TYPE_MASK)
    return bytes(data)


def restamp(data, attributes):
    """The first message with `attributes` set and its CRC-32 made right again."""
    data = bytearray(data)
    data[17] |= attributes
    size, = struct.unpack_from(">i", data, 8)
    struct.pack_into(">I", data, 12, binascii.crc32(data[16:12 + size]) & 0xFFFFFFFF)
    return bytes(data)


def wrap(magic, inner):
    """`inner` gzipped into a wrapper message of `magic`, whatever it holds."""
    with mock.patch("time.time", return_value=0):
        compressed = gzip_encode(inner)
    return restamp(build(magic, 0, [(0, 0, None, compressed)], None), GZIP)


# Wrappers kafka-python's builder would never write, which a reader must refuse.
BAD_WRAPPERS = {
    "magic1WrapperOfMagic0": lambda: wrap(1, build(0, 0, [(0, None, b"k", b"v")], None)),
    "magic0WrapperOfGzip": lambda: wrap(0, build(0, GZIP, [(0, None, b"k", b"v")], None)),
    "magic1WrapperOfNothing": lambda: wrap(1, b""),
    "magic0WrapperOfCutOff": lambda: wrap(0, build(0, 0, [(0, None, b"k", b"v")], None)[:-1]),
}


def expected(magic, codec, records, patch):
    """The records a reader must see: offsets, timestamps and timestamp types as Kafka gives them."""
    result = []
    for index, (offset, timestamp, key, value) in enumerate(records):
        if codec and magic == 1:
            wrapper = patch[0] if patch else 0
            offset = offset + (wrapper - records[-1][0] if wrapper else 0)
        if patch and (codec or index == 0):
            timestamp = patch[1]
        kind = None if magic == 0 else (1 if patch else 0)
        result.append((offset, None if magic == 0 else timestamp, kind, key, value))
    return result


def read(data):
    records = MemoryRecords(data)
    result = []
    while records.has_next():
        batch = records.next_batch()
        assert batch.validate_crc(), "kafka-python finds a bad CRC"
        result += [(r.offset, r.timestamp, r.timestamp_type, r.key, r.value) for r in batch]
    return result


def main():
    if sys.argv[1:] == ["--swift"]:
        for name, case in CASES.items():
            print(f'    static let {name} = "{build(*case).hex()}"')
        for name, make in BAD_WRAPPERS.items():
            print(f'    static let {name} = "{make().hex()}"')
        return 0
    goldens = dict(re.findall(r'static let (\w+) = "([0-9a-f]+)"', GOLDENS.read_text()))
    failures = 0
    for name, case in CASES.items():
        actual = build(*case)
        golden = bytes.fromhex(goldens.get(name, ""))
        if actual != golden:
            failures += 1
            print(f"FAIL {name}: the Swift golden is {golden.hex()}, kafka-python builds {actual.hex()}")
        elif read(golden) != expected(*case):
            failures += 1
            print(f"FAIL {name}: kafka-python reads {read(golden)}, expected {expected(*case)}")
    for name, make in BAD_WRAPPERS.items():
        if make() != bytes.fromhex(goldens.get(name, "")):
            failures += 1
            print(f"FAIL {name}: the Swift golden is {goldens.get(name)}, this script builds {make().hex()}")
    total = len(CASES) + len(BAD_WRAPPERS)
    print(f"{total - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
