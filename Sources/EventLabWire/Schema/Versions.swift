/// A set of versions as Kafka's message definitions write them: `"0+"`, `"3-7"`, `"5"` or `"none"`.
///
/// Each field of a message says in which versions it is on the wire, and each API in which of its
/// versions it is flexible (compact lengths and tagged fields); both are sets of this kind.
public struct Versions: Sendable, Equatable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The lowest version in the set.
    public let lowest: Int16
    /// The highest, or nil for every version from `lowest` on.
    public let highest: Int16?

    /// Every version from `lowest` to `highest` (nil: with no end).
    public init(_ lowest: Int16, _ highest: Int16?) {
        self.lowest = lowest
        self.highest = highest
    }

    /// The set a definition writes as `text`; a malformed text is a programming error.
    public init(stringLiteral text: String) {
        if text == "none" {
            self.init(1, 0)
        } else if text.hasSuffix("+"), let low = Int16(text.dropLast()) {
            self.init(low, nil)
        } else if let dash = text.firstIndex(of: "-"), let low = Int16(text[..<dash]), let high = Int16(text[text.index(after: dash)...]) {
            self.init(low, high)
        } else if let only = Int16(text) {
            self.init(only, only)
        } else {
            preconditionFailure("'\(text)' is not a version set: write 0+, 3-7, 5 or none")
        }
    }

    /// No version.
    public static let none: Versions = "none"

    /// Whether `version` is in the set.
    public func contains(_ version: Int16) -> Bool {
        version >= lowest && version <= (highest ?? .max)
    }

    public var description: String {
        guard let highest else { return "\(lowest)+" }
        if highest < lowest { return "none" }
        return highest == lowest ? "\(lowest)" : "\(lowest)-\(highest)"
    }
}
