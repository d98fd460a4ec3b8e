/// `help [COMMAND]`: the overview, or one command's page with examples, read from the registry.
struct Help: ShellCommand {
    static let spec = CommandSpec(
        path: ["help"], arguments: [ArgumentSpec("COMMAND", .command, optional: true, variadic: true)], options: [],
        summary: "List the commands, or explain one with examples.",
        teaches: "Every command says what it teaches.",
        examples: ["help", "help publish"])

    /// The command asked about, empty for the overview.
    let words: [String]

    init(_ words: Invocation) { self.words = words.arguments }

    func run(in shell: Shell) throws {
        let registry = shell.registry
        guard !words.isEmpty else {
            return shell.say(Self.overview(registry) + (shell.sessionSummary.map { "\n\nThis session: \($0)." } ?? ""))
        }
        var wanted = words.joined(separator: " ")
        if let rename = registry.renamed.first(where: { $0.old.joined(separator: " ") == wanted }) {
            wanted = rename.new.joined(separator: " ")
            shell.say("`\(rename.old.joined(separator: " "))` is now `\(wanted)`\n")
        }
        let matches = registry.specs.filter { $0.name == wanted || $0.path[0] == wanted || $0.path[0] == registry.aliases[wanted] }
        guard !matches.isEmpty else {
            let names = registry.specs.map(\.name) + registry.commandWords
            throw ShellError("no command '\(wanted)'\(CommandParser.suggestion(wanted, among: Array(Set(names)).sorted())); `help` lists them")
        }
        shell.say(matches.map(Self.page).joined(separator: "\n\n"))
        if let note = registry.notes[wanted] { shell.say("\n" + Self.wrap(note, width: 80).joined(separator: "\n")) }
    }

    /// One command's page: summary, usage, options, what it teaches, examples.
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

    /// Every command with its summary, in the registry's order.
    static func overview(_ registry: CommandRegistry) -> String {
        let width = registry.specs.map(\.name.count).max() ?? 0
        let rows = registry.specs.map { "  \($0.name)\(String(repeating: " ", count: width - $0.name.count + 2))\($0.summary)" }
        return (["EventLab commands (`help COMMAND` explains one, with examples):"] + rows
            + ["", "Separate commands with `;`; end a line with `\\` to continue it on the next.", "Tab completes commands, options and names."]).joined(separator: "\n")
    }
}
