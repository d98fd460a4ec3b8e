import EventLabCore
import EventLabPatterns

/// How projections, their rows and their positions read.
enum ProjectionText {
    /// `accounts p0 @5, p1 @3`: each partition read, by topic, with the offset reached.
    static func positions(_ positions: [SourcePartition: Int64]) -> String {
        var parts: [String] = []
        var topic = ""
        for (source, offset) in positions.sorted(by: { $0.key < $1.key }) {
            parts.append("\(source.topic == topic ? "" : "\(source.topic) ")p\(source.partition) @\(offset)")
            topic = source.topic
        }
        return parts.joined(separator: ", ")
    }

    /// The consistency window in a line: where the read model stands on each partition, how
    /// many events it is behind, and whether it is paused.
    static func window(_ slot: Flows.ProjectionSlot, in shell: Shell) -> String {
        let name = slot.projection.name
        let paused = slot.isRunning ? "" : " (paused: `projection resume \(name)` catches up)"
        let lags: [EventLabPatterns.PartitionLag]
        do throws(BrokerError) {
            lags = try slot.readModel.lag(in: shell.broker)
        } catch {
            return "\(name) cannot say how current this answer is: \(error.message)\(paused)"
        }
        var parts: [String] = []
        var topic = ""
        for lag in lags {
            parts.append("\(lag.source.topic == topic ? "" : "\(lag.source.topic) ")p\(lag.source.partition) \(Self.read(lag))")
            topic = lag.source.topic
        }
        let behind = lags.reduce(0) { $0 + $1.behind }
        let reached = parts.joined(separator: ", ")
        guard behind > 0 else { return "\(name) is up to date: it has read \(reached)\(paused)" }
        let why = !slot.isRunning ? paused
            : slot.projection.rules.isEmpty ? " (it has no rules, so it reads nothing)"
            : shell.flows.mode == .manual ? " (flow manual: `step` delivers them)" : ""
        return "\(name) is \(behind) event\(behind == 1 ? "" : "s") behind, so this answer may be stale: it has read \(reached)\(why)"
    }

    /// How far a partition is read, by the offsets of records (``OffsetText/read(position:logStart:logEnd:)``):
    /// `up to @4 of @6`, `none of @4–@6`, `up to @6`, `(empty)`.
    static func read(_ lag: EventLabPatterns.PartitionLag) -> String {
        OffsetText.read(position: lag.position, logStart: lag.logStartOffset, logEnd: lag.logEndOffset)
    }

    /// The rows as columns: the key, then the value, count and sum where any row has one.
    static func rows(_ entries: [(key: String, row: ReadModel.Row)]) -> [String] {
        let values = entries.contains { $0.row.value != nil }
        let counts = entries.contains { $0.row.count != 0 }
        let sums = entries.contains { $0.row.sum != nil }
        var header = ["KEY"]
        if values { header.append("VALUE") }
        if counts { header.append("COUNT") }
        if sums { header.append("SUM") }
        let rows = entries.map { entry in
            var cells = [TerminalText.escape(entry.key)]
            if values { cells.append(entry.row.value.map { TerminalText.escape($0.description) } ?? "-") }
            if counts { cells.append(String(entry.row.count)) }
            if sums { cells.append(entry.row.sum.map(\.description) ?? "-") }
            return cells
        }
        return Table.render(header: header, rows: rows).split(separator: "\n").map(String.init)
    }

    /// `running`, `paused`, with `inline` or `async`.
    static func state(_ slot: Flows.ProjectionSlot) -> String {
        (slot.isRunning ? "running" : "paused") + (slot.isInline ? ", inline" : ", async")
    }

    /// `balances ← accounts p0 @3 Withdrawn → put a-1`; an event upcast to another type
    /// shows both, `Withdrawn (upcast from Debited)`; one upcast within its type, `Withdrawn (upcast)`.
    static func line(_ step: ProjectionStep) -> String {
        let upcast = step.upcastFrom.map { $0 == step.eventType ? " (upcast)" : " (upcast from \($0))" } ?? ""
        return "\(step.projection) ← \(FlowText.place(step.source))\(step.eventType.map { " \($0)" } ?? "")\(upcast) → \(step.effect)"
    }
}
