import EventLabCore

extension Shell {
    /// Says what a scheduled cleaning did, so a learner sees when retention and compaction act.
    func reportCleaning(_ report: MaintenanceReport) {
        for (partition, result) in report.retention.sorted(by: { $0.key < $1.key }) {
            let records = result.deletedSegments.reduce(0) { $0 + $1.recordCount }
            say("scheduled cleaning: \(partition.topic) p\(partition.partition) retention deleted \(result.deletedSegments.count) segment\(result.deletedSegments.count == 1 ? "" : "s") (\(records) record\(records == 1 ? "" : "s")); log now starts at \(result.logStartOffset)")
        }
        for (partition, result) in report.compaction.sorted(by: { $0.key < $1.key }) {
            say("scheduled cleaning: \(partition.topic) p\(partition.partition) compaction removed \(result.removedRecords) record\(result.removedRecords == 1 ? "" : "s")")
        }
        for (partition, error) in report.failures.sorted(by: { $0.key < $1.key }) {
            output.error(style.error("warning:") + " scheduled cleaning of \(partition.topic) p\(partition.partition) stopped and will not run again until restart: \(error.message)")
        }
    }
}
