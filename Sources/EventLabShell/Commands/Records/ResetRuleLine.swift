import EventLabCore

/// The one line a `consume` prints when `auto.offset.reset` chose where it starts: which
/// partitions had no valid offset, why, the rule, and the offsets it chose.
enum ResetRuleLine {
    /// Nil when no start came from the rule. `owner` is the group whose committed offsets were
    /// asked for, or nil when the offset came from `--from offset N`.
    static func render(_ starts: [ConsumerStart], rule: AutoOffsetReset, owner: String?) -> String? {
        let chosen = starts.filter { $0.reason != nil }
        guard let topic = chosen.first?.topicPartition.topic else { return nil }
        let subject = owner.map { "\(TerminalText.escape($0))'s offset" } ?? "offset"
        var clauses: [String] = []
        let uncommitted = chosen.filter { $0.reason == .noCommittedOffset }.map { "p\($0.topicPartition.partition)" }
        // Only a group's start can lack a committed offset; `--from offset N` always names one.
        if let owner, !uncommitted.isEmpty {
            clauses.append("\(TerminalText.escape(owner)) has no committed offset on \(TerminalText.escape(topic)) \(uncommitted.joined(separator: ", "))")
        }
        for start in chosen {
            let place = "\(TerminalText.escape(topic)) p\(start.topicPartition.partition)"
            switch start.reason {
            case .belowLogStart(let offset, let logStart)?:
                clauses.append("\(subject) \(offset) on \(place) is below the log start \(logStart) (the records before it were deleted)")
            case .pastLogEnd(let offset, let logEnd)?:
                clauses.append("\(subject) \(offset) on \(place) is past the log end \(logEnd)")
            case .noCommittedOffset?, nil:
                break
            }
        }
        let offsets = Set(chosen.map(\.offset))
        let at = offsets.count == 1
            ? String(offsets.first!)
            : chosen.map { "p\($0.topicPartition.partition) @\($0.offset)" }.joined(separator: ", ")
        return "\(clauses.joined(separator: "; ")): auto.offset.reset=\(rule.rawValue) starts at \(at)"
    }
}
