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
    /// Each part's text as written: a placeholder also matches its own text, so printed output
    /// that holds `[TIME]` or `[PORT]` verbatim (a record's value, say) still verifies.
    private let written: [[UInt8]]
    private let literal: [UInt8]?

    /// The pattern written as `text`.
    public init(_ text: String) {
        var parts: [Part] = []
        var written: [[UInt8]] = []
        var bytes = Array(text.utf8)[...]
        var pending: [UInt8] = []
        while let first = bytes.first {
            if first == UInt8(ascii: "["),
               let (placeholder, part) = Self.placeholders.first(where: { bytes.starts(with: $0.text.utf8) }) {
                if !pending.isEmpty {
                    parts.append(.literal(pending))
                    written.append(pending)
                }
                pending = []
                parts.append(part)
                written.append(Array(placeholder.utf8))
                bytes = bytes.dropFirst(placeholder.utf8.count)
            } else if first == UInt8(ascii: " "), pending.isEmpty, let last = parts.last, last.isNamed {
                let spaces = bytes.prefix { $0 == UInt8(ascii: " ") }
                parts.append(.padding)
                written.append(Array(spaces))
                bytes = bytes.dropFirst(spaces.count)
            } else {
                pending.append(first)
                bytes = bytes.dropFirst()
            }
        }
        if !pending.isEmpty {
            parts.append(.literal(pending))
            written.append(pending)
        }
        self.parts = parts
        self.written = written
        literal = parts.count == 1 ? { if case .literal(let bytes) = parts[0] { bytes } else { nil } }() : (parts.isEmpty ? [] : nil)
    }

    /// True if `line` is what the pattern says.
    public func matches(_ line: String) -> Bool {
        if let literal { return line.utf8.elementsEqual(literal) }
        let bytes = Array(line.utf8)
        return match(from: 0, bytes[...])
    }

    /// True if `bytes` is what the parts from `index` on say.
    private func match(from index: Int, _ bytes: ArraySlice<UInt8>) -> Bool {
        guard index < parts.count else { return bytes.isEmpty }
        /// True if the rest of the pattern matches what follows the first `length` bytes.
        let rest = { (length: Int) in self.match(from: index + 1, bytes.dropFirst(length)) }
        // A literal is only its text; a named placeholder may be its text too.
        if parts[index] != .anyText, bytes.starts(with: written[index]), rest(written[index].count) { return true }
        switch parts[index] {
        case .literal:
            return false
        case .anyText:
            return (0...bytes.count).contains(where: rest)
        case .time:
            return Self.timeLengths(bytes).contains(where: rest)
        case .member:
            let run = bytes.prefix { $0 != UInt8(ascii: " ") }.count
            return run > 0 && (1...run).reversed().contains(where: rest)
        case .number:
            let run = bytes.prefix { Self.isDigit($0) }.count
            return run > 0 && (1...run).reversed().contains(where: rest)
        case .padding:
            let run = bytes.prefix { $0 == UInt8(ascii: " ") }.count
            return run > 0 && rest(run)
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
