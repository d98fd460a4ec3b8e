extension Shell {
    func help(_ invocation: Invocation) throws {
        guard !invocation.arguments.isEmpty else {
            return say(Self.overview + (sessionSummary.map { "\n\nThis session: \($0)." } ?? ""))
        }
        var wanted = invocation.arguments.joined(separator: " ")
        if let rename = Catalog.renamed.first(where: { $0.old.joined(separator: " ") == wanted }) {
            wanted = rename.new.joined(separator: " ")
            say("`\(rename.old.joined(separator: " "))` is now `\(wanted)`\n")
        }
        let matches = Catalog.commands.filter { $0.name == wanted || $0.path[0] == wanted || ($0.path[0] == "exit" && wanted == "quit") }
        guard !matches.isEmpty else {
            let names = Catalog.commands.map(\.name) + Catalog.commandWords
            throw ShellError("no command '\(wanted)'\(CommandParser.suggestion(wanted, among: Array(Set(names)).sorted())); `help` lists them")
        }
        say(matches.map(Self.page).joined(separator: "\n\n"))
        if wanted == "show" { say("\n" + Self.wrap(Catalog.showNames, width: 80).joined(separator: "\n")) }
    }

    static func page(_ spec: CommandSpec) -> String {
        var lines = [spec.summary, "", "usage: \(spec.usage)"]
        if !spec.options.isEmpty {
            lines.append("")
            for option in spec.options {
                lines.append("  \(option.name)\(option.valueName)")
                lines += wrap(option.help, width: 72).map { "      \($0)" }
            }
        }
        lines += [""] + wrap("Kafka: \(spec.teaches)", width: 80) + ["", "examples:"] + spec.examples.map { "  \($0)" }
        return lines.joined(separator: "\n")
    }

    /// `text` broken at spaces into lines of at most `width` characters.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    static let overview: String = {
        let width = Catalog.commands.map(\.name.count).max() ?? 0
        let rows = Catalog.commands.map { "  \($0.name)\(String(repeating: " ", count: width - $0.name.count + 2))\($0.summary)" }
        return (["EventLab commands (`help COMMAND` explains one, with examples):"] + rows
            + ["", "Separate commands with `;`. Tab completes commands, options and names."]).joined(separator: "\n")
    }()
}
