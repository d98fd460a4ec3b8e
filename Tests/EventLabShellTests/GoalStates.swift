import EventLabCore
import EventLabShell
import EventLabTestSupport
import Testing

/// A broker on a logical clock over `backend`, brought to a state by shell commands, as a
/// lesson's learner would.
final class GoalState {
    let test: TestBroker
    private(set) var shell: Shell!
    let output = CapturedOutput()
    var broker: Broker { test.broker }

    init(_ backend: Backend, _ commands: String...) throws {
        test = try TestBroker(backend)
        shell = Shell(broker: test.broker, logicalClock: test.clock, output: output)
        for command in commands { run(command) }
    }

    /// Opens the workspace again, as a learner resuming a lesson in a new process would.
    func reopen() throws {
        shell = nil
        try test.reopen(clean: true)
        shell = Shell(broker: test.broker, logicalClock: test.clock, output: output)
    }

    /// Runs `command`, which must succeed.
    func run(_ command: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(shell.execute(command), "\(command): \(output.text)", sourceLocation: sourceLocation)
    }

    /// What `goal` says of the broker now.
    func check(_ goal: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> GoalResult {
        try Goal.parse(goal).evaluate(on: shell.goalWorld)
    }

    /// Expects `goal` met, saying `sentence`.
    func met(_ goal: String, _ sentence: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try check(goal)
        #expect(result == GoalResult(met: true, sentence), "\(result)", sourceLocation: sourceLocation)
    }

    /// Expects `goal` unmet, saying `sentence`.
    func unmet(_ goal: String, _ sentence: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try check(goal)
        #expect(result == GoalResult(met: false, sentence), "\(result)", sourceLocation: sourceLocation)
    }

    /// `count` members of `group` reading `topic`, joined in one rebalance and assigned by the
    /// range assignor, as consumers started together are; they stay until their session ends.
    func members(_ count: Int, group: String, topic: String) throws {
        let members = (0..<count).map { index in
            GroupMember(broker: broker, configuration: GroupMemberConfiguration(
                groupId: group, clientId: "c\(index)", topics: [topic], initialRebalanceDelayMs: 3_000))
        }
        members.forEach { $0.start() }
        test.timer.advance(3_000)
        broker.scheduler.runDue(.real)
        try GroupMember.settle(members)
    }
}
