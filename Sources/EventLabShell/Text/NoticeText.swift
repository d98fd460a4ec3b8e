import EventLabCore

/// The words for what the broker did in the background, as the REPL, scripts and `serve` say it.
public enum NoticeText {
    /// One line of a notice; a warning goes where errors go.
    public struct Line: Equatable, Sendable {
        /// The words, without a `warning:` prefix.
        public let text: String
        /// True for damage met on the way: written where errors go, after `warning:`.
        public let isWarning: Bool
    }

    /// The lines telling of `notice`, warnings last; with `timesVary` (the system clock), times
    /// are marked as varying (`Varying`).
    public static func lines(_ notice: BrokerNotice, timesVary: Bool = false) -> [Line] {
        switch notice {
        case .cleaning(let report): cleaning(report, timesVary: timesVary)
        case .offsetsExpired(let expiry): [offsetsExpired(expiry)]
        case .cluster(let events): events.map { Line(text: ClusterEventText.line($0), isWarning: false) }
        }
    }

    private static func offsetsExpired(_ expiry: OffsetsExpiry) -> Line {
        let group = TerminalText.escape(expiry.group)
        let retention = "\(TimeText.formatDuration(expiry.retentionMinutes.multipliedReportingOverflow(by: 60_000).partialValue)) (offsets.retention.minutes)"
        let topics = Dictionary(grouping: expiry.partitions, by: \.topic).sorted { $0.key < $1.key }
        let partitions = topics.map { topic, partitions in
            "\(topic) " + partitions.map { "p\($0.partition)" }.joined(separator: ", ")
        }.joined(separator: "; ")
        let why = switch expiry.presence {
        case .neverHadMembers: "group \(group) never had members and its offsets on \(partitions) were committed \(retention) ago or more: they are gone"
        case .emptySince, .hasMembers: "group \(group) had no members for \(retention): its offsets on \(partitions) are gone"
        }
        return Line(text: "offsets expired: \(why); its next consume starts by auto.offset.reset", isWarning: false)
    }

    private static func cleaning(_ report: MaintenanceReport, timesVary: Bool) -> [Line] {
        let when = "scheduled cleaning at \(TimeText.format(report.at, varies: timesVary))"
        let retention = report.retention.sorted { $0.key < $1.key }.map { partition, result in
            let records = result.deletedSegments.reduce(0) { $0 + $1.recordCount }
            let segments = result.deletedSegments.count
            return Line(
                text: "\(when): \(partition.topic) p\(partition.partition) retention deleted \(segments) segment\(segments == 1 ? "" : "s") (\(records) record\(records == 1 ? "" : "s")); log now starts at \(result.logStartOffset)",
                isWarning: false)
        }
        let compaction = report.compaction.sorted { $0.key < $1.key }.map { partition, result in
            Line(
                text: "\(when): \(partition.topic) p\(partition.partition) compaction removed \(result.removedRecords) record\(result.removedRecords == 1 ? "" : "s")",
                isWarning: false)
        }
        let failures = report.failures.sorted { $0.key < $1.key }.map { partition, error in
            Line(
                text: "\(when) of \(partition.topic) p\(partition.partition) stopped and will not run again until restart: \(error.message)",
                isWarning: true)
        }
        return retention + compaction + failures
    }
}
