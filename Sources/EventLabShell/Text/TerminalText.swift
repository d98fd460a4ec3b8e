/// Text from records and network clients made safe to print: one line, nothing the terminal
/// would act on.
///
/// A value holding a newline could forge a record line (`…\np0 @999 …`), ESC and OSC
/// sequences from a network client could recolour, retitle or rewrite the learner's terminal,
/// and bidi overrides reorder what is shown. Each such character is printed as an escape:
///
/// - `\n`, `\r`, `\t` for newline, carriage return and tab;
/// - `\x1b` (two hex digits) for the other C0 controls and DEL, and for a byte that is not
///   UTF-8 (those are 0x80 and above, so the two never meet);
/// - `\u{202e}` for C1 controls (U+0080–U+009F), bidi controls (U+061C, U+200E, U+200F,
///   U+202A–U+202E, U+2066–U+2069), the line and paragraph separators U+2028, U+2029, and
///   the private-use U+E000–U+E00F, which mark the values that vary (`Varying`), so data cannot
///   forge a mark.
///
/// A backslash itself is printed as it is, so JSON's own `\"` stays readable.
public enum TerminalText {
    /// `bytes` as printable text on one line.
    public static func escape(_ bytes: some Collection<UInt8>) -> String {
        if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return String(decoding: bytes, as: UTF8.self) }
        var result = ""
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var pending = Array(bytes)[...]
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                append(UTF8.decode(encoded), to: &result)
                pending = pending.dropFirst(encoded.count)
            case .error(let length):
                for byte in pending.prefix(length) { result += "\\x" + hex(byte) }
                pending = pending.dropFirst(length)
            case .emptyInput:
                return result
            }
        }
    }

    /// `text` as printable text on one line.
    public static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        for scalar in text.unicodeScalars { append(scalar, to: &result) }
        return result
    }

    private static func append(_ scalar: Unicode.Scalar, to result: inout String) {
        guard needsEscape(scalar) else { return result.unicodeScalars.append(scalar) }
        switch scalar {
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        default:
            result += scalar.value <= 0x7F ? "\\x" + hex(UInt8(scalar.value)) : "\\u{" + String(scalar.value, radix: 16) + "}"
        }
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00..<0x20, 0x7F..<0xA0, 0x061C, 0x200E, 0x200F, 0x2028...0x202E, 0x2066...0x2069, 0xE000...0xE00F: true
        default: false
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
    }
}
