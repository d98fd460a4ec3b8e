/// Errors that suggest the quoted form of a name a learner wrote with `-` or `.`, where the
/// language reads a plain word and then an operator or a step.
extension ExpressionParser {
    /// When a call's name runs on with `-` or `.` (`call customer-svc.q(…)`) at `found`, how to
    /// write it: the names as one word, split at its last `.`, each quoted unless plain. Empty
    /// otherwise.
    static func quotedCallHint(found: Token, service: Token, query: Token?, _ lexer: Lexer) -> String {
        let name = query ?? service
        guard found.kind == .symbol("-") || found.kind == .symbol("."), case .name(let written) = name.kind,
              found.offset == name.offset + written.utf8.count
        else { return "" }
        let names: (service: String, query: String)
        if case .string(let quoted) = service.kind, let query {
            names = (quoted, lexer.word(at: query.offset, dots: true))
        } else {
            let word = lexer.word(at: service.offset, dots: true)
            if let dot = word.lastIndex(of: "."), word.index(after: dot) != word.endIndex {
                names = (String(word[..<dot]), String(word[word.index(after: dot)...]))
            } else {
                names = (word.hasSuffix(".") ? String(word.dropLast()) : word, "QUERY")
            }
        }
        return ": a name that is not a plain word is written in double quotes, e.g. call \(Evaluator.callName(names.service, names.query))(…)"
    }

    /// Why an unknown `name` (at byte `offset`) followed at once by `next`, a `-`, is refused:
    /// `customer-view` was meant as text or a field, not a subtraction. Nil otherwise.
    static func dashedName(_ name: String, before next: Token, _ lexer: Lexer, at offset: Int) -> String? {
        guard next.kind == .symbol("-"), next.offset == offset + name.utf8.count else { return nil }
        let word = lexer.word(at: offset, dots: false)
        return "unknown name `\(name)`: text is written in double quotes, `\(JSON.string(word))`, and a field of the event `$.\(Evaluator.written(word))`"
    }

    /// Why `$.order-no` is refused, when the field name `name` at token `position` is followed at
    /// once by `-` and a name that means nothing in the language, so it would read as
    /// `$.order - no`; nil otherwise. `pathStart` is where the path begins, to show it whole.
    static func dashedField(
        _ name: String, at position: Int, in tokens: [Token], pathStart: Int, _ lexer: Lexer, parameter: String?
    ) -> String? {
        let dash = tokens[position + 1]
        guard dash.kind == .symbol("-"), dash.offset == tokens[position].offset + name.utf8.count, position + 2 < tokens.count,
              case .name(let next) = tokens[position + 2].kind, tokens[position + 2].offset == dash.offset + 1,
              !isLanguageName(next), next != parameter
        else { return nil }
        let prefix = String(decoding: lexer.source[pathStart..<tokens[position].offset], as: UTF8.self)
        let word = lexer.word(at: tokens[position].offset, dots: false)
        return "`\(word)` is not a plain word: a field name with `-` is written in double quotes, `\(prefix)\(JSON.string(word))`"
    }
}
