/// Draws a `FlowModel` as plain text: one line per command (the write side) first, then one per
/// service in the order data flows (sources before the services reading what they write), then
/// aggregates, tables with the services looking values up in them, projections with the query
/// reading them, then calls, then a legend of the arrows used. Sorted by name wherever order is
/// free, so the same model draws the same lines.
public enum FlowPicture {
    /// An arrow from a topic to its reader, or from a service to a topic it writes.
    public static let flows = "──▶"
    /// An arrow from a topic to the table copying it.
    public static let feeds = "══▶"
    /// An arrow from a service to a service it calls.
    public static let calls = "··▶"
    /// An arrow from a service to its dead-letter topic.
    public static let deadLetters = "└─✗▶"
    /// An arrow from a topic to the aggregate folding it.
    public static let folds = "━━▶"

    /// The picture of `model`, no line wider than `width` characters.
    public static func render(_ model: FlowModel, width: Int = 80) -> [String] {
        if model.isEmpty {
            // The command is one word, so a narrow terminal never breaks it across lines.
            return FlowWrap.lines(
                ["no", "services", "or", "tables", "yet:", "`service create NAME --from TOPIC`", "starts", "one"],
                width: width)
        }
        var lines: [String] = []
        for command in model.commands.sorted(by: { $0.name < $1.name }) {
            lines += FlowWrap.lines(words(command), width: width)
        }
        for service in flowOrder(model.services) {
            lines += FlowWrap.lines(words(service), width: width)
            if let topic = service.deadLetter {
                let count = service.deadLettered == 0 ? [] : ["(\(service.deadLettered) dead)"]
                lines += FlowWrap.lines(["\(deadLetters) \(topic)"] + count, indent: 2, width: width)
            }
        }
        for aggregate in model.aggregates.sorted(by: { ($0.topic, $0.name) < ($1.topic, $1.name) }) {
            lines += FlowWrap.lines(words(aggregate), width: width)
        }
        for table in model.tables.sorted(by: { ($0.topic, $0.name) < ($1.topic, $1.name) }) {
            var words = [table.topic, "\(feeds) table", table.name]
            if let behind = table.behind { words.append(behind == 0 ? "(caught up)" : "(\(behind) behind)") }
            var readers = commaSeparated(model.services.filter { $0.lookups.contains(table.name) }.map(\.name).sorted())
            if !readers.isEmpty {
                readers[0] = "\(flows) \(readers[0])"
                words += readers
            }
            lines += FlowWrap.lines(words, width: width)
        }
        for projection in model.projections.sorted(by: { $0.name < $1.name }) {
            lines += FlowWrap.lines(words(projection), width: width)
        }
        for call in model.calls.sorted(by: { ($0.from, $0.to) < ($1.from, $1.to) }) {
            let counted = call.count == 1 ? "(1 call," : "(\(call.count) calls,"
            lines += FlowWrap.lines([call.from, "\(calls) \(call.to)", counted, "\(call.failed) failed)"], width: width)
        }
        let idle = idleTopics(model)
        if !idle.isEmpty {
            lines += FlowWrap.lines(["idle", "topics:"] + commaSeparated(idle), width: width)
        }
        if !model.upcasters.isEmpty {
            // Not an edge: every reader reads through them, so one line says they are there.
            let them = model.upcasters.count == 1 ? "it" : "them"
            lines += FlowWrap.lines(
                ["upcasters:"] + commaSeparated(model.upcasters)
                    + ["(services,", "aggregates", "and", "projections", "read", "through", "\(them))"],
                width: width)
        }
        // The legend stands apart so it is not read as one more edge.
        lines.append("")
        lines += FlowWrap.lines(legend(model), width: width)
        return lines
    }

    /// `sources ──▶ name (lag, state, counts) ──▶ targets`, as words to wrap; an arrow is glued
    /// to what it points at so no line ends in one.
    private static func words(_ service: FlowModel.Service) -> [String] {
        var (words, notes) = sources(service.reads, lag: service.lag)
        switch service.state {
        case .running: break
        case .stopped: notes.append(["stopped"])
        case .poisoned(let topic, let partition, let offset):
            notes.append(["poisoned", "at \(topic) p\(partition) @\(offset)"])
        case .waiting(let topic, let partition, let offset):
            notes.append(["waiting", "at \(topic) p\(partition) @\(offset)"])
        case .crashed(let topic, let partition, let offset):
            notes.append(["crashed", "at \(topic) p\(partition) @\(offset)"])
        }
        if service.processed > 0 || service.emitted > 0 {
            notes.append(["\(service.processed) in"])
            notes.append(["\(service.emitted) out"])
        }
        words.append(words.isEmpty ? service.name : "\(flows) \(service.name)")
        return words + noted(notes) + targets(service.writes.sorted())
    }

    /// `command NAME (validates against AGGREGATE) ──▶ TOPICS`: the write side, where the loop starts.
    private static func words(_ command: FlowModel.Command) -> [String] {
        ["command", command.name] + noted([["validates", "against", command.aggregate]]) + targets(command.writes.sorted())
    }

    /// `TOPIC ━━▶ aggregate NAME (keys, events, behind) ──▶ SNAPSHOTS`.
    private static func words(_ aggregate: FlowModel.Aggregate) -> [String] {
        var notes = [[aggregate.keys == 1 ? "1 key" : "\(aggregate.keys) keys"], [aggregate.events == 1 ? "1 event" : "\(aggregate.events) events"]]
        if let behind = aggregate.behind { notes.append([behind == 0 ? "up to date" : "\(behind) behind"]) }
        return [aggregate.topic, "\(folds) aggregate", aggregate.name] + noted(notes) + targets(aggregate.snapshots.map { [$0] } ?? [])
    }

    /// `SOURCES ──▶ projection NAME (lag, state, rows) ──▶ `query NAME``: the read side, where the loop ends.
    private static func words(_ projection: FlowModel.Projection) -> [String] {
        var (words, notes) = sources(projection.reads, lag: projection.lag)
        if !projection.isRunning { notes.append(["paused"]) }
        if projection.isInline { notes.append(["inline"]) }
        notes.append([projection.rows == 1 ? "1 row" : "\(projection.rows) rows"])
        words.append(words.isEmpty ? "projection" : "\(flows) projection")
        // The query is one word, so a narrow terminal never breaks the command across lines.
        return words + [projection.name] + noted(notes) + ["\(flows) `query \(projection.name)`"]
    }

    /// The topics a reader reads, with their lags: a single topic's lag becomes the first note,
    /// several topics carry theirs each.
    private static func sources(_ reads: [String], lag: [String: Int64]) -> (words: [String], notes: [[String]]) {
        if reads.count == 1, let only = lag[reads[0]] { return ([reads[0]], [["lag \(only)"]]) }
        return (commaSeparated(reads.map { topic in lag[topic].map { "\(topic) (lag \($0))" } ?? topic }), [])
    }

    /// Notes as words in parentheses; each note is words kept together on a line, and notes
    /// are separated by commas. Nothing when there are none.
    private static func noted(_ notes: [[String]]) -> [String] {
        var noted = notes.enumerated().flatMap { index, note in
            index == notes.count - 1 ? note : note.dropLast() + [note[note.count - 1] + ","]
        }
        if !noted.isEmpty {
            noted[0] = "(" + noted[0]
            noted[noted.count - 1] += ")"
        }
        return noted
    }

    /// `──▶ A, B`: the topics something writes, the arrow glued to the first.
    private static func targets(_ topics: [String]) -> [String] {
        var targets = commaSeparated(topics)
        if !targets.isEmpty { targets[0] = "\(flows) \(targets[0])" }
        return targets
    }

    /// Services whose sources no other service writes first, then each layer reading what the
    /// layers before wrote; a cycle is entered at its first name.
    private static func flowOrder(_ services: [FlowModel.Service]) -> [FlowModel.Service] {
        var unplaced = services.sorted { $0.name < $1.name }
        var placed: [FlowModel.Service] = []
        while !unplaced.isEmpty {
            let ready = unplaced.filter { service in
                !unplaced.contains { other in
                    other.name != service.name && other.writes.contains(where: service.reads.contains)
                }
            }
            let layer = ready.isEmpty ? [unplaced[0]] : ready
            placed += layer
            unplaced.removeAll { service in layer.contains { $0.name == service.name } }
        }
        return placed
    }

    private static func idleTopics(_ model: FlowModel) -> [String] {
        var used = Set(model.tables.map(\.topic))
        for aggregate in model.aggregates {
            used.insert(aggregate.topic)
            if let topic = aggregate.snapshots { used.insert(topic) }
        }
        for command in model.commands { used.formUnion(command.writes) }
        for projection in model.projections { used.formUnion(projection.reads) }
        for service in model.services {
            used.formUnion(service.reads)
            used.formUnion(service.writes)
            if let topic = service.deadLetter { used.insert(topic) }
        }
        return Set(model.topics).subtracting(used).sorted()
    }

    private static func legend(_ model: FlowModel) -> [String] {
        var words = ["legend:", "\(flows) reads/writes"]
        if !model.aggregates.isEmpty { words.append("\(folds) folds") }
        if !model.tables.isEmpty { words.append("\(feeds) table") }
        if !model.calls.isEmpty { words.append("\(calls) calls") }
        if model.services.contains(where: { $0.deadLetter != nil }) { words.append("\(deadLetters) dead letters") }
        return words
    }

    /// Each item but the last with a comma, so a wrapped list still reads as one.
    private static func commaSeparated(_ items: [String]) -> [String] {
        items.enumerated().map { index, item in index == items.count - 1 ? item : item + "," }
    }
}
