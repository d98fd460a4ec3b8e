/// One token of an expression, with the byte offset it starts at.
struct Token: Equatable {
    enum Kind: Equatable {
        case number(ExactNumber)
        case string(String)
        case name(String)
        /// Punctuation and operators, by their text: `$ . [ ] ( ) { } , : + - * / % == != < <= > >=`.
        case symbol(String)
        case end
    }

    var kind: Kind
    var offset: Int

    /// The token as an error names it.
    var shown: String {
        switch kind {
        case .number(let number): "`\(number)`"
        case .string(let text): "`\(JSON.string(text))`"
        case .name(let name): "`\(name)`"
        case .symbol(let symbol): "`\(symbol)`"
        case .end: "the end of the expression"
        }
    }
}

/// Splits an expression's UTF-8 bytes into tokens. Newlines are whitespace like spaces, so an
/// expression may span lines.
struct Lexer {
    let source: [UInt8]

    /// The 1-based column of byte `offset`: characters, not bytes, so non-ASCII text counts once.
    func column(of offset: Int) -> Int {
        var column = 1
        for byte in source[..<min(offset, source.count)] where byte & 0xC0 != 0x80 { column += 1 }
        return column
    }

    func tokens() throws(ExpressionSyntaxError) -> [Token] {
        var tokens: [Token] = []
        var index = 0
        let twoByte: Set<String> = ["==", "!=", "<=", ">="]
        while true {
            while index < source.count, [0x20, 0x09, 0x0A, 0x0D].contains(source[index]) { index += 1 }
            guard index < source.count else {
                tokens.append(Token(kind: .end, offset: index))
                return tokens
            }
            let start = index
            let byte = source[index]
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                tokens.append(Token(kind: .number(try number(&index)), offset: start))
            case UInt8(ascii: "\""):
                tokens.append(Token(kind: .string(try string(&index)), offset: start))
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
                while index < source.count, Self.isNameByte(source[index]) { index += 1 }
                tokens.append(Token(kind: .name(String(decoding: source[start..<index], as: UTF8.self)), offset: start))
            default:
                if index + 1 < source.count {
                    let pair = String(decoding: source[index...index + 1], as: UTF8.self)
                    if twoByte.contains(pair) {
                        tokens.append(Token(kind: .symbol(pair), offset: start))
                        index += 2
                        continue
                    }
                }
                guard "$.[](){},:+-*/%<>".utf8.contains(byte) else {
                    let shown = byte < 0x80 && byte >= 0x21
                        ? "`\(Character(Unicode.Scalar(byte)))`" : "a character that is not part of the language"
                    let hint = byte == UInt8(ascii: "'") || byte == UInt8(ascii: "`")
                        ? " (text and names that are not plain words are written in double quotes)"
                        : byte == UInt8(ascii: "!") || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "|")
                        ? " (write `not`, `and`, `or`)" : byte == UInt8(ascii: "=") ? " (equality is `==`)" : ""
                    throw ExpressionSyntaxError(column: column(of: start), message: "unexpected \(shown)\(hint)")
                }
                tokens.append(Token(kind: .symbol(String(Character(Unicode.Scalar(byte)))), offset: start))
                index += 1
            }
        }
    }

    /// The word written at byte `offset`: name bytes and `-`, and `.` too when `dots`; what a
    /// learner meant as one name when an error suggests writing it in double quotes.
    func word(at offset: Int, dots: Bool) -> String {
        var end = offset
        while end < source.count,
              Self.isNameByte(source[end]) || source[end] == UInt8(ascii: "-") || (dots && source[end] == UInt8(ascii: ".")) {
            end += 1
        }
        return String(decoding: source[offset..<end], as: UTF8.self)
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"): true
        default: false
        }
    }

    /// Whether `name` is a plain word (a letter or `_`, then letters, digits and `_`), which
    /// needs no double quotes.
    static func isPlainWord(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return name.utf8.allSatisfy(isNameByte)
    }

    /// A number: digits with an optional decimal part (no sign: `-` is an operator; no exponent).
    private func number(_ index: inout Int) throws(ExpressionSyntaxError) -> ExactNumber {
        let start = index
        while index < source.count, source[index] >= UInt8(ascii: "0") && source[index] <= UInt8(ascii: "9") { index += 1 }
        if index + 1 < source.count, source[index] == UInt8(ascii: "."),
           source[index + 1] >= UInt8(ascii: "0") && source[index + 1] <= UInt8(ascii: "9") {
            index += 1
            while index < source.count, source[index] >= UInt8(ascii: "0") && source[index] <= UInt8(ascii: "9") { index += 1 }
        }
        if index < source.count, Self.isNameByte(source[index]) {
            throw ExpressionSyntaxError(column: column(of: index), message: "expected a digit or an operator after a number, found `\(Character(Unicode.Scalar(source[index])))`")
        }
        do throws(JSONError) {
            guard case .number(let number) = try JSONParser.parse(source[start..<index]) else {
                throw JSONError(offset: 0, message: "not a number")
            }
            return number
        } catch {
            let reason = error.message.hasPrefix("a number must not start") ? "a number must not start with `0` followed by more digits" : error.message
            throw ExpressionSyntaxError(column: column(of: start), message: reason)
        }
    }

    /// A string in double quotes, with JSON's escapes.
    private func string(_ index: inout Int) throws(ExpressionSyntaxError) -> String {
        let start = index
        do throws(JSONError) {
            return try source.withUnsafeBufferPointer { buffer throws(JSONError) -> String in
                var cursor = JSONParser.Cursor(bytes: buffer, index: start)
                let text = try cursor.string()
                index = cursor.index
                return text
            }
        } catch {
            let message = error.message.contains("end of the input")
                ? "expected `\"` to end the text that starts here, found the end of the expression" : error.message
            let column = error.message.contains("end of the input") ? column(of: start) : column(of: error.offset)
            throw ExpressionSyntaxError(column: column, message: message)
        }
    }
}
