import EventLabCore
import EventLabPatterns

/// Services: named consumers that react to events by emitting new ones — event notification.
enum ServiceCommands: CommandGroup {
    static let commands: [any ShellCommand.Type] = [
        ServiceCreate.self, ServiceRuleCommand.self, ServiceList.self, ServiceDescribe.self, StopService.self,
        StartService.self, ServiceSkip.self, ServiceCrash.self, ServiceDelete.self,
    ]

    static let completions = [
        Completion(.service) { context in context.flows().services.keys.sorted() },
    ]

    static let bareNames = [
        BareName("service", runs: ServiceRuleCommand.self, kinds: [.service]) { name in
            "to give a service rules, say `service NAME on TYPE emit TOPIC TEMPLATE`"
        },
    ]
}

extension ValueKind {
    /// A service's name.
    static let service = ValueKind("service", placeholder: "SERVICE")
}

/// A service name: the name of its consumer group, so a group id's rules (a topic name's
/// characters keep it one plain word in scripts).
enum ServiceName {
    static func check(_ name: String) throws(ShellError) {
        let words = ServiceCommands.commands.map { $0.spec.path[1] }
        if words.contains(name) {
            throw ShellError("a service cannot be called '\(name)': `service \(name)` is a command of its own; pick another name, such as \(name)-service")
        }
        if let problem = FlowName.problem(name, naming: "a service", example: ", as in billing or order-service") { throw ShellError(problem) }
    }
}
