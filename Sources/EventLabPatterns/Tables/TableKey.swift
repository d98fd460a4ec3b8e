/// A table's key: its bytes, hashed in one call rather than byte by byte.
///
/// A record's key is a view into its batch; a lookup wraps that view as it is, so applying a
/// record whose key the table already holds copies nothing. Only a new key is copied
/// (``owned``), so the table never keeps a whole batch alive for the sake of a few bytes.
struct TableKey: Hashable, Sendable {
    let bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
    }

    /// The key in storage of its own.
    var owned: TableKey { TableKey(Array(bytes)[...]) }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    static func == (lhs: TableKey, rhs: TableKey) -> Bool {
        lhs.bytes.count == rhs.bytes.count
            && lhs.bytes.withUnsafeBytes { left in rhs.bytes.withUnsafeBytes { right in same(left, right) } }
    }

    /// Compares eight bytes at a time: every applied record compares its key with one held.
    private static func same(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Bool {
        var start = 0
        while start + 8 <= left.count {
            guard left.loadUnaligned(fromByteOffset: start, as: UInt64.self) == right.loadUnaligned(fromByteOffset: start, as: UInt64.self) else {
                return false
            }
            start += 8
        }
        while start < left.count {
            guard left[start] == right[start] else { return false }
            start += 1
        }
        return true
    }

    /// Byte order, shorter first on a common prefix: the order `table show` lists keys in.
    static func < (lhs: TableKey, rhs: TableKey) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}
