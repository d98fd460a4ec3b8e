/// Why bytes are not the JSON they should be: the byte offset where parsing stopped and what was
/// expected there.
public struct JSONError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Offset of the offending byte from the start of the text (0-based).
    public var offset: Int
    /// What was wrong and what would be right.
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "invalid JSON at byte \(offset): \(message)" }
}

/// A strict RFC 8259 parser from bytes: one value with optional whitespace around it, valid
/// UTF-8, no comments, no trailing commas, no duplicate member names, no leading zeros, no
/// `NaN`; numbers must fit `ExactNumber`; nesting deeper than `maxDepth` is refused. Any bytes
/// give a value or a `JSONError`, never a trap.
public enum JSONParser {
    /// The deepest nesting of arrays and objects accepted.
    public static let maxDepth = 64

    /// Parses `bytes` as one JSON document.
    public static func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws(JSONError) -> JSON {
        let result: Result<JSON, JSONError>? = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONError) -> JSON in try parseDocument(buffer) }
        }
        if let result { return try result.get() }
        let copy = Array(bytes)
        return try copy.withUnsafeBufferPointer { buffer throws(JSONError) in try parseDocument(buffer) }
    }

    /// Parses a string as one JSON document.
    public static func parse(_ text: String) throws(JSONError) -> JSON {
        try parse(Array(text.utf8))
    }

    static func parseDocument(_ buffer: UnsafeBufferPointer<UInt8>) throws(JSONError) -> JSON {
        var parser = Cursor(bytes: buffer)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        if parser.index < buffer.count { throw parser.error("expected the end of the document, found \(parser.found)") }
        return value
    }

    /// A position in the bytes being parsed.
    struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>, index: Int = 0) {
            self.bytes = bytes
            self.index = index
        }

        func error(_ message: String) -> JSONError { JSONError(offset: index, message: message) }

        /// The byte at the cursor, described for an error.
        var found: String {
            guard index < bytes.count else { return "the end of the input" }
            let byte = bytes[index]
            if byte >= 0x21 && byte < 0x7F { return "`\(Character(Unicode.Scalar(byte)))`" }
            let hex = String(byte, radix: 16)
            return "byte 0x\(hex.count == 1 ? "0" + hex : hex)"
        }

        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func literal(_ word: StaticString, _ value: JSON) throws(JSONError) -> JSON {
            let count = word.utf8CodeUnitCount
            let start = word.utf8Start
            for offset in 0..<count {
                guard index + offset < bytes.count, bytes[index + offset] == start[offset] else {
                    index += offset
                    throw error("expected `\(word)`, found \(found)")
                }
            }
            index += count
            return value
        }

        mutating func value(depth: Int) throws(JSONError) -> JSON {
            guard let byte = peek else { throw error("expected a value, found the end of the input") }
            switch byte {
            case UInt8(ascii: "{"): return try object(depth: depth + 1)
            case UInt8(ascii: "["): return try array(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
            default: throw error("expected a value, found \(found)")
            }
        }

        mutating func object(depth: Int) throws(JSONError) -> JSON {
            guard depth <= JSONParser.maxDepth else { throw error("nesting deeper than \(JSONParser.maxDepth) levels") }
            index += 1
            var members: [(key: String, value: JSON)] = []
            var seen: Set<String> = []
            skipWhitespace()
            if peek == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard peek == UInt8(ascii: "\"") else { throw error("expected a member name in double quotes, found \(found)") }
                let nameStart = index
                let key = try string()
                guard seen.insert(key).inserted else {
                    throw JSONError(offset: nameStart, message: "the member name \"\(key)\" appears twice")
                }
                skipWhitespace()
                guard peek == UInt8(ascii: ":") else { throw error("expected `:` after a member name, found \(found)") }
                index += 1
                skipWhitespace()
                members.append((key, try value(depth: depth)))
                skipWhitespace()
                switch peek {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "}"):
                    index += 1
                    return .object(members)
                default: throw error("expected `,` or `}` in an object, found \(found)")
                }
            }
        }

        mutating func array(depth: Int) throws(JSONError) -> JSON {
            guard depth <= JSONParser.maxDepth else { throw error("nesting deeper than \(JSONParser.maxDepth) levels") }
            index += 1
            var elements: [JSON] = []
            skipWhitespace()
            if peek == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            while true {
                skipWhitespace()
                elements.append(try value(depth: depth))
                skipWhitespace()
                switch peek {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "]"):
                    index += 1
                    return .array(elements)
                default: throw error("expected `,` or `]` in an array, found \(found)")
                }
            }
        }

        /// A number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, made exact.
        mutating func number() throws(JSONError) -> ExactNumber {
            let start = index
            var negative = false
            if peek == UInt8(ascii: "-") {
                negative = true
                index += 1
            }
            var mantissa: Int128 = 0
            var scale = 0
            var digits = 0
            var tooLong = false
            // Zeros after the last non-zero digit wait here: trailing decimal zeros are dropped,
            // so `1.000…0` with many zeros still fits.
            var pendingZeros = 0
            func flush() {
                while pendingZeros > 0 {
                    digits += 1
                    // Past 38 digits the number cannot fit anyway.
                    if digits > 38 { tooLong = true; pendingZeros = 0; return }
                    mantissa *= 10
                    pendingZeros -= 1
                }
            }
            func add(_ byte: UInt8) {
                if byte == UInt8(ascii: "0") {
                    // Leading zeros add nothing.
                    if mantissa != 0 { pendingZeros += 1 }
                    return
                }
                flush()
                digits += 1
                if digits > 38 { tooLong = true; return }
                mantissa = mantissa * 10 + Int128(byte - UInt8(ascii: "0"))
            }
            guard let first = peek, first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9") else {
                throw error("expected a digit, found \(found)")
            }
            if first == UInt8(ascii: "0") {
                index += 1
                if let next = peek, next >= UInt8(ascii: "0") && next <= UInt8(ascii: "9") {
                    throw error("a number must not start with `0` followed by more digits")
                }
            } else {
                while let byte = peek, byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                    add(byte)
                    index += 1
                }
            }
            flush()
            if peek == UInt8(ascii: ".") {
                index += 1
                guard let byte = peek, byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else {
                    throw error("expected a digit after the decimal point, found \(found)")
                }
                while let byte = peek, byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                    add(byte)
                    scale += 1
                    index += 1
                }
            }
            scale -= pendingZeros
            var exponent = 0
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
                index += 1
                var exponentNegative = false
                if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") {
                    exponentNegative = peek == UInt8(ascii: "-")
                    index += 1
                }
                guard let byte = peek, byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else {
                    throw error("expected a digit in the exponent, found \(found)")
                }
                while let byte = peek, byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                    if exponent < 10_000 { exponent = exponent * 10 + Int(byte - UInt8(ascii: "0")) }
                    index += 1
                }
                if exponentNegative { exponent = -exponent }
            }
            let failure = { (problem: NumberError) in JSONError(offset: start, message: "\(problem)") }
            if tooLong { throw failure(.tooLarge) }
            if mantissa == 0 { return ExactNumber(0) }
            // A large exponent on a non-zero mantissa cannot fit either way.
            if exponent > 40 { throw failure(.tooLarge) }
            if exponent < -40 { throw failure(.tooPrecise) }
            do throws(NumberError) {
                return try ExactNumber(wide: negative ? -mantissa : mantissa, scale: scale - exponent)
            } catch {
                throw failure(error)
            }
        }

        /// A string: valid UTF-8, no raw control characters, escapes decoded, surrogates paired.
        mutating func string() throws(JSONError) -> String {
            index += 1
            let start = index
            // Fast path: no escapes.
            var ascii = true
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
                    // ASCII is valid UTF-8, so it needs no validation: decoding it gives the same
                    // text without the generic validator's cost, paid per field read.
                    if ascii {
                        index += 1
                        return String(decoding: slice, as: UTF8.self)
                    }
                    guard let text = String(validating: slice, as: UTF8.self) else {
                        index = start
                        return try slowString()
                    }
                    index += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
                if byte >= 0x80 { ascii = false }
                index += 1
            }
            index = start
            return try slowString()
        }

        private mutating func slowString() throws(JSONError) -> String {
            var out: [UInt8] = []
            while true {
                guard let byte = peek else { throw error("expected `\"` to end the string, found the end of the input") }
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    index += 1
                    try escape(into: &out)
                case 0..<0x20:
                    throw error("a control character must be escaped in a string, found \(found)")
                case 0x80...:
                    try utf8Sequence(into: &out)
                default:
                    out.append(byte)
                    index += 1
                }
            }
        }

        private mutating func escape(into out: inout [UInt8]) throws(JSONError) {
            guard let byte = peek else { throw error("expected an escape after `\\`, found the end of the input") }
            index += 1
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(byte)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    guard peek == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                        throw error("expected `\\u` with a low surrogate after a high surrogate")
                    }
                    index += 2
                    let low = try hex4()
                    guard low >= 0xDC00 && low < 0xE000 else { throw error("expected a low surrogate (DC00-DFFF)") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    throw error("a low surrogate without a high surrogate before it")
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw error("not a Unicode scalar") }
                out.append(contentsOf: String(Character(unicode)).utf8)
            default:
                index -= 1
                throw error("expected one of `\" \\ / b f n r t u` after `\\`, found \(found)")
            }
        }

        private mutating func hex4() throws(JSONError) -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let byte = peek else { throw error("expected four hex digits after `\\u`, found the end of the input") }
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw error("expected four hex digits after `\\u`, found \(found)")
                }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            return value
        }

        /// Copies one UTF-8 sequence starting at a byte ≥ 0x80, checking it is well formed.
        private mutating func utf8Sequence(into out: inout [UInt8]) throws(JSONError) {
            let lead = bytes[index]
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: throw error("invalid UTF-8 in a string, found \(found)")
            }
            for offset in 1..<length {
                guard index + offset < bytes.count else { throw error("invalid UTF-8 in a string: a sequence is cut short") }
                let byte = bytes[index + offset]
                let (lower, upper) = offset == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
                guard byte >= lower && byte <= upper else {
                    index += offset
                    throw error("invalid UTF-8 in a string, found \(found)")
                }
            }
            out.append(contentsOf: bytes[index..<index + length])
            index += length
        }
    }
}
