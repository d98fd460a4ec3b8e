import EventLabPatterns

/// The words after `KIND NAME` in a command that edits numbered rules (`service`, `aggregate`,
/// `projection`): `on …` adds a rule, `rule N on …` adds it as rule N, `replace N on …` replaces
/// rule N and `remove N` removes it. The kinds share these words and their errors; each passes in
/// its own word, its usage and its other commands.
enum RuleEdit {
    /// What the words ask of the rules.
    enum Change {
        case add(number: Int?, rule: String)
        case replace(Int, rule: String)
        case remove(Int)
    }

    /// An example a kind gives when its rule was typed without a name (`aggregate on …`): the
    /// name (`account`) and what follows `on` (`Deposited set balance = …`).
    typealias Example = (name: String, rule: String)

    /// What follows the name, as typed and on one line as an upcaster is kept: each line break
    /// outside quotes, with the spaces around it, made one space; expressions keep their quotes
    /// and the spaces within a line.
    static func text(_ words: Invocation) -> String {
        RuleText.oneLine(Words.text(of: words.text, after: 1))
    }

    /// Parses `KIND NAME on|rule N|replace N|remove N …`. `usage` says the forms for a name
    /// (`say `aggregate NAME on …``); `commands` are the kind's commands, to suggest one for a
    /// mistyped subcommand; `example`, when given, catches a rule whose name was left out.
    static func parse(
        _ words: Invocation, kind: String, usage: (String) -> String, commands: [any ShellCommand.Type],
        example: Example? = nil
    ) throws(ShellError) -> (name: String, change: Change) {
        let name = words.arguments[0]
        let text = text(words)
        let rest = Array(words.arguments.dropFirst())
        if let example, ["on", "rule", "replace", "remove"].contains(name) {
            let rule = name == "on" ? "on \(example.rule)" : name == "remove" ? "remove 2" : "\(name) 2 on …"
            throw ShellError("`\(kind) \(name)` needs the \(kind)'s name first: say `\(kind) NAME \(name) …`, e.g. `\(kind) \(example.name) \(rule)`")
        }
        let usage = usage(name)
        switch rest.first {
        case "on":
            return (name, .add(number: nil, rule: text))
        case "rule", "replace", "remove":
            guard rest.count >= 2, let number = Int(rest[1]), number > 0 else {
                throw ShellError("`\(rest[0])` needs a rule number after it, as `\(kind) describe \(name)` lists them: \(usage)")
            }
            let rule = Words.text(of: text, after: 2)
            switch rest[0] {
            case "remove":
                guard rest.count == 2 else { throw ShellError("`\(kind) \(name) remove \(number)` takes nothing more; to change the rule, say `\(kind) \(name) replace \(number) on …`") }
                return (name, .remove(number))
            case "replace": return (name, .replace(number, rule: rule))
            default: return (name, .add(number: number, rule: rule))
            }
        case nil:
            let subcommands = commands.filter { $0.spec.path[0] == kind }.map { $0.spec.path[1] }.filter { $0 != "rule" }
            let suggestion = CommandParser.suggestion(name, among: subcommands)
            guard suggestion.isEmpty else { throw ShellError("'\(kind) \(name)' is not a command\(suggestion); `help \(kind)` lists what `\(kind)` takes") }
            throw ShellError("`\(kind) \(name)` needs a rule: \(usage)")
        case let other?:
            throw ShellError("'\(other)' after `\(kind) \(name)` is not a rule: \(usage); `help \(kind)` lists what `\(kind)` takes")
        }
    }

    /// Parses a rule's text with the kind's parser, its error placed by column.
    static func rule<Rule>(_ text: String, _ parse: (String) throws(RuleSyntaxError) -> Rule) throws(ShellError) -> Rule {
        do throws(RuleSyntaxError) {
            return try parse(text)
        } catch {
            throw ShellError("the rule at column \(error.column): \(error.message)")
        }
    }
}
