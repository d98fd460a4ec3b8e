/// A script's bytes checked before any of it runs: text is UTF-8 and holds no NUL byte.
///
/// Replacing bad bytes with U+FFFD would run a command the author never wrote (a record value
/// with `�` in it); a NUL cuts strings short in many tools. Either is refused, naming the line.
public enum ScriptText {
    /// Why a script's bytes are not text: the line (from 1) and a sentence for the learner.
    public struct Invalid: Error, Equatable {
        /// The line holding the first bad byte, counted from 1.
        public let line: Int
        /// What is wrong and what would be right.
        public let message: String
    }

    /// The text of `bytes`, or where and why it is not a script's text.
    public static func decode(_ bytes: [UInt8]) -> Result<String, Invalid> {
        var line = 1
        var column = 1
        var position = 0
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                position += encoded.count
                if encoded.count == 1 && encoded.first == 0 {
                    return .failure(Invalid(line: line, message: "byte \(column) of the line is a NUL (0x00): a script is text; remove it"))
                }
                if encoded.count == 1 && encoded.first == UInt8(ascii: "\n") {
                    line += 1
                    column = 1
                } else {
                    column += encoded.count
                }
            case .error(let length):
                let shown = bytes[position..<position + length].map { hex($0) }.joined(separator: " ")
                return .failure(Invalid(line: line, message: "byte \(column) of the line (\(shown)) is not UTF-8: save the script as UTF-8 text"))
            case .emptyInput:
                return .success(String(decoding: bytes, as: UTF8.self))
            }
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return "0x" + (digits.count == 1 ? "0" + digits : digits)
    }
}
