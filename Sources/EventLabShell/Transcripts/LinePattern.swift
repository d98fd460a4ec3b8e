/// One expected output line with its placeholders: `[..]` for any text, and `[TIME]`,
/// `[MEMBER]`, `[PORT]`, `[PID]` for the values that vary from run to run.
///
/// A table pads a column to its widest value, so the spaces after a named placeholder vary with
/// the value it stands for: there, a run of spaces matches any run of one or more.
///
/// Matching works on UTF-8 bytes and backtracks only at placeholders, so a line without any is
/// one comparison.
public struct LinePattern: Sendable {
    /// The placeholders, as written.
    public static let placeholders: [(text: String, part: Part)] = [
        ("[..]", .anyText), ("[TIME]", .time), ("[MEMBER]", .member), ("[PORT]", .number), ("[PID]", .number),
    ]

    /// A piece of a pattern.
    public enum Part: Equatable, Sendable {
        /// These bytes exactly.
        case literal([UInt8])
        /// Any bytes, also none.
        case anyText
        /// A UTC time: `2024-01-01T00:00:00Z`, milliseconds optional.
        case time
        /// A member id: one or more bytes that are not spaces.
        case member
        /// One or more digits.
        case number
        /// One or more spaces: the padding after a named placeholder.
        case padding
    }

    /// The pattern's parts, in order.
    public let parts: [Part]
    private let literal: [UInt8]?

    /// The pattern written as `text`.
    public init(_ text: String) {
        var parts: [Part] = []
        var bytes = Array(text.utf8)[...]
        var pending: [UInt8] = []
        while let first = bytes.first {
            if first == UInt8(ascii: "["),
               let (written, part) = Self.placeholders.first(where: { bytes.starts(with: $0.text.utf8) }) {
                if !pending.isEmpty { parts.append(.literal(pending)) }
                pending = []
                parts.append(part)
                bytes = bytes.dropFirst(written.utf8.count)
            } else if first == UInt8(ascii: " "), pending.isEmpty, let last = parts.last, last.isNamed {
                parts.append(.padding)
                bytes = bytes.drop { $0 == UInt8(ascii: " ") }
            } else {
                pending.append(first)
                bytes = bytes.dropFirst()
            }
        }
        if !pending.isEmpty { parts.append(.literal(pending)) }
        self.parts = parts
        literal = parts.count == 1 ? { if case .literal(let bytes) = parts[0] { bytes } else { nil } }() : (parts.isEmpty ? [] : nil)
    }

    /// True if `line` is what the pattern says.
    public func matches(_ line: String) -> Bool {
        if let literal { return line.utf8.elementsEqual(literal) }
        let bytes = Array(line.utf8)
        return Self.match(parts[...], bytes[...])
    }

    private static func match(_ parts: ArraySlice<Part>, _ bytes: ArraySlice<UInt8>) -> Bool {
        guard let part = parts.first else { return bytes.isEmpty }
        let rest = parts.dropFirst()
        switch part {
        case .literal(let literal):
            return bytes.starts(with: literal) && match(rest, bytes.dropFirst(literal.count))
        case .anyText:
            return (0...bytes.count).contains { match(rest, bytes.dropFirst($0)) }
        case .time:
            return timeLengths(bytes).contains { match(rest, bytes.dropFirst($0)) }
        case .member:
            let run = bytes.prefix { $0 != UInt8(ascii: " ") }.count
            return run > 0 && (1...run).reversed().contains { match(rest, bytes.dropFirst($0)) }
        case .number:
            let run = bytes.prefix { isDigit($0) }.count
            return run > 0 && (1...run).reversed().contains { match(rest, bytes.dropFirst($0)) }
        case .padding:
            let run = bytes.prefix { $0 == UInt8(ascii: " ") }.count
            return run > 0 && match(rest, bytes.dropFirst(run))
        }
    }

    /// The lengths of the UTC times `bytes` starts with: `YYYY-MM-DDTHH:MM:SSZ`, or with a
    /// fraction of one to three digits before the `Z`.
    private static func timeLengths(_ bytes: ArraySlice<UInt8>) -> [Int] {
        let shape = Array("dddd-dd-ddTdd:dd:dd".utf8)
        guard bytes.count >= shape.count + 1 else { return [] }
        for (offset, expected) in shape.enumerated() {
            let byte = bytes[bytes.startIndex + offset]
            guard expected == UInt8(ascii: "d") ? isDigit(byte) : byte == expected else { return [] }
        }
        var rest = bytes.dropFirst(shape.count)
        if rest.first == UInt8(ascii: ".") {
            let digits = rest.dropFirst().prefix { isDigit($0) }.count
            guard (1...3).contains(digits) else { return [] }
            rest = rest.dropFirst(1 + digits)
        }
        return rest.first == UInt8(ascii: "Z") ? [bytes.count - rest.count + 1] : []
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
}

extension LinePattern.Part {
    /// True for the placeholders that stand for one value: a time, a member id, a number.
    var isNamed: Bool { self == .time || self == .member || self == .number }
}
