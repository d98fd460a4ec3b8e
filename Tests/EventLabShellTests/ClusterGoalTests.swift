import EventLabCore
import EventLabShell
import EventLabTestSupport
import Testing

/// A shell on a memory cluster of three brokers on the logical clock, as lesson 14's learner has
/// it, brought to a state by shell commands.
private final class ClusterState {
    let shell: Shell
    let output = CapturedOutput()

    init(_ commands: String...) throws {
        let (broker, clock) = try TranscriptSettings(brokers: 3).makeMemoryBroker()
        shell = Shell(broker: broker, logicalClock: clock, output: output)
        for command in commands { run(command) }
    }

    /// Runs `command`, which must succeed.
    func run(_ command: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(shell.execute(command), "\(command): \(output.text)", sourceLocation: sourceLocation)
    }

    /// Expects `goal` met, saying `sentence`.
    func met(_ goal: String, _ sentence: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try Goal.parse(goal).evaluate(on: shell.goalWorld)
        #expect(result == GoalResult(met: true, sentence), "\(result)", sourceLocation: sourceLocation)
    }

    /// Expects `goal` unmet, saying `sentence`.
    func unmet(_ goal: String, _ sentence: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try Goal.parse(goal).evaluate(on: shell.goalWorld)
        #expect(result == GoalResult(met: false, sentence), "\(result)", sourceLocation: sourceLocation)
    }
}

@Suite("Goals over a cluster: brokers, the controller, and each partition's leader, replicas, ISR and high watermark")
struct ClusterGoalTests {
    @Test("a broker is up, paused, stopped, killed or powered off, and the controller moves to the lowest live broker")
    func brokers() throws {
        let state = try ClusterState()
        try state.met("broker 1 state == up", "broker 1 is up")
        try state.unmet("broker 1 state != UP", "broker 1 is up; the goal is anything but up")
        try state.unmet("broker 4 state == up", "broker 4 does not exist; the goal is state up")
        try state.met("cluster controller == 1", "cluster controller is broker 1")
        try state.unmet("cluster controller == none", "cluster controller is broker 1; the goal is no controller")
        state.run("broker kill 1")
        try state.met("broker 1 state == killed", "broker 1 is killed")
        try state.unmet("broker 1 state == up", "broker 1 is killed; the goal is up")
        try state.met("cluster controller == 2", "cluster controller is broker 2")
        try state.met("cluster controller != 1", "cluster controller is broker 2")
        state.run("broker pause 2")
        try state.met("broker 2 state == paused", "broker 2 is paused")
        try state.met("cluster controller == 2", "cluster controller is broker 2")
        state.run("broker resume 2")
        state.run("broker stop 2")
        try state.met("broker 2 state == stopped", "broker 2 is stopped")
        state.run("broker kill 3 --power")
        try state.met("broker 3 state == powered-off", "broker 3 is powered-off")
        try state.met("cluster controller == none", "cluster has no controller: no broker is up")
        try state.unmet("cluster controller == 1", "cluster has no controller: no broker is up; the goal is broker 1")
    }

    @Test("a partition's replicas, ISR, high watermark and leader follow a paused follower, two deaths and an offline partition")
    func partitions() throws {
        let state = try ClusterState("topic create orders --replication-factor 3", "publish orders key=o-1 a")
        try state.met("topic orders p0 replicas == 3", "topic orders p0 has 3 replicas (1, 2, 3)")
        try state.met("topic orders p0 isr == 3", "topic orders p0 has 3 in-sync replicas (1, 2, 3)")
        try state.met("topic orders p0 leader == 1", "topic orders p0 is led by broker 1")
        try state.unmet("topic orders p0 leader != 1", "topic orders p0 is led by broker 1; the goal is anything but broker 1")
        try state.met("topic orders p0 high-watermark == 1", "topic orders p0 has high watermark 1")
        try state.met("cluster under-replicated == 0", "cluster has 0 under-replicated partitions")
        // A paused follower holds the high watermark back until it leaves the ISR.
        state.run("broker pause 3")
        state.run("publish orders key=o-2 b")
        try state.met("topic orders p0 end-offset == 2", "topic orders p0 ends at offset 2")
        try state.unmet("topic orders p0 high-watermark >= 2", "topic orders p0 has high watermark 1; the goal is at least 2")
        try state.met("topic orders key o-2 records == 0", "topic orders has 0 records with key o-2")
        state.run("clock advance 45s")
        try state.met("topic orders p0 isr == 2", "topic orders p0 has 2 in-sync replicas (1, 2)")
        try state.met("topic orders p0 high-watermark == 2", "topic orders p0 has high watermark 2")
        try state.met("cluster under-replicated == 1", "cluster has 1 under-replicated partition")
        try state.met("topic orders p0 replicas == 3", "topic orders p0 has 3 replicas (1, 2, 3)")
        // Its in-sync replicas die: the out-of-sync one may not lead, so the partition is offline.
        state.run("broker kill 1")
        try state.met("topic orders p0 leader == 2", "topic orders p0 is led by broker 2")
        state.run("broker kill 2")
        try state.met("topic orders p0 leader == none", "topic orders p0 has no leader: it is offline")
        try state.unmet("topic orders p0 leader == 3", "topic orders p0 has no leader: it is offline; the goal is broker 3")
        try state.met("topic orders p0 isr == 1", "topic orders p0 has 1 in-sync replica (2)")
        try state.met("cluster offline == 1", "cluster has 1 offline partition")
        try state.met("cluster under-replicated == 0", "cluster has 0 under-replicated partitions")
        state.run("broker start 2")
        try state.unmet("topic orders p0 leader == none", "topic orders p0 is led by broker 2; the goal is no leader")
        try state.met("cluster offline == 0", "cluster has 0 offline partitions")
    }

    @Test("a missing topic or partition says so and what the goal wants")
    func missing() throws {
        let state = try ClusterState("topic create orders --replication-factor 2")
        try state.unmet("topic nope p0 leader == 1", "topic nope does not exist; the goal is broker 1 leading p0")
        try state.unmet("topic orders p7 leader == none", "topic orders has no p7: it has 1 partition; the goal is no leader on p7")
        try state.unmet("topic orders p7 isr >= 2", "topic orders has no p7: it has 1 partition; the goal is at least 2 in-sync replicas of p7")
        try state.unmet("topic orders p7 replicas == 3", "topic orders has no p7: it has 1 partition; the goal is 3 replicas of p7")
        try state.unmet("topic orders p7 high-watermark > 0", "topic orders has no p7: it has 1 partition; the goal is high watermark more than 0 on p7")
        try state.met("topic orders p0 replicas == 2", "topic orders p0 has 2 replicas (1, 2)")
    }

    @Test("on one broker, broker 1 is up and the controller, and leads every partition as its only replica", arguments: Backend.allCases)
    func oneBroker(_ backend: Backend) throws {
        let state = try GoalState(backend, "topic create orders --partitions 2", "publish orders key=o-1 a", "publish orders key=o-1 b")
        try state.met("broker 1 state == up", "broker 1 is up")
        try state.met("cluster controller == 1", "cluster controller is broker 1")
        try state.met("topic orders p1 leader == 1", "topic orders p1 is led by broker 1")
        try state.met("topic orders p1 replicas == 1", "topic orders p1 has 1 replica (1)")
        try state.met("topic orders p1 isr == 1", "topic orders p1 has 1 in-sync replica (1)")
        try state.met("cluster under-replicated == 0", "cluster has 0 under-replicated partitions")
        try state.met("cluster offline == 0", "cluster has 0 offline partitions")
    }

    @Test("a goal with a word that is no broker, broker state or leader is refused where it is wrong")
    func refused() {
        #expect(throws: GoalError(column: 8, "'x' is not a broker id: write its number, such as 1")) { try Goal.parse("broker x state == up") }
        #expect(throws: GoalError(column: 19, "'running' is not a broker state: write up, paused, stopped, killed or powered-off")) {
            try Goal.parse("broker 1 state == running")
        }
        #expect(throws: GoalError(column: 19, "'kiled' is not a broker state (did you mean 'killed'?): write up, paused, stopped, killed or powered-off")) {
            try Goal.parse("broker 1 state == kiled")
        }
        #expect(throws: GoalError(column: 16, "'<' does not compare words: write == or !=")) { try Goal.parse("broker 1 state < up") }
        #expect(throws: GoalError(column: 23, "'two' is not a broker: write its id, such as 1, or none")) { try Goal.parse("cluster controller == two") }
        #expect(throws: GoalError(column: 24, "'>' does not compare words: write == or !=")) { try Goal.parse("topic orders p0 leader > 1") }
        #expect(throws: GoalError(column: 9, "unexpected 'leader' after `cluster`: expected one of controller, under-replicated or offline")) {
            try Goal.parse("cluster leader == 1")
        }
    }
}
