/// Where the top-level members of one JSON document start, learned as fields are looked up, so
/// that reading several fields of one record (an aggregate's type, key and rules) scans its value
/// once instead of once per field. A lookup scans on from where the last one stopped.
///
/// It only answers what `JSONScanner.find` would: for anything off the plain path (a name with
/// escapes, more members than it keeps, bytes that are not JSON) it answers `unknown`, and the
/// caller scans afresh, which gives the same value or the same error as without it.
struct JSONMembers {
    /// What a lookup of a top-level member found.
    enum Lookup: Equatable {
        /// The member's value starts at this index.
        case found(Int)
        /// The document has no such member, or is not an object.
        case absent
        /// The index cannot tell; scan the document afresh.
        case unknown
    }

    private enum Phase {
        case fresh, open, ended, notObject, unusable
    }

    /// The most members kept; a larger document is scanned afresh past them.
    static let capacity = 8

    private var phase = Phase.fresh
    /// The document the index describes, so another record's bytes are never read through it.
    private var document: (base: UnsafePointer<UInt8>?, count: Int) = (nil, 0)
    /// Where scanning goes on: after the last member's `:` and whitespace, that is at its value.
    private var next = 0
    private var count = 0
    /// Each member's name, between its quotes, and where its value starts.
    private var nameStarts = InlineArray<8, Int>(repeating: 0)
    private var nameEnds = InlineArray<8, Int>(repeating: 0)
    private var valueStarts = InlineArray<8, Int>(repeating: 0)

    /// An index that has read nothing yet.
    init() {}

    /// Where the value of top-level member `name` of `bytes` starts.
    mutating func lookup(_ name: String, in bytes: UnsafeBufferPointer<UInt8>) -> Lookup {
        if document.base != bytes.baseAddress || document.count != bytes.count {
            if phase != .fresh { self = JSONMembers() }
            document = (bytes.baseAddress, bytes.count)
        }
        let found = name.utf8.withContiguousStorageIfAvailable { wanted in
            for member in 0..<count where Self.equal(wanted, bytes, nameStarts[member]..<nameEnds[member]) {
                return Lookup.found(valueStarts[member])
            }
            return scan(for: wanted, in: bytes)
        }
        return found ?? .unknown
    }

    /// Scans on from where the last lookup stopped, keeping each member passed, until `wanted`.
    private mutating func scan(for wanted: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>) -> Lookup {
        var cursor = JSONParser.Cursor(bytes: bytes, index: next)
        switch phase {
        case .ended, .notObject: return .absent
        case .unusable: return .unknown
        case .fresh:
            cursor.skipWhitespace()
            guard cursor.peek == UInt8(ascii: "{") else {
                phase = .notObject
                return .absent
            }
            cursor.index += 1
            cursor.skipWhitespace()
            if cursor.peek == UInt8(ascii: "}") {
                phase = .ended
                return .absent
            }
            phase = .open
        case .open:
            // The last member's value was not passed yet: a lookup stops at the value it finds.
            guard (try? JSONScanner.skipValue(&cursor, depth: 0)) != nil else { return giveUp() }
            cursor.skipWhitespace()
            switch cursor.peek {
            case UInt8(ascii: ","): cursor.index += 1
            case UInt8(ascii: "}"):
                phase = .ended
                return .absent
            default: return giveUp()
            }
        }
        while true {
            cursor.skipWhitespace()
            guard cursor.peek == UInt8(ascii: "\""), count < Self.capacity else { return giveUp() }
            let start = cursor.index + 1
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "\"") && bytes[end] != UInt8(ascii: "\\") && bytes[end] >= 0x20 {
                end += 1
            }
            guard end < bytes.count && bytes[end] == UInt8(ascii: "\"") else { return giveUp() }
            cursor.index = end + 1
            cursor.skipWhitespace()
            guard cursor.peek == UInt8(ascii: ":") else { return giveUp() }
            cursor.index += 1
            cursor.skipWhitespace()
            nameStarts[count] = start
            nameEnds[count] = end
            valueStarts[count] = cursor.index
            count += 1
            next = cursor.index
            if Self.equal(wanted, bytes, start..<end) { return .found(cursor.index) }
            guard (try? JSONScanner.skipValue(&cursor, depth: 0)) != nil else { return giveUp() }
            cursor.skipWhitespace()
            switch cursor.peek {
            case UInt8(ascii: ","): cursor.index += 1
            case UInt8(ascii: "}"):
                phase = .ended
                return .absent
            default: return giveUp()
            }
        }
    }

    /// Leaves anything off the plain path, errors included, to a fresh scan.
    private mutating func giveUp() -> Lookup {
        phase = .unusable
        return .unknown
    }

    private static func equal(_ wanted: UnsafeBufferPointer<UInt8>, _ bytes: UnsafeBufferPointer<UInt8>, _ name: Range<Int>) -> Bool {
        guard wanted.count == name.count else { return false }
        for offset in 0..<wanted.count where wanted[offset] != bytes[name.lowerBound + offset] { return false }
        return true
    }
}
