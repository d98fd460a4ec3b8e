import EventLabCore
import EventLabPatterns

/// `show projection NAME`.
struct ShowProjection: ShellCommand {
    static let spec = CommandSpec(
        path: ["show", "projection"], arguments: [ArgumentSpec("PROJECTION", .projection)], options: [],
        summary: "Draw a projection: its position and lag on each partition, and its read model.",
        teaches: "A projection reads its topics like any consumer group: each bar is how much of a partition its read model has applied, and the rest is its lag — the consistency window of its queries. Below is the read model itself, the view a query answers from.",
        examples: ["show projection balances"])

    /// Rows drawn at most; `query NAME` lists them all.
    static let rowsShown = 10
    /// Columns a bar takes.
    static let barWidth = 20

    let name: String

    init(_ words: Invocation) { name = words.arguments[0] }

    func run(in shell: Shell) throws {
        let slot = try shell.flows.projection(name)
        let width = min(shell.width, 80)
        for line in Self.lines(slot, broker: shell.broker) { shell.say(line.truncated(to: width)) }
    }

    /// The picture, line by line, before lines are cut to the width.
    static func lines(_ slot: Flows.ProjectionSlot, broker: Broker) -> [String] {
        let projection = slot.projection
        let model = slot.readModel
        var lines = ["projection \(projection.name) (\(ProjectionText.state(slot))) ← \(projection.sources.joined(separator: ", ")) · \(projection.rules.count) rule\(projection.rules.count == 1 ? "" : "s")"]
        if let lags = try? model.lag(in: broker) {
            let labels = lags.map { "\($0.source.topic) p\($0.source.partition)" }
            let labelWidth = labels.map(\.count).max() ?? 0
            for (lag, label) in zip(lags, labels) {
                let bar = Self.bar(lag)
                let state = lag.behind == 0 ? "up to date" : "\(lag.behind) behind"
                lines.append("  \(label + String(repeating: " ", count: labelWidth - label.count))  \(bar)  @\(lag.readsFrom) of \(lag.logEndOffset), \(state)")
            }
            let behind = lags.reduce(0) { $0 + $1.behind }
            if behind > 0 { lines.append("  queries are \(behind) event\(behind == 1 ? "" : "s") behind the log\(slot.isRunning ? "" : " until `projection resume \(projection.name)`")") }
        }
        if let problem = slot.problem { lines.append("  ✗ \(problem)") }
        let skipped = model.skipped.values.reduce(0, +)
        lines.append("  read model: \(model.count) row\(model.count == 1 ? "" : "s") · applied \(model.applied) · skipped \(skipped) · failed \(model.failed)")
        let entries = model.entries
        guard !entries.isEmpty else { return lines }
        lines += ProjectionText.rows(Array(entries.prefix(rowsShown))).map { "  " + $0 }
        if entries.count > rowsShown {
            lines.append("  … \(entries.count - rowsShown) more row\(entries.count - rowsShown == 1 ? "" : "s"): `query \(projection.name)` lists them all")
        }
        return lines
    }

    /// `█████████████░░░░░░░`: the part of the partition, from its log start, the read model has applied.
    private static func bar(_ lag: EventLabPatterns.PartitionLag) -> String {
        let total = lag.logEndOffset
        let done = Double(min(lag.readsFrom, total))
        let filled = total == 0 ? barWidth : Int((done / Double(total) * Double(barWidth)).rounded(.down))
        return String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled)
    }
}
