import EventLabCore

/// A command: the write side of CQRS. It is validated against an aggregate's current state for
/// one key and either appends events to the aggregate's topic or is rejected, writing nothing.
/// Written after `command NAME`:
///
///     --aggregate AGGREGATE [--key EXPR]
///         when CONDITION emit TOPIC TEMPLATE [emit TOPIC TEMPLATE]...
///         [when CONDITION emit …]...
///         [else reject MESSAGE | else emit TOPIC TEMPLATE…]
///
/// or, for a command that always emits, `--aggregate AGGREGATE emit TOPIC TEMPLATE…`.
///
/// Expressions read the command's payload as `$` and the key's current state as `state`, as an
/// aggregate's rules do; the key expression reads the payload only. Branches are tried in order
/// and the first whose condition holds emits; `else emit` emits when none holds; otherwise the
/// command is rejected with MESSAGE, or a message saying no condition held. Only top-level words
/// count (outside double quotes and brackets), and `else` ends the branches only when `reject` or
/// `emit` follows it, so a condition may hold `if … then … else …`.
public struct Command: Sendable, CustomStringConvertible {
    /// The command's name.
    public let name: String
    /// The aggregate it validates against, and whose topic its events go to.
    public let aggregate: String
    /// The key read from the payload; nil for the aggregate's own key expression.
    public let key: Expression?
    /// The branches, tried in order.
    public let branches: [CommandBranch]
    /// The message of a rejection; nil for ``defaultRejection``.
    public let rejection: Expression?
    /// The definition as written after the name, without surrounding spaces; errors count columns in it.
    public let source: String
    let keyColumn: Int
    let rejectionColumn: Int

    /// Parses `text`, the definition after `command NAME`, or says at which column it goes wrong
    /// and what was expected.
    public init(name: String, _ text: String) throws(RuleSyntaxError) {
        self.name = name
        source = text.trimmingWhitespace
        let words = RuleWords(source)
        let count = words.words.count
        func fail(_ index: Int, _ message: String) -> RuleSyntaxError {
            RuleSyntaxError(column: words.column(index), message: message)
        }
        func word(_ index: Int) -> String? { index < count ? words.words[index].text : nil }

        var index = 0
        var aggregate: String?
        var key: Expression?
        var keyColumn = 0
        while let option = word(index), option.hasPrefix("--") {
            switch option {
            case "--aggregate":
                guard aggregate == nil else { throw fail(index, "the command already names its aggregate: give --aggregate once") }
                guard let named = word(index + 1), !Self.isKeyword(named), (try? TopicName(named)) != nil else {
                    throw fail(index + 1, "expected the aggregate's name after --aggregate, found \(words.shown(index + 1))")
                }
                aggregate = named
                index += 2
            case "--key":
                guard key == nil else { throw fail(index, "the command already has a key: give --key once") }
                let end = (index + 1..<count).first { ["--aggregate", "when", "emit"].contains(words.words[$0].text) } ?? count
                guard end > index + 1 else {
                    throw fail(index + 1, "expected an expression reading the key from the payload after --key, e.g. --key $.account, found \(words.shown(index + 1))")
                }
                keyColumn = words.column(index + 1)
                key = try Self.compile(words.span(index + 1, end), at: keyColumn, "key", parameter: nil)
                index = end
            default:
                throw fail(index, "expected --aggregate NAME, --key EXPR or a branch (`when CONDITION emit TOPIC TEMPLATE`), found \(words.shown(index))")
            }
        }
        let options = ["--aggregate", "--key"]
        if let misplaced = (index..<count).first(where: { options.contains(words.words[$0].text) }) {
            // The option and its value, moved before the branches, show the form meant.
            let end = (misplaced + 1..<count).first { (options + ["when", "emit", "else"]).contains(words.words[$0].text) } ?? count
            let moved = [words.span(0, index), words.span(misplaced, end)].filter { !$0.isEmpty }.joined(separator: " ")
            let branches = index < count ? " \(words.words[index].text) …" : ""
            throw fail(misplaced, "the options (--aggregate NAME, --key EXPR) go before the branches, but \(words.words[misplaced].text) follows them: write `command \(name) \(moved)\(branches)`")
        }
        guard let aggregate else {
            throw fail(index, "expected --aggregate NAME first: the aggregate whose state the command is validated against, e.g. --aggregate account")
        }
        self.aggregate = aggregate
        self.key = key
        self.keyColumn = keyColumn

        let elseIndex = (index..<count).first { words.words[$0].text == "else" && ["reject", "emit"].contains(word($0 + 1)) }
        let bodyEnd = elseIndex ?? count
        var branches: [CommandBranch] = []
        while index < bodyEnd {
            if let last = branches.last, last.condition == nil {
                throw fail(index, "a command that emits without `when` always emits, so no branch after it is ever tried: write the branches as `when CONDITION emit …` and end with `else emit …`")
            }
            var condition: Expression?
            var conditionColumn = 0
            if word(index) == "when" {
                guard let emit = (index + 1..<bodyEnd).first(where: { words.words[$0].text == "emit" }) else {
                    throw fail(bodyEnd, "expected `emit` and a topic after the condition, found \(words.shown(bodyEnd))")
                }
                guard emit > index + 1 else { throw fail(index + 1, "expected a condition after `when`, found \(words.shown(index + 1))") }
                conditionColumn = words.column(index + 1)
                condition = try Self.compile(words.span(index + 1, emit), at: conditionColumn, "condition of branch \(branches.count + 1)")
                index = emit
            } else if word(index) != "emit" || !branches.isEmpty {
                throw fail(index, "expected a branch, `when CONDITION emit TOPIC TEMPLATE` (or `emit TOPIC TEMPLATE` to always emit), found \(words.shown(index))")
            }
            branches.append(CommandBranch(
                condition: condition, conditionColumn: conditionColumn,
                emits: try Self.emits(words, from: index, to: bodyEnd, branch: branches.count + 1, next: &index)))
        }
        guard !branches.isEmpty else {
            throw fail(index, "expected a branch, `when CONDITION emit TOPIC TEMPLATE` (or `emit TOPIC TEMPLATE` to always emit), found \(words.shown(index))")
        }
        rejectionColumn = elseIndex.map { words.column($0 + 2) } ?? 0
        var rejection: Expression?
        if let elseIndex {
            guard branches.last?.condition != nil else {
                throw fail(elseIndex, "a command that emits without `when` always emits, so `else` never applies: drop one of them")
            }
            if word(elseIndex + 1) == "emit" {
                var end = elseIndex + 1
                branches.append(CommandBranch(
                    condition: nil, conditionColumn: 0,
                    emits: try Self.emits(words, from: elseIndex + 1, to: count, branch: branches.count + 1, next: &end)))
                if end < count {
                    throw fail(end, "`else emit …` is the last branch: nothing may follow it, found \(words.shown(end))")
                }
            } else {
                guard elseIndex + 2 < count else {
                    throw fail(elseIndex + 2, "expected the rejection's message after `reject`, e.g. reject \"insufficient funds\", found the end of the command")
                }
                rejection = try Self.compile(words.span(elseIndex + 2, count), at: rejectionColumn, "message", parameter: AggregateRule.stateName)
            }
        }
        self.rejection = rejection
        self.branches = branches
    }

    public var description: String { source }

    /// The message of a rejection without `else reject`.
    public var defaultRejection: String { "no condition of \(name) holds" }

    /// The command in lines: what it validates against, its branches, and its rejection.
    public func describe(keyOfAggregate: Expression?) -> [String] {
        let keyText = key.map { "\($0)" } ?? keyOfAggregate.map { "\($0) (the aggregate's key)" } ?? "the aggregate's key"
        var lines = ["command \(name) validates against aggregate \(aggregate), keyed by \(keyText)"]
        for (number, branch) in branches.enumerated() {
            let emits = branch.emits.map { "emit \($0.topic) \($0.template)" }.joined(separator: " ")
            if let condition = branch.condition {
                lines.append("  \(number + 1). when \(condition) \(emits)")
            } else {
                lines.append(branches.count == 1 ? "  1. \(emits)" : "  else \(emits)")
            }
        }
        if branches.last?.condition != nil {
            lines.append("  else reject " + (rejection.map(\.description) ?? "(\(defaultRejection))"))
        }
        return lines
    }

    /// The words that start a part of the definition, which cannot name an aggregate.
    private static func isKeyword(_ word: String) -> Bool { ["when", "emit", "else", "reject"].contains(word) || word.hasPrefix("--") }

    /// The `emit TOPIC TEMPLATE`s from word `start`, which is `emit`, up to `end` or a word that is
    /// not `emit`; `next` becomes the word after the last template.
    private static func emits(
        _ words: RuleWords, from start: Int, to end: Int, branch: Int, next: inout Int
    ) throws(RuleSyntaxError) -> [CommandEmit] {
        var emits: [CommandEmit] = []
        next = start
        while next < end, words.words[next].text == "emit" {
            emits.append(try emit(words, at: next, before: end, branch: branch, next: &next))
        }
        return emits
    }

    /// `emit TOPIC TEMPLATE` at word `index`; `next` becomes the word after the template.
    private static func emit(
        _ words: RuleWords, at index: Int, before end: Int, branch: Int, next: inout Int
    ) throws(RuleSyntaxError) -> CommandEmit {
        func fail(_ index: Int, _ message: String) -> RuleSyntaxError {
            RuleSyntaxError(column: words.column(index), message: message)
        }
        guard index + 1 < end, let topic = try? TopicName(words.words[index + 1].text) else {
            throw fail(index + 1, "expected a topic after `emit` (the aggregate's own), found \(index + 1 < end ? words.shown(index + 1) : "the end of the branch")")
        }
        let start = index + 2
        let templateEnd = (start..<end).first { ["emit", "when"].contains(words.words[$0].text) } ?? end
        guard templateEnd > start else {
            throw fail(start, "expected a template after the topic, e.g. {\"type\":\"Withdrawn\",\"amount\":$.amount}, found \(start < end ? words.shown(start) : "the end of the branch")")
        }
        if words.words[templateEnd - 1].text == "else" {
            throw fail(templateEnd - 1, "`else` takes `reject MESSAGE` or `emit TOPIC TEMPLATE`, found \(words.shown(templateEnd))")
        }
        let column = words.column(start)
        let template = try compile(words.span(start, templateEnd), at: column, "template of branch \(branch)", parameter: AggregateRule.stateName)
        next = templateEnd
        return CommandEmit(topic: topic.rawValue, template: template, topicColumn: words.column(index + 1), column: column)
    }

    private static func compile(_ source: String, at column: Int, _ part: String, parameter: String? = AggregateRule.stateName) throws(RuleSyntaxError) -> Expression {
        do throws(ExpressionSyntaxError) {
            return try Expression(source, parameter: parameter, hasEvent: true, selfContained: .command)
        } catch {
            throw RuleSyntaxError(column: column + error.column - 1, message: "in the \(part): \(error.message)")
        }
    }
}

/// One branch of a command: a condition on the payload and the state, and the events it emits.
public struct CommandBranch: Sendable {
    /// The condition; nil for a last branch that always applies.
    public let condition: Expression?
    /// Where the condition starts in the command's source (1-based); 0 without one.
    let conditionColumn: Int
    /// The events emitted, in order.
    public let emits: [CommandEmit]
}

/// One `emit TOPIC TEMPLATE` of a branch.
public struct CommandEmit: Sendable {
    /// The topic written to: it must be the aggregate's own.
    public let topic: String
    /// The event's value.
    public let template: Expression
    /// Where the topic and the template start in the command's source (1-based).
    let topicColumn: Int
    let column: Int
}

/// A command that cannot be defined or sent, with what would be right.
public struct CommandError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
