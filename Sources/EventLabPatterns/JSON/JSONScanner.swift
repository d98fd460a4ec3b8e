/// One step of a path into a JSON document: a member name or an array index.
public enum JSONPathStep: Hashable, Sendable, CustomStringConvertible {
    case member(String)
    case index(Int)

    public var description: String {
        switch self {
        case .member(let name):
            let plain = !name.isEmpty && name.utf8.allSatisfy { byte in
                byte == UInt8(ascii: "_") || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            } && !(name.utf8.first! >= UInt8(ascii: "0") && name.utf8.first! <= UInt8(ascii: "9"))
            return plain ? "." + name : "." + String(decoding: JSONPrinter.bytes(.string(name)), as: UTF8.self)
        case .index(let index): return "[\(index)]"
        }
    }
}

/// Finds the bytes of one value inside a JSON document without building the document: it walks
/// the path, skipping the members and elements it does not need.
///
/// It checks what it passes over only as far as finding the value needs (strings end, brackets
/// match); `JSONParser` checks the value it returns. A document broken somewhere the path does not
/// reach can therefore still answer; a document broken on the way gives a `JSONError`.
public enum JSONScanner {
    /// The byte range of the value at `path` in `bytes`, or nil when the path leads nowhere (a
    /// missing member, an index past the end, or a step into a value that is not a container).
    public static func find(_ path: [JSONPathStep], in bytes: UnsafeBufferPointer<UInt8>) throws(JSONError) -> Range<Int>? {
        var cursor = JSONParser.Cursor(bytes: bytes)
        cursor.skipWhitespace()
        return try walk(path[...], &cursor)
    }

    /// `find(_:in:)`, with the path's first member looked up in `members`, which knows where the
    /// members read before from the same bytes start: the same range or error, scanned once.
    static func find(_ path: [JSONPathStep], in bytes: UnsafeBufferPointer<UInt8>, members: inout JSONMembers) throws(JSONError) -> Range<Int>? {
        guard case .member(let name)? = path.first else { return try find(path, in: bytes) }
        switch members.lookup(name, in: bytes) {
        case .found(let start):
            var cursor = JSONParser.Cursor(bytes: bytes, index: start)
            return try walk(path.dropFirst(), &cursor)
        case .absent: return nil
        case .unknown: return try find(path, in: bytes)
        }
    }

    /// Follows `path` from the cursor and returns the range of the value it leads to.
    private static func walk(_ path: ArraySlice<JSONPathStep>, _ cursor: inout JSONParser.Cursor) throws(JSONError) -> Range<Int>? {
        for step in path {
            switch step {
            case .member(let name):
                guard cursor.peek == UInt8(ascii: "{") else { return nil }
                guard try enterMember(name, &cursor) else { return nil }
            case .index(let wanted):
                guard cursor.peek == UInt8(ascii: "[") else { return nil }
                guard try enterElement(wanted, &cursor) else { return nil }
            }
        }
        let start = cursor.index
        try skipValue(&cursor, depth: 0)
        return start..<cursor.index
    }

    /// Moves the cursor from an object's `{` to the value of member `name`; false when absent.
    private static func enterMember(_ name: String, _ cursor: inout JSONParser.Cursor) throws(JSONError) -> Bool {
        cursor.index += 1
        cursor.skipWhitespace()
        if cursor.peek == UInt8(ascii: "}") { return false }
        while true {
            cursor.skipWhitespace()
            guard cursor.peek == UInt8(ascii: "\"") else { throw cursor.error("expected a member name in double quotes, found \(cursor.found)") }
            let matches = try memberName(&cursor, equals: name)
            cursor.skipWhitespace()
            guard cursor.peek == UInt8(ascii: ":") else { throw cursor.error("expected `:` after a member name, found \(cursor.found)") }
            cursor.index += 1
            cursor.skipWhitespace()
            if matches { return true }
            try skipValue(&cursor, depth: 0)
            cursor.skipWhitespace()
            switch cursor.peek {
            case UInt8(ascii: ","): cursor.index += 1
            case UInt8(ascii: "}"): return false
            default: throw cursor.error("expected `,` or `}` in an object, found \(cursor.found)")
            }
        }
    }

    /// Moves the cursor from an array's `[` to element `wanted`; false when the array is shorter.
    private static func enterElement(_ wanted: Int, _ cursor: inout JSONParser.Cursor) throws(JSONError) -> Bool {
        cursor.index += 1
        cursor.skipWhitespace()
        if cursor.peek == UInt8(ascii: "]") { return false }
        var position = 0
        while true {
            cursor.skipWhitespace()
            if position == wanted { return true }
            try skipValue(&cursor, depth: 0)
            cursor.skipWhitespace()
            switch cursor.peek {
            case UInt8(ascii: ","): cursor.index += 1
            case UInt8(ascii: "]"): return false
            default: throw cursor.error("expected `,` or `]` in an array, found \(cursor.found)")
            }
            position += 1
        }
    }

    /// Reads a member name at the cursor and says whether it is `name`; compares raw bytes unless
    /// the name has escapes.
    private static func memberName(_ cursor: inout JSONParser.Cursor, equals name: String) throws(JSONError) -> Bool {
        let start = cursor.index + 1
        var end = start
        let bytes = cursor.bytes
        while end < bytes.count && bytes[end] != UInt8(ascii: "\"") && bytes[end] != UInt8(ascii: "\\") && bytes[end] >= 0x20 {
            end += 1
        }
        if end < bytes.count && bytes[end] == UInt8(ascii: "\"") {
            cursor.index = end + 1
            var wanted = name
            return wanted.withUTF8 { utf8 in
                utf8.count == end - start && (utf8.count == 0 || memcmpEqual(utf8.baseAddress!, bytes.baseAddress! + start, utf8.count))
            }
        }
        return try cursor.string() == name
    }

    private static func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        for offset in 0..<count where a[offset] != b[offset] { return false }
        return true
    }

    /// Moves the cursor past one value, checking only that strings end and brackets match.
    static func skipValue(_ cursor: inout JSONParser.Cursor, depth: Int) throws(JSONError) {
        guard let byte = cursor.peek else { throw cursor.error("expected a value, found the end of the input") }
        switch byte {
        case UInt8(ascii: "\""): try skipString(&cursor)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var closers: [UInt8] = []
            repeat {
                guard let current = cursor.peek else { throw cursor.error("expected `\(Character(Unicode.Scalar(closers.last!)))`, found the end of the input") }
                switch current {
                case UInt8(ascii: "\""): try skipString(&cursor); continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    guard closers.count < JSONParser.maxDepth else { throw cursor.error("nesting deeper than \(JSONParser.maxDepth) levels") }
                    closers.append(current == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]"))
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    guard current == closers.last else { throw cursor.error("expected `\(Character(Unicode.Scalar(closers.last!)))`, found \(cursor.found)") }
                    closers.removeLast()
                default: break
                }
                cursor.index += 1
            } while !closers.isEmpty
        default:
            // A number or a literal: up to the next delimiter.
            let start = cursor.index
            while let current = cursor.peek {
                switch current {
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D: break
                default: cursor.index += 1; continue
                }
                break
            }
            if cursor.index == start { throw cursor.error("expected a value, found \(cursor.found)") }
        }
    }

    private static func skipString(_ cursor: inout JSONParser.Cursor) throws(JSONError) {
        cursor.index += 1
        while let byte = cursor.peek {
            cursor.index += 1
            if byte == UInt8(ascii: "\"") { return }
            if byte == UInt8(ascii: "\\") { cursor.index += 1 }
        }
        throw cursor.error("expected `\"` to end the string, found the end of the input")
    }
}
