import EventLabCore
import EventLabPatterns

/// `show flow`.
struct ShowFlow: ShellCommand {
    static let spec = CommandSpec(
        path: ["show", "flow"], arguments: [], options: [],
        summary: "Draw commands, services, aggregates, tables, projections and topics: who reads and writes what, lag, calls.",
        teaches: "Each service is a consumer group, drawn as a line `SOURCES ──▶ SERVICE (notes) ──▶ TARGETS`, upstream first, so an event travels down the page. The notes give its lag on each topic it reads (its group's, as `group describe` shows); whether it is stopped (by `service stop`), waiting (holding a record because a service it calls cannot answer: it goes on once that service runs again) or poisoned (on a record it cannot handle: `service skip`); and the records it read (in) and emitted (out) this session. `└─✗▶ TOPIC (N dead)` hangs under a service whose poison records go to a dead-letter topic. `TOPIC ══▶ table NAME (N behind) ──▶ SERVICES` is a table's copy of a topic, the records of it the table has not read yet (`caught up` once it has read them all: a copy cannot know of a change not yet published to its topic), and the services looking values up in it. `A ··▶ B (N calls, M failed)` is event notification's coupling: A asks B while it reacts, so when B stops, A's calls fail and A waits while its lag grows; every call counts, so each time A tries the record it waits at again (after each command, or each `step`) is one more failed call; a table keeps working instead, at the price of being behind. Event sourcing and CQRS draw their loop: `command NAME (validates against AGGREGATE) ──▶ TOPIC` is the write side, a command `send` checks against an aggregate's state before it appends; `TOPIC ━━▶ aggregate NAME (K keys, E events, N behind) ──▶ NAME-snapshots` is the state per key folded from that topic, and where its snapshots go; `TOPIC ──▶ projection NAME (lag N, paused, inline, R rows)` is the read side, a consumer group building the read model that the `query NAME` after its arrow answers from, its lag the window in which answers are stale.",
        examples: ["show flow"])

    init(_ words: Invocation) {}

    func run(in shell: Shell) {
        shell.say(FlowPicture.render(FlowSnapshot.model(shell.flows, broker: shell.broker), width: shell.width).joined(separator: "\n"))
        // `show flow` always means this picture, so a topic or group called `flow` is drawn by
        // its own subcommand: say which, here where the learner missed it.
        let broker = shell.broker
        if broker.topics().contains(where: { $0.name == "flow" }) {
            shell.say("(a topic called 'flow' is drawn by `show topic flow`)")
        }
        if broker.groups().contains(where: { $0.groupId == "flow" }) {
            shell.say("(a group called 'flow' is drawn by `show group flow`)")
        }
    }
}
