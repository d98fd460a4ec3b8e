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
        let registry = CommandRegistry(groups: CommandRegistry.standardGroups + [ServiceCommands.self])
        let output = CapturedOutput()
        let shell = Shell(broker: try Broker(), logicalClock: nil, output: output, registry: registry)
        #expect(shell.execute("service stop billing; help"))
        #expect(output.text.hasPrefix("stopped billing\n"))
        #expect(output.text.contains("\n  service stop ") && output.text.contains(" Stop a service.\n"))
        let invocation = try CommandParser.parse(["service", "stop", "billing"], registry: registry)
        #expect(ObjectIdentifier(invocation.command) == ObjectIdentifier(ServiceStop.self))
        #expect(ServiceStop(invocation).service == "billing")
        #expect(invocation.spec.usage == "service stop SERVICE")
        let completer = Completer(broker: try Broker(), registry: registry)
        #expect(completer.complete("se").candidates == ["service"])
        #expect(completer.complete("service stop b").candidates == ["billing"])
    }
}

extension ValueKind {
    static let service = ValueKind("service name", placeholder: "SERVICE")
}

enum ServiceCommands: CommandGroup {
    static let commands: [any ShellCommand.Type] = [ServiceStop.self]
    static let completions = [Completion(.service) { _ in ["billing", "shipping"] }]
}

struct ServiceStop: ShellCommand {
    static let spec = CommandSpec(
        path: ["service", "stop"], arguments: [ArgumentSpec("SERVICE", .service)], options: [],
        summary: "Stop a service.", teaches: "A stopped service keeps its position.", examples: ["service stop billing"])

    let service: String

    init(_ words: Invocation) { service = words.arguments[0] }

    func run(in shell: Shell) { shell.say("stopped \(service)") }
}
