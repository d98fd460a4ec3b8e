#!/usr/bin/python3
"""Cross-checks EventLab's RecordBatch v2 golden bytes against kafka-python's encoder.

The Swift test suite encodes the same records and compares them with the same fixture files,
so EventLab and Debian's python3-kafka must agree byte for byte. Run with Debian's Python:
/usr/bin/python3 Tests/Interop/record_batch_golden.py
"""
import pathlib
import sys

from kafka.record.default_records import DefaultRecordBatch, DefaultRecordBatchBuilder

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "Fixtures"

# Each case: fixture name -> records as (offset, timestamp, key, value, headers).
CASES = {
    "record-batch-single.hex": [
        (0, 1700000000000, b"k1", b"v1", [("h", b"x")]),
    ],
    "record-batch-mixed.hex": [
        (0, 1704067200000, b"o-1", b'{"type":"OrderPlaced","total":42}', []),
        (1, 1704067200005, None, b"no key", [("trace", b"abc"), ("empty", None)]),
        (2, 1704067199000, b"o-1", None, []),
    ],
}


def build(records):
    builder = DefaultRecordBatchBuilder(
        magic=2, compression_type=0, is_transactional=0,
        producer_id=-1, producer_epoch=-1, base_sequence=-1, batch_size=1 << 20)
    for offset, timestamp, key, value, headers in records:
        builder.append(offset, timestamp=timestamp, key=key, value=value, headers=headers)
    return bytes(builder.build())


def main():
    failures = 0
    for name, records in CASES.items():
        expected = bytes.fromhex((FIXTURES / name).read_text().strip())
        actual = build(records)
        decoded = [(r.offset, r.timestamp, r.key, r.value) for r in DefaultRecordBatch(actual)]
        wanted = [(o, t, k, v) for o, t, k, v, _ in records]
        if actual != expected or decoded != wanted:
            failures += 1
            print(f"FAIL {name}: expected {expected.hex()}, kafka-python builds {actual.hex()}")
    print(f"{len(CASES) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
