/// Draws a `FlowModel` as plain text: one line per service in the order data flows (sources
/// before the services reading what they write), then tables with the services looking values
/// up in them, then calls, then a legend of the arrows used. Sorted by name wherever order is
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

    /// The picture of `model`, no line wider than `width` characters.
    public static func render(_ model: FlowModel, width: Int = 80) -> [String] {
        if model.services.isEmpty && model.tables.isEmpty {
            // The command is one word, so a narrow terminal never breaks it across lines.
            return FlowWrap.lines(
                ["no", "services", "or", "tables", "yet:", "`service create NAME --from TOPIC`", "starts", "one"],
                width: width)
        }
        var lines: [String] = []
        for service in flowOrder(model.services) {
            lines += FlowWrap.lines(words(service), width: width)
            if let topic = service.deadLetter {
                let count = service.deadLettered == 0 ? [] : ["(\(service.deadLettered) dead)"]
                lines += FlowWrap.lines(["\(deadLetters) \(topic)"] + count, indent: 2, width: width)
            }
        }
        for table in model.tables.sorted(by: { ($0.topic, $0.name) < ($1.topic, $1.name) }) {
            var words = [table.topic, "\(feeds) table", table.name]
            if let behind = table.behind { words.append(behind == 0 ? "(up to date)" : "(\(behind) behind)") }
            var readers = commaSeparated(model.services.filter { $0.lookups.contains(table.name) }.map(\.name).sorted())
            if !readers.isEmpty {
                readers[0] = "\(flows) \(readers[0])"
                words += readers
            }
            lines += FlowWrap.lines(words, width: width)
        }
        for call in model.calls.sorted(by: { ($0.from, $0.to) < ($1.from, $1.to) }) {
            let counted = call.count == 1 ? "(1 call," : "(\(call.count) calls,"
            lines += FlowWrap.lines([call.from, "\(calls) \(call.to)", counted, "\(call.failed) failed)"], width: width)
        }
        let idle = idleTopics(model)
        if !idle.isEmpty {
            lines += FlowWrap.lines(["idle", "topics:"] + commaSeparated(idle), width: width)
        }
        // The legend stands apart so it is not read as one more edge.
        lines.append("")
        lines += FlowWrap.lines(legend(model), width: width)
        return lines
    }

    /// `sources ──▶ name (lag, state, counts) ──▶ targets`, as words to wrap; an arrow is glued
    /// to what it points at so no line ends in one.
    private static func words(_ service: FlowModel.Service) -> [String] {
        var words: [String] = []
        // Each note is words kept together on a line; notes are separated by commas.
        var notes: [[String]] = []
        if service.reads.count == 1, let lag = service.lag[service.reads[0]] {
            words.append(service.reads[0])
            notes.append(["lag \(lag)"])
        } else {
            words += commaSeparated(service.reads.map { topic in
                service.lag[topic].map { "\(topic) (lag \($0))" } ?? topic
            })
        }
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
        var noted = notes.enumerated().flatMap { index, note in
            index == notes.count - 1 ? note : note.dropLast() + [note[note.count - 1] + ","]
        }
        if !noted.isEmpty {
            noted[0] = "(" + noted[0]
            noted[noted.count - 1] += ")"
            words += noted
        }
        var targets = commaSeparated(service.writes.sorted())
        if !targets.isEmpty {
            targets[0] = "\(flows) \(targets[0])"
            words += targets
        }
        return words
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
        for service in model.services {
            used.formUnion(service.reads)
            used.formUnion(service.writes)
            if let topic = service.deadLetter { used.insert(topic) }
        }
        return Set(model.topics).subtracting(used).sorted()
    }

    private static func legend(_ model: FlowModel) -> [String] {
        var words = ["legend:", "\(flows) reads/writes"]
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
