/// Turns the words of one command into an ``Invocation``, checking them against the registry.
public enum CommandParser {
    /// Parses `words`, the output of ``Words/split(_:)``, as one of `registry`'s commands.
    public static func parse(_ words: [String], registry: CommandRegistry = .standard) throws(ShellError) -> Invocation {
        guard let first = words.first else { throw ShellError("empty command") }
        if let rename = registry.renamed.first(where: { words.starts(with: $0.old) }) {
            var invocation = try parse(rename.new + words.dropFirst(rename.old.count), registry: registry)
            invocation.renamed = rename
            return invocation
        }
        if let rename = registry.renamed.first(where: { $0.old[0] == first }) {
            throw ShellError("'\(words.joined(separator: " "))' is not a command: \(rename.retired)")
        }
        let word = registry.aliases[first] ?? first
        let family = registry.family(word)
        guard !family.isEmpty else {
            throw ShellError("unknown command '\(first)'\(suggestion(first, among: registry.commandWords)); `help` lists the commands")
        }
        var rest = Array(words.dropFirst())
        let subcommands = family.filter { $0.spec.path.count == 2 }.map { $0.spec.path[1] }
        var command = family.first { $0.spec.path.count == 1 }
        let bareName = registry.bareNames[word]
        var isBareName = false
        if !subcommands.isEmpty, let next = rest.first, !next.hasPrefix("--") {
            if let chosen = family.first(where: { $0.spec.path.count == 2 && $0.spec.path[1] == next }) {
                command = chosen
                rest.removeFirst()
            } else if let bareName {
                command = bareName.command
                isBareName = true
            } else if command?.spec.arguments.isEmpty ?? true {
                throw ShellError("'\(word) \(next)' is not a command\(suggestion(next, among: subcommands)); \(word) takes: \(subcommands.joined(separator: ", "))")
            }
        }
        guard let command else {
            throw ShellError("'\(word)' needs one of: \(subcommands.joined(separator: ", ")) (for example `\(family[0].spec.examples[0])`)")
        }
        let spec = command.spec
        var invocation: Invocation
        do {
            invocation = try parse(rest, as: command)
        } catch {
            // `show topic` alone may have meant a topic or group called `topic`.
            guard let bareName, rest.isEmpty, spec.path.count == 2, !isBareName else { throw error }
            throw ShellError("\(error.message); \(bareName.hint(spec.path[1]))")
        }
        invocation.isBareName = isBareName
        return invocation
    }

    private static func parse(_ words: [String], as command: any ShellCommand.Type) throws(ShellError) -> Invocation {
        let spec = command.spec
        var invocation = Invocation(command: command, arguments: [], options: [:], flags: [])
        var index = 0
        while index < words.count {
            let word = words[index]
            index += 1
            if word.hasPrefix("--") && word.count > 2 && !spec.takesText {
                var name = word
                var inline: String?
                if let equals = word.firstIndex(of: "=") {
                    name = String(word[..<equals])
                    inline = String(word[word.index(after: equals)...])
                }
                guard let option = spec.option(name) else {
                    let known = spec.options.map(\.name)
                    let hint = known.isEmpty ? "`\(spec.name)` takes no options" : "`\(spec.name)` takes: \(known.joined(separator: ", "))"
                    throw ShellError("unknown option '\(name)'\(suggestion(name, among: known)); \(hint)")
                }
                guard let kind = option.value else {
                    if inline != nil { throw ShellError("\(name) is a flag and takes no value") }
                    invocation.flags.insert(name)
                    continue
                }
                var value: String
                if let inline {
                    value = inline
                } else {
                    guard index < words.count else {
                        throw ShellError("\(name) needs a value:\(option.valueName) (usage: \(spec.usage))")
                    }
                    value = words[index]
                    index += 1
                }
                if kind.pairs.contains(value) {
                    guard index < words.count else { throw ShellError("\(name) \(value) needs a value after it, such as `\(name) \(value) 5`") }
                    value += " " + words[index]
                    index += 1
                }
                if invocation.options[name] != nil && !option.isRepeatable {
                    throw ShellError("\(name) is given twice; give it once")
                }
                invocation.options[name, default: []].append(value)
            } else {
                invocation.arguments.append(word)
            }
        }
        let variadic = spec.arguments.last?.isVariadic ?? false
        if !variadic && invocation.arguments.count > spec.arguments.count {
            let extra = invocation.arguments[spec.arguments.count]
            throw ShellError("unexpected '\(extra)': usage: \(spec.usage)")
        }
        let required = spec.arguments.filter { !$0.isOptional }.count
        if invocation.arguments.count < required {
            let missing = spec.arguments[invocation.arguments.count]
            throw ShellError("`\(spec.name)` needs \(missing.name): usage: \(spec.usage)")
        }
        return invocation
    }

    /// ` (did you mean 'x'?)` when a candidate is close to `word`.
    static func suggestion(_ word: String, among candidates: [String]) -> String {
        closest(word, among: candidates).map { " (did you mean '\($0)'?)" } ?? ""
    }

    /// The candidate closest to `word`, when one is close enough to be a slip of it; the first
    /// by order among equally close ones, so the answer is the same every time.
    static func closest(_ word: String, among candidates: [String]) -> String? {
        let scored = candidates.sorted().map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(1, min(2, word.count / 3)) else { return nil }
        return best.0
    }

    /// The edits that turn `a` into `b`: inserting, deleting or changing a character, or
    /// swapping two neighbours (`strat` is one edit from `start`), the commonest slip of a typist.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var beforePrevious: [Int] = []
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
            }
            beforePrevious = previous
            previous = current
        }
        return previous[b.count]
    }
}
