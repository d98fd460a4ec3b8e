import EventLabCore
import EventLabShell
import EventLabTestSupport
import Testing

@Suite("Registered commands")
struct RegistryTests {
    @Test("every registered command parses each of its examples and appears in help and in completion", arguments: CommandRegistry.standard.specs)
    func registered(spec: CommandSpec) throws {
        var runsItself = false
        for example in spec.examples {
            for command in try Words.commands(in: example) {
                let invocation = try CommandParser.parse(try Words.split(command))
                _ = try invocation.command.init(invocation)
                runsItself = runsItself || invocation.spec == spec
            }
        }
        #expect(runsItself, "no example of `\(spec.name)` runs it")

        let output = CapturedOutput()
        let shell = Shell(broker: try Broker(), logicalClock: nil, output: output)
        #expect(shell.execute("help"))
        #expect(output.text.contains("  \(spec.name)  ") && output.text.contains(spec.summary))
        output.clear()
        #expect(shell.execute("help \(spec.name)"))
        #expect(output.text.contains("usage: \(spec.usage)"))
        for example in spec.examples { #expect(output.text.contains("  \(example)\n")) }

        let completer = Completer(broker: shell.broker)
        #expect(completer.complete(String(spec.path[0].prefix(1))).candidates.contains(spec.path[0]))
        if spec.path.count == 2 { #expect(completer.complete("\(spec.path[0]) ").candidates.contains(spec.path[1])) }
    }

    @Test("a group brings its own commands and value kind: the shell runs them, help lists them, Tab completes them")
    func openKinds() throws {
        let registry = CommandRegistry(groups: CommandRegistry.standardGroups + [LampCommands.self])
        let output = CapturedOutput()
        let shell = Shell(broker: try Broker(), logicalClock: nil, output: output, registry: registry)
        #expect(shell.execute("lamp off desk; help"))
        #expect(output.text.hasPrefix("off desk\n"))
        #expect(output.text.contains("\n  lamp off ") && output.text.contains(" Turn a lamp off.\n"))
        let invocation = try CommandParser.parse(["lamp", "off", "desk"], registry: registry)
        #expect(ObjectIdentifier(invocation.command) == ObjectIdentifier(LampOff.self))
        #expect(LampOff(invocation).lamp == "desk")
        #expect(invocation.spec.usage == "lamp off LAMP")
        let completer = Completer(broker: try Broker(), registry: registry)
        #expect(completer.complete("la").candidates == ["lamp"])
        #expect(completer.complete("lamp off d").candidates == ["desk"])
    }
}

extension ValueKind {
    static let lamp = ValueKind("lamp name", placeholder: "LAMP")
}

enum LampCommands: CommandGroup {
    static let commands: [any ShellCommand.Type] = [LampOff.self]
    static let completions = [Completion(.lamp) { _ in ["desk", "hall"] }]
}

struct LampOff: ShellCommand {
    static let spec = CommandSpec(
        path: ["lamp", "off"], arguments: [ArgumentSpec("LAMP", .lamp)], options: [],
        summary: "Turn a lamp off.", teaches: "A lamp off stays off.", examples: ["lamp off desk"])

    let lamp: String

    init(_ words: Invocation) { lamp = words.arguments[0] }

    func run(in shell: Shell) { shell.say("off \(lamp)") }
}
