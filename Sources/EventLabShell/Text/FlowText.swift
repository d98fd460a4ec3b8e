import EventLabPatterns

/// How the flows' work reads: one record per line while there are few, a line per service when
/// there are many.
enum FlowText {
    /// `billing ← orders p0 @3 OrderPlaced → payments p1 @2 PaymentRequested`.
    static func line(_ step: FlowStep) -> String {
        guard let crash = step.crash else { return handling(step) }
        if case .notHandled = step.outcome { return "\(step.service) ← \(place(step.source)) ✗ crashed \(crash.phrase), before handling it" }
        return "\(handling(step)) ✗ then crashed \(crash.phrase)"
    }

    /// What the record became, crash aside.
    private static func handling(_ step: FlowStep) -> String {
        let source = "\(step.service) ← \(place(step.source))\(step.eventType.map { " \($0)" } ?? "")"
        switch step.outcome {
        case .emitted(let records) where records.isEmpty:
            return "\(source) (no rule emitted)"
        case .emitted(let records):
            return "\(source) → \(records.map(emitted).joined(separator: ", "))"
        case .skipped:
            return "\(source) skipped: it has no event type"
        case .deadLettered(let record, let reason):
            return "\(source) ✗ \(reason) → dead letter \(emitted(record))"
        case .poison(let reason):
            return "\(source) ✗ \(reason)"
        case .blocked(let reason):
            return "\(source) ⏸ \(reason)"
        case .duplicate(let id):
            return "\(source) (duplicate \(id), skipped)"
        case .notHandled:
            return "\(source) (not handled)"
        }
    }

    /// `billing read 1000, emitted 1000 (payments 1000)`.
    static func summary(_ service: ServiceDrain) -> String {
        var parts = ["\(service.name) read \(service.recordsRead)"]
        let emitted = service.emitted.values.reduce(0, +)
        let topics = service.emitted.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        parts.append("emitted \(emitted)\(topics.isEmpty ? "" : " (\(topics.joined(separator: ", ")))")")
        if service.skipped > 0 { parts.append("skipped \(service.skipped) without a type") }
        if service.deadLettered > 0 { parts.append("dead-lettered \(service.deadLettered)") }
        if service.duplicates > 0 { parts.append("skipped \(service.duplicates) duplicate\(service.duplicates == 1 ? "" : "s")") }
        return parts.joined(separator: ", ")
    }

    /// Why a service stopped, and what moves it on.
    /// When the flows drain, which decides what a stopped service's warning says.
    enum Pace {
        /// After each command (`flow auto`).
        case afterCommands
        /// At each `step` (`flow manual`).
        case steps
        /// As records arrive, with nobody typing commands: `eventlab serve`.
        case unattended
    }

    static func stopped(_ service: Service, _ stop: ServiceStop, pace: Pace) -> String {
        let name = service.name
        let at = stop.record.map { " at \(place($0))" } ?? ""
        let retry = switch pace {
        case .afterCommands: "it tries again after each command"
        case .steps: "it tries again at the next `step`"
        case .unattended: "it tries again as records arrive, and at least every minute"
        }
        // Under serve the workspace is locked: the commands run once it has stopped.
        let first = pace == .unattended ? "stop `eventlab serve`, then " : ""
        switch stop.kind {
        case .poison where service.commit == .before:
            return "service \(name) stopped\(at): \(stop.reason); it committed the record before handling it (commit before: at-most-once), so the record is lost: \(first)`service start \(name)` goes on after it"
        case .poison:
            let fault = service.upcasters.isEmpty ? "if a rule is at fault" : "if a rule is at fault, or `upcast replace N …` if an upcaster is"
            return "service \(name) stopped\(at): \(stop.reason); \(first)`service skip \(name)` moves past the record, or `service start \(name)` tries it again (after `service \(name) replace N on …` \(fault))"
        case .blocked:
            return "service \(name) waits\(at): \(stop.reason); \(retry)"
        case .other:
            return "service \(name) stopped\(at): \(stop.reason); \(retry)"
        case .crashed:
            return "service \(name) crashed\(at) \(stop.reason); \(first)`service start \(name)` starts it again"
        }
    }

    /// `orders p0 @3`.
    static func place(_ place: RecordPlace) -> String { "\(place.topic) p\(place.partition) @\(place.offset)" }

    private static func emitted(_ record: EmittedRecord) -> String {
        "\(place(record.place))\(record.eventType.map { " \($0)" } ?? "")"
    }
}
