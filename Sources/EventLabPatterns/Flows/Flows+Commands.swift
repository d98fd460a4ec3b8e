extension Flows {
    /// The command named `name`, or an error listing the commands there are.
    public func command(_ name: String) throws(FlowError) -> Command {
        guard let command = commands[name] else {
            throw FlowError(message: "there is no command named \(name): " + (commands.isEmpty
                ? "there are no commands yet; define one with `command \(name) --aggregate AGGREGATE when CONDITION emit TOPIC TEMPLATE`"
                : "the commands are \(commands.keys.sorted().joined(separator: ", "))"))
        }
        return command
    }

    /// Defines `command`, in place of the command of its name if there is one; true when it
    /// replaced one.
    @discardableResult
    public mutating func define(_ command: Command) -> Bool {
        commands.updateValue(command, forKey: command.name) != nil
    }

    /// Removes the command named `name`; the events it appended stay in the log.
    public mutating func removeCommand(_ name: String) throws(FlowError) {
        _ = try command(name)
        commands[name] = nil
        commandTotals[name] = nil
    }

    /// Counts a send of the command named `name` that came to `report`.
    public mutating func count(_ report: CommandReport, of name: String) {
        commandTotals[name, default: CommandTotals()].add(report)
    }

    /// Counts a send of the command named `name` that gave up.
    public mutating func count(_ contention: CommandContention, of name: String) {
        commandTotals[name, default: CommandTotals()].add(contention)
    }
}

extension FlowScript {
    /// The lines defining the commands, by name: after the aggregates they validate against.
    static func commandLines(_ flows: Flows) -> [String] {
        flows.commands.keys.sorted().map { "command \($0) \(flows.commands[$0]!.source)" }
    }
}
