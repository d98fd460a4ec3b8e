/// A kind of value that differs from one run of the same session to the next, and the
/// placeholder a transcript writes for it.
public enum VaryingKind: String, Sendable, CaseIterable {
    /// A time read from the system clock.
    case time = "TIME"
    /// A consumer group member id, which the broker makes up.
    case member = "MEMBER"
    /// A TCP port, which may be any free one.
    case port = "PORT"
    /// A process id.
    case pid = "PID"
}

/// Values in the shell's output marked as varying, so a recorder writes placeholders for them
/// instead of guessing from the text.
///
/// A marked value is wrapped in private-use scalars nobody sees: U+E001 (time), U+E002
/// (member), U+E003 (port) or U+E004 (pid) opens it, in the order of ``VaryingKind/allCases``,
/// and U+E000 closes it. U+E000–U+E00F are reserved for marks: `TerminalText` escapes them in
/// records and names from clients, so data cannot forge a mark. An opening scalar without its
/// closing one, or with another mark scalar before it, is not a mark and stays as it is.
public enum Varying {
    static let close: Unicode.Scalar = "\u{E000}"

    /// True for the scalars reserved for marks, U+E000–U+E00F.
    static func isReserved(_ scalar: Unicode.Scalar) -> Bool { scalar.value & 0xFFFF_FFF0 == 0xE000 }

    /// `text` marked as a value of `kind`; marks already in it are dropped, as marks do not nest.
    static func mark(_ text: String, as kind: VaryingKind) -> String {
        String(open(kind)) + plain(text) + String(close)
    }

    /// `text` with each mark taken away, as a person sees it.
    public static func plain(_ marked: String) -> String {
        rewrite(marked) { _, value in String(value) }
    }

    /// `text` with each marked value replaced by its placeholder: `[TIME]`, `[MEMBER]`, `[PORT]`, `[PID]`.
    public static func placeholders(_ marked: String) -> String {
        rewrite(marked) { kind, _ in "[\(kind.rawValue)]" }
    }

    private static func open(_ kind: VaryingKind) -> Unicode.Scalar {
        Unicode.Scalar(0xE001 + UInt32(VaryingKind.allCases.firstIndex(of: kind)!))!
    }

    private static func kind(opening scalar: Unicode.Scalar) -> VaryingKind? {
        let index = Int(scalar.value) - 0xE001
        return VaryingKind.allCases.indices.contains(index) ? VaryingKind.allCases[index] : nil
    }

    /// `marked` with each mark replaced by `replace(kind, value)`.
    private static func rewrite(_ marked: String, _ replace: (VaryingKind, Substring) -> String) -> String {
        // Every line the shell writes passes here: most hold no mark, and the UTF-8 of U+E000–U+E00F starts with 0xEE.
        guard marked.utf8.contains(0xEE) else { return marked }
        let scalars = marked.unicodeScalars
        var result = String.UnicodeScalarView()
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            let start = scalars.index(after: index)
            if let kind = kind(opening: scalar), let end = scalars[start...].firstIndex(where: isReserved), scalars[end] == close {
                result.append(contentsOf: replace(kind, Substring(scalars[start..<end])).unicodeScalars)
                index = scalars.index(after: end)
            } else {
                result.append(scalar)
                index = start
            }
        }
        return String(result)
    }
}
