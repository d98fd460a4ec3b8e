import EventLabCore
import EventLabPatterns
import Foundation

/// What Tab offers at the cursor: commands, sub-commands, options, the live names — topics,
/// groups, partitions — that the position expects, and file names for `source`.
public struct Completer {
    let broker: Broker
    /// The commands whose words complete.
    let registry: CommandRegistry
    /// The entries of a directory, each a name with `/` after a directory's; nil when unreadable.
    let listDirectory: (String) -> [String]?
    /// The numbers and slugs of the lessons there are.
    let lessonNames: () -> [String]
    /// The step numbers of the lesson a word names.
    let lessonSteps: (String) -> [String]
    /// The services and tables built so far, whose names complete.
    let flows: () -> Flows

    /// A completer of `registry`'s commands over `broker`'s names, `lessonNames`' lessons (with
    /// `lessonSteps`' steps), the names in `flows` and, by default, the file system's names.
    public init(
        broker: Broker, registry: CommandRegistry = .standard, listDirectory: @escaping (String) -> [String]? = Completer.entries,
        lessonNames: @escaping () -> [String] = { [] }, lessonSteps: @escaping (String) -> [String] = { _ in [] },
        flows: @escaping () -> Flows = { Flows() }
    ) {
        self.flows = flows
        self.broker = broker
        self.registry = registry
        self.listDirectory = listDirectory
        self.lessonNames = lessonNames
        self.lessonSteps = lessonSteps
    }

    /// The entries of `directory` on disk, directories marked with `/`.
    public static func entries(of directory: String) -> [String]? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return nil }
        return names.map { name in
            var isDirectory: ObjCBool = false
            let path = (directory as NSString).appendingPathComponent(name)
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue ? name + "/" : name
        }
    }

    /// Candidates for the word that ends at the cursor, and its length (to replace).
    public func complete(_ text: String) -> (replacing: Int, candidates: [String]) {
        let lastCommand = text.split(separator: ";", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        var words = lastCommand.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let partial = lastCommand.hasSuffix(" ") || lastCommand.isEmpty ? "" : (words.popLast() ?? "")
        let candidates = options(after: words, partial: partial).filter { $0.hasPrefix(partial) }
        return (partial.count, Array(Set(candidates)).sorted())
    }

    private func options(after words: [String], partial: String) -> [String] {
        guard let first = words.first else { return registry.commandWords }
        let command = registry.aliases[first] ?? first
        let family = registry.family(command).map { $0.spec }
        let subcommands = family.filter { $0.path.count == 2 }.map { $0.path[1] }
        if words.count == 1 && !subcommands.isEmpty {
            if let bareName = registry.bareNames[command] {
                return subcommands + bareName.kinds.flatMap { values($0, topic: nil, partial: partial) }
            }
            return subcommands + (family.first { $0.path.count == 1 }.map { _ in [] } ?? [])
        }
        let spec: CommandSpec?
        var rest = Array(words.dropFirst())
        if let second = rest.first, let chosen = family.first(where: { $0.path.count == 2 && $0.path[1] == second }) {
            spec = chosen
            rest.removeFirst()
        } else {
            spec = family.first { $0.path.count == 1 }
        }
        guard let spec else { return [] }
        var arguments: [String] = []
        var index = 0
        while index < rest.count {
            if let option = spec.option(rest[index]) {
                index += option.value == nil ? 1 : 2
                continue
            }
            arguments.append(rest[index])
            index += 1
        }
        if let previous = rest.last, let option = spec.option(previous), let kind = option.value {
            return values(kind, topic: topicArgument(spec, rest), arguments: arguments, partial: partial)
        }
        // An option given already is not offered again, unless it may repeat.
        let options = spec.options.filter { $0.isRepeatable || !rest.contains($0.name) }.map(\.name)
        if partial.hasPrefix("--") { return options }
        guard arguments.count < spec.arguments.count || spec.arguments.last?.isVariadic == true else { return options }
        let argument = spec.arguments[min(arguments.count, spec.arguments.count - 1)]
        return values(argument.kind, topic: topicArgument(spec, rest), arguments: arguments, partial: partial) + (partial.isEmpty ? [] : options)
    }

    /// The paths that continue `partial`: the entries of the directory it names so far, hidden
    /// ones only once their leading dot is typed.
    static func files(_ partial: String, listDirectory: (String) -> [String]?) -> [String] {
        let slash = partial.lastIndex(of: "/")
        let directoryPart = slash.map { String(partial[...$0]) } ?? ""
        let namePart = slash.map { String(partial[partial.index(after: $0)...]) } ?? partial
        let entries = listDirectory(directoryPart.isEmpty ? "." : directoryPart) ?? []
        return entries.filter { !$0.hasPrefix(".") || namePart.hasPrefix(".") }.map { directoryPart + $0 }
    }

    private func values(_ kind: ValueKind, topic: String?, arguments: [String] = [], partial: String) -> [String] {
        registry.completions(kind, CompletionContext(
            broker: broker, registry: registry, topic: topic, partial: partial, arguments: arguments, listDirectory: listDirectory,
            lessonNames: lessonNames, lessonSteps: lessonSteps, flows: flows))
    }

    /// The topic named among the arguments so far, for completing partitions.
    private func topicArgument(_ spec: CommandSpec, _ rest: [String]) -> String? {
        guard spec.arguments.first?.kind == .topic else { return nil }
        return rest.first { !$0.hasPrefix("--") }
    }
}
