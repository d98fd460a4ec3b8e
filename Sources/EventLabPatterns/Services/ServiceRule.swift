import EventLabCore

/// One rule of a service, written after `service NAME`:
///
///     on TYPE [when CONDITION] emit TOPIC TEMPLATE [key=EXPR] [--header NAME=EXPR]...
///
/// `CONDITION` runs to the word `emit`; `TEMPLATE` runs to the first `key=` or `--header`, or to
/// the end; each option's expression runs to the next option. Only words outside double quotes
/// and brackets count, so a template may hold spaces and even the text `" key="`.
public struct ServiceRule: Sendable, CustomStringConvertible {
    /// An emitted header: its name and the expression giving its value.
    public struct HeaderTemplate: Sendable {
        public let name: String
        public let value: Expression
    }

    /// The event type the rule reacts to.
    public let eventType: String
    /// The condition an event must meet, if any.
    public let condition: Expression?
    /// The topic the rule emits to.
    public let topic: TopicName
    /// The emitted value.
    public let template: Expression
    /// The emitted key, if any; text becomes its UTF-8 bytes, anything else its compact JSON.
    public let key: Expression?
    /// Emitted headers, in the order written.
    public let headers: [HeaderTemplate]
    /// The rule as written, without surrounding spaces; evaluation errors count columns in it.
    public let source: String

    /// Where each expression starts in `source` (1-based), to place an evaluation error.
    let conditionColumn: Int
    let templateColumn: Int
    let keyColumn: Int
    let headerColumns: [Int]

    /// Parses `text`, or says at which column it goes wrong and what was expected.
    public init(_ text: String) throws(RuleSyntaxError) {
        source = text.trimmingWhitespace
        let words = RuleWords(source)
        func fail(_ index: Int, _ message: String) -> RuleSyntaxError {
            RuleSyntaxError(column: words.column(index), message: message)
        }
        func word(_ index: Int) -> String? { index < words.words.count ? words.words[index].text : nil }

        let head = try RuleHead(
            words, actions: ["emit"], named: "`emit`", afterCondition: "`emit` and a topic", verb: "reacts to", compile: Self.compile)
        (eventType, condition, conditionColumn) = (head.eventType, head.condition, head.conditionColumn)
        let index = head.action

        guard let topicName = word(index + 1) else {
            throw fail(index + 1, "expected a topic after `emit`, found the end of the rule")
        }
        do throws(BrokerError) {
            topic = try TopicName(topicName)
        } catch {
            throw fail(
                index + 1,
                "expected a topic after `emit`: 1 to 249 of a-z A-Z 0-9 . _ - (not `.` or `..`), found \(words.shown(index + 1))")
        }

        let templateStart = index + 2
        let optionStarts = (templateStart..<words.words.count).filter { Self.isOption(words.words[$0].text) }
        let templateEnd = optionStarts.first ?? words.words.count
        guard templateEnd > templateStart else {
            throw fail(templateStart, "expected a template after the topic, e.g. {\"order\": $.id}, found \(words.shown(templateStart))")
        }
        templateColumn = words.column(templateStart)
        template = try Self.compile(words.span(templateStart, templateEnd), at: templateColumn, "template")

        var key: Expression?
        var keyColumn = 0
        var headers: [HeaderTemplate] = []
        var headerColumns: [Int] = []
        for (position, option) in optionStarts.enumerated() {
            let end = position + 1 < optionStarts.count ? optionStarts[position + 1] : words.words.count
            let first = words.words[option]
            if first.text == "--header" {
                guard option + 1 < end, let (name, written) = Self.headerName(words.words[option + 1].text) else {
                    throw fail(option + 1, "expected NAME=EXPRESSION after `--header`, found \(words.shown(option + 1))")
                }
                let nameWord = words.words[option + 1]
                guard !name.isEmpty else { throw fail(option + 1, "expected a header name before `=`") }
                let valueStart = nameWord.start + written + 1
                let column = valueStart + 1
                let valueSource = RuleWords.text(words.scalars[valueStart..<words.words[end - 1].end])
                guard !valueSource.isEmpty else {
                    throw RuleSyntaxError(column: column, message: "expected an expression after `\(name)=`")
                }
                headers.append(HeaderTemplate(name: name, value: try Self.compile(valueSource, at: column, "header \(name)")))
                headerColumns.append(column)
            } else {
                guard key == nil else { throw fail(option, "the rule already has a key: give `key=` once") }
                let valueStart = first.start + 4
                keyColumn = valueStart + 1
                let valueSource = RuleWords.text(words.scalars[valueStart..<words.words[end - 1].end])
                guard !valueSource.isEmpty else {
                    throw RuleSyntaxError(column: keyColumn, message: "expected an expression after `key=`, e.g. key=$.id")
                }
                key = try Self.compile(valueSource, at: keyColumn, "key")
            }
        }
        self.key = key
        self.keyColumn = keyColumn
        self.headers = headers
        self.headerColumns = headerColumns
    }

    public var description: String { source }

    /// Every expression of the rule: its condition, template, key and headers.
    public var expressions: [Expression] {
        [condition, key].compactMap { $0 } + [template] + headers.map(\.value)
    }

    /// `key=` (but not `key==`, a comparison) or `--header` starts an option.
    private static func isOption(_ word: String) -> Bool {
        word == "--header" || (word.hasPrefix("key=") && !word.hasPrefix("key=="))
    }

    /// The header name at the start of `word` (the text before its `=`) and how many scalars it
    /// is written in. A name in double quotes loses them, as everywhere in the language: `"h-3"=1`
    /// names the header `h-3`, and a quoted name may hold `=`. Nil when no `=` follows the name.
    private static func headerName(_ word: String) -> (name: String, written: Int)? {
        let scalars = Array(word.unicodeScalars)
        guard scalars.first == "\"" else {
            guard let equals = scalars.firstIndex(of: "=") else { return nil }
            return (RuleWords.text(scalars[..<equals]), equals)
        }
        var escaped = false
        for index in scalars.indices.dropFirst() {
            if escaped { escaped = false } else if scalars[index] == "\\" { escaped = true } else if scalars[index] == "\"" {
                guard index + 1 < scalars.count, scalars[index + 1] == "=",
                      case .string(let name)? = try? JSONParser.parse(RuleWords.text(scalars[...index]))
                else { return nil }
                return (name, index + 1)
            }
        }
        return nil
    }

    private static func compile(_ source: String, at column: Int, _ part: String) throws(RuleSyntaxError) -> Expression {
        do throws(ExpressionSyntaxError) {
            return try Expression(source)
        } catch {
            throw RuleSyntaxError(column: column + error.column - 1, message: "in the \(part): \(error.message)")
        }
    }
}

extension String {
    /// The text without leading and trailing whitespace.
    var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
