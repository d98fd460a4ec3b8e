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
            "a service cannot be called '\(name)', which is one of `service`'s own words"
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
        do throws(BrokerError) {
            _ = try TopicName(name)
        } catch {
            throw ShellError("'\(name)' cannot name a service: use letters, digits, '.', '_' and '-', as in billing or order-service")
        }
    }
}
