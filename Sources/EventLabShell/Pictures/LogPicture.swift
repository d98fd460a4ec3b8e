import EventLabCore

/// `show log`: one partition's segments, compaction gaps and the retention boundary; with
/// `timesVary` (the system clock), its times are marked as varying (`Varying`).
enum LogPicture {
    static func render(_ topic: TopicDescription, partition: PartitionDescription, now: Int64, timesVary: Bool) -> String {
        let time = { TimeText.format($0, varies: timesVary) }
        var lines = ["\(topic.name) p\(partition.index) · log-start \(partition.logStartOffset) · log-end \(partition.logEndOffset) · \(partition.segments.count) segment\(partition.segments.count == 1 ? "" : "s") · \(TopicSettings.summary(topic.config))"]
        let rows = partition.segments.enumerated().map { index, segment -> [String] in
            let covered = segment.endOffset - segment.baseOffset
            let gap = covered - Int64(segment.recordCount)
            let note = index == partition.segments.count - 1 ? "active (never compacted)" : (gap > 0 ? "\(gap) offset\(gap == 1 ? "" : "s") compacted away" : "closed")
            return [fileName(segment.baseOffset), String(segment.baseOffset), String(segment.endOffset), String(segment.recordCount),
                    SizeText.format(Int64(segment.byteCount)), segment.maxTimestamp.map(time) ?? "-", note]
        }
        lines.append(Table.render(header: ["SEGMENT", "BASE", "END", "RECORDS", "SIZE", "NEWEST-RECORD", "NOTE"], rows: rows))
        if topic.config.cleanupPolicy.contains(.compact) {
            let decision = CleaningDecision(closed: Array(partition.segments.dropLast()), checkpoint: partition.cleanerCheckpoint, config: topic.config, now: now)
            let shown = CompactionRun.format(decision.dirtyRatio, beside: decision.minRatio)
            let verdict = switch decision.skip {
            case nil: "the next pass cleans it"
            case .ratio: "not above min.cleanable.dirty.ratio \(shown.limit): the next pass skips it"
            case .minLag(let at): "held by min.compaction.lag.ms until \(time(at))"
            }
            lines.append("cleaner checkpoint @\(decision.firstDirtyOffset) · dirty ratio \(shown.ratio) (bytes after the checkpoint over the closed segments' bytes): \(verdict)")
        }
        if topic.config.cleanupPolicy.contains(.delete), let retention = topic.config.retentionMs {
            let boundary = now.subtractingSaturating(retention)
            let candidates = partition.segments.last?.byteCount == 0 ? partition.segments.dropLast() : partition.segments[...]
            let expired = candidates.prefix { ($0.maxTimestamp ?? .min) < boundary }.count
            lines.append("retention \(TimeText.formatDuration(retention)): segments (the active one too) whose newest record is before \(time(boundary)) go at the next cleaning — \(expired == 0 ? "none yet" : "\(expired) now")")
        } else if !topic.config.cleanupPolicy.contains(.delete) {
            lines.append("cleanup \(topic.config.cleanupPolicy): retention never deletes segments here")
        }
        return lines.joined(separator: "\n")
    }

    static func fileName(_ base: Int64) -> String {
        let digits = String(base)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".log"
    }
}
