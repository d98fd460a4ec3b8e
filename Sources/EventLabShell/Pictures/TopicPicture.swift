import EventLabCore

/// `show topic`: each partition a row of offset cells, segment starts marked, each group's
/// next offset under its cell with the lag.
///
/// ```
/// orders · 3 partitions · cleanup delete · retention 7d
/// p0 │0 o-3│1 o-4┃2 o-3│ end 3
///          ▲billing lag 2
/// ```
///
/// With more than one broker, each row ends with the high watermark, and a line per replica
/// follows it: a bar under the records that broker holds, heavy below the high watermark.
///
/// ```
/// p0 │0 o-1│1 o-3│2 o-4│3 o-5│ end 4 · hw 3
///    ━━━━━━━━━━━━━━━━━━────── ★1 end 4
///    ━━━━━━━━━━━━━━━━━━──────  2 end 4
///    ━━━━━━━━━━━━              3 end 2 out (paused)
/// ```
struct TopicPicture {
    let broker: Broker
    let width: Int
    let style: Style
    /// The services reading the topic: each is a consumer group, drawn like one.
    var services: [String] = []
    /// The cluster when it has more than one broker: then each partition's replicas are drawn.
    var cluster: ClusterDescription?

    /// One group's position in one partition.
    struct Marker {
        var group: String
        var offset: Int64
        var lag: Int64
    }

    func render(_ topic: TopicDescription) throws -> String {
        var lines = ["\(topic.name) · \(topic.partitions.count) partition\(topic.partitions.count == 1 ? "" : "s") · \(TopicSettings.summary(topic.config))"]
        var markers: [Int32: [Marker]] = [:]
        for group in broker.groups() {
            for lag in group.partitions where lag.topicPartition.topic == topic.name {
                if let offset = lag.committedOffset {
                    markers[lag.topicPartition.partition, default: []].append(Marker(group: TerminalText.escape(group.groupId), offset: offset, lag: lag.lag ?? 0))
                }
            }
        }
        // A group that has committed nothing here has no position to draw: a plain consumer's
        // first read picks one by its auto.offset.reset. A service always starts at the earliest
        // offset, so until it commits (stopped, waiting, or in manual flow before its first step)
        // it is drawn at the log start with all of the partition as its lag.
        for service in services {
            for partition in topic.partitions where !(markers[partition.index] ?? []).contains(where: { $0.group == TerminalText.escape(service) }) {
                markers[partition.index, default: []].append(Marker(
                    group: TerminalText.escape(service), offset: partition.logStartOffset,
                    lag: partition.logEndOffset - partition.logStartOffset))
            }
        }
        let labelWidth = "p\(topic.partitions.count - 1)".count
        // Replica lines name the brokers that are not up when that leaves every row's records 20
        // columns.
        let conditions = Dictionary(uniqueKeysWithValues: (cluster?.brokers ?? []).map { ($0.id, $0.condition) })
        let namesConditions = topic.partitions.allSatisfy { width - labelWidth - 1 - ReplicaRows.widest($0, conditions: conditions) >= 20 }
        var drewTombstone = false
        for partition in topic.partitions {
            let label = "p\(partition.index)".padding(labelWidth)
            lines += try row(
                topic.name, partition, label: label, markers: markers[partition.index] ?? [], conditions: namesConditions ? conditions : [:],
                drewTombstone: &drewTombstone)
        }
        var legend = ["│ a record: offset and key (or event type)"]
        if drewTombstone { legend.append("ø a tombstone (no value: compaction deletes its key)") }
        if topic.partitions.contains(where: { $0.logStartOffset > 0 }) { legend.append("(log starts at N): the offsets before N were deleted") }
        if topic.partitions.contains(where: { $0.segments.count > 1 }) { legend.append("┃ a new segment") }
        let behind = topic.partitions.flatMap { partition in markers[partition.index, default: []].map { $0.offset < partition.logStartOffset } }
        if behind.contains(false) { legend.append("▲ a group's next offset") }
        if behind.contains(true) { legend.append("◀ a group's next offset @N, already deleted: its next consume starts by auto.offset.reset") }
        lines.append(legend.joined(separator: " · "))
        if cluster != nil { lines += ClusterPicture.wrap(ReplicaRows.legend, width: width) }
        return lines.joined(separator: "\n")
    }

    private func row(
        _ topic: String, _ partition: PartitionDescription, label: String, markers: [Marker], conditions: [Int32: BrokerCondition], drewTombstone: inout Bool
    ) throws -> [String] {
        let start = partition.logStartOffset
        let end = partition.logEndOffset
        let suffix = " end \(end)" + (start > 0 ? " (log starts at \(start))" : "") + (cluster == nil ? "" : " · hw \(partition.highWatermark)")
        let segmentStarts = Set(partition.segments.dropFirst().map(\.baseOffset))
        // The replica lines' words start under the row's end: make room for the widest.
        let reserve = max(suffix.count, cluster == nil ? 0 : ReplicaRows.widest(partition, conditions: conditions))
        if partition.leader == nil {
            // No leader to read from: the row says so, and the replica lines give each copy's end.
            let line = label + " (offline: no leader)" + suffix
            let first = label.count + 1
            return [line] + ReplicaRows.lines(partition, conditions: conditions, from: first, to: { _ in first }, wordsAt: line.count - suffix.count)
        }
        let budget = max(20, width - label.count - 1 - reserve)
        // Enough records from each end to fill the width; never the whole partition.
        let sample = max(4, budget / 4)
        let head = try broker.leaderRecords(topic, partition: partition.index, from: start, maxRecords: sample)
        let total = partition.segments.reduce(0) { $0 + $1.recordCount }
        var tail: [Record] = []
        if total > head.count {
            let from = max(start, end - Int64(sample))
            tail = try broker.leaderRecords(topic, partition: partition.index, from: from, maxRecords: sample).filter { $0.offset > (head.last?.offset ?? -1) }
        }
        func cell(_ record: Record, after previous: Int64?) -> String {
            let startsSegment = segmentStarts.contains { $0 <= record.offset && $0 > (previous ?? Int64.min) }
            return (startsSegment ? "┃" : "│") + "\(record.offset) \(RecordLabel.of(record))"
        }
        var cells: [(offset: Int64, text: String)] = []
        var previous: Int64?
        let contiguous = total == head.count + tail.count
        var shownHead = head
        var shownTail = tail
        if !contiguous || cellsWidth(head + tail, cell) > budget {
            // Keep as many cells from each end as fit, with an ellipsis cell between.
            shownHead = []
            shownTail = []
            var used = 2
            var left = head[...]
            var right = tail.isEmpty ? [] : tail[...]
            if tail.isEmpty, head.count > 1 {
                right = head[(head.count / 2)...]
                left = head[..<(head.count / 2)]
            }
            while true {
                var grew = false
                if let next = left.first, used + cell(next, after: nil).count + 1 <= budget {
                    shownHead.append(next)
                    used += cell(next, after: nil).count
                    left = left.dropFirst()
                    grew = true
                }
                if let next = right.last, used + cell(next, after: nil).count + 1 <= budget {
                    shownTail.insert(next, at: 0)
                    used += cell(next, after: nil).count
                    right = right.dropLast()
                    grew = true
                }
                if !grew { break }
            }
        }
        drewTombstone = drewTombstone || (shownHead + shownTail).contains(where: \.isTombstone)
        for record in shownHead {
            cells.append((record.offset, cell(record, after: previous)))
            previous = record.offset
        }
        if shownHead.count + shownTail.count < total {
            cells.append((-1, "│…"))
            previous = shownTail.first.map { $0.offset - 1 }
        }
        for record in shownTail {
            cells.append((record.offset, cell(record, after: previous)))
            previous = record.offset
        }
        var line = label + " "
        var columns: [Int64: Int] = [:]
        var ellipsis: Int?
        for (offset, text) in cells {
            if offset >= 0 { columns[offset] = line.count + 1 } else { ellipsis = line.count + 1 }
            line += text
        }
        if cells.isEmpty { line += "(empty)" } else { line += "│" }
        let endColumn = line.count + 1
        line += suffix
        var lines = [line]
        if cluster != nil {
            // The `│` before offset's cell, the row's last `│` from the log end on; an offset in
            // the elided middle goes to the `…`, one cleaned away to the next cell shown.
            let first = label.count + 1
            let last = cells.isEmpty ? first : endColumn - 2
            let elided = (shownHead.last?.offset ?? start - 1, shownTail.first?.offset ?? end)
            let boundary = { (offset: Int64) -> Int in
                if offset <= start { return first }
                if offset >= end { return last }
                if let ellipsis, offset > elided.0, offset < elided.1 { return ellipsis }
                return (columns[offset] ?? columns.filter { $0.key > offset }.min { $0.key < $1.key }?.value ?? endColumn - 1) - 1
            }
            lines += ReplicaRows.lines(partition, conditions: conditions, from: first, to: boundary, wordsAt: endColumn - 1)
        }
        var markerLine = ""
        var texts: [String] = []
        func flush() {
            guard !markerLine.isEmpty else { return }
            var painted = String(markerLine.dropLast())
            for text in texts { painted = painted.replacingOccurrences(of: text, with: style.marker(text)) }
            lines.append(painted)
            markerLine = ""
            texts = []
        }
        for marker in markers.sorted(by: { ($0.offset, $0.group) < ($1.offset, $1.group) }) {
            // A group left behind by cleaning is drawn at the row's start with its own offset, not
            // under the first record kept, which it has not reached.
            let behind = marker.offset < start
            let column = behind ? label.count + 1 : marker.offset >= end ? endColumn : (columns[marker.offset] ?? columns.filter { $0.key > marker.offset }.min { $0.key < $1.key }?.value ?? endColumn)
            let text = behind ? "◀\(marker.group) @\(marker.offset) lag \(marker.lag)" : "▲\(marker.group) lag \(marker.lag)"
            if markerLine.count > column - 1 { flush() }
            markerLine += String(repeating: " ", count: max(0, column - markerLine.count)) + text + " "
            texts.append(text)
        }
        flush()
        return lines
    }

    private func cellsWidth(_ records: [Record], _ cell: (Record, Int64?) -> String) -> Int {
        records.reduce(1) { $0 + cell($1, nil).count }
    }
}

/// A partition's replicas under its row in `show topic`: per broker, a bar under the records it
/// holds, heavy (`━`) below the high watermark, light (`─`) above it, then its id (`★` for the
/// leader), its log end, and `out` when it is not in the ISR.
enum ReplicaRows {
    static let legend = "★ the leader · ━ records below the high watermark (hw): every in-sync replica has them, and consumers read only these · ─ above it: not yet on every in-sync replica · out: not in the ISR, so the hw does not wait for it"

    /// One line per replica, in assignment order: its bar from column `first` to `boundary` of
    /// its end, then its words at column `words`.
    static func lines(_ partition: PartitionDescription, conditions: [Int32: BrokerCondition], from first: Int, to boundary: (Int64) -> Int, wordsAt words: Int) -> [String] {
        partition.replicas.map { id in
            let barEnd = partition.replicaEnds[id].map(boundary) ?? first
            let heavyEnd = min(barEnd, boundary(partition.highWatermark))
            let bar = String(repeating: " ", count: first) + String(repeating: "━", count: max(0, heavyEnd - first))
                + String(repeating: "─", count: max(0, barEnd - max(heavyEnd, first)))
            return bar.padding(words) + self.words(id, partition, conditions: conditions)
        }
    }

    /// `★1 end 6`, ` 2 end 5`, ` 3 end 3 out (killed)`: the condition only for a broker not up.
    static func words(_ id: Int32, _ partition: PartitionDescription, conditions: [Int32: BrokerCondition]) -> String {
        let condition = conditions[id].flatMap { $0 == .running ? nil : " (\(ClusterPicture.state($0)))" } ?? ""
        return (partition.leader == id ? "★" : " ") + "\(id) end \(partition.replicaEnds[id].map(String.init) ?? "?")"
            + (partition.isr.contains(id) ? "" : " out") + condition
    }

    /// The widest words of the partition's replica lines.
    static func widest(_ partition: PartitionDescription, conditions: [Int32: BrokerCondition]) -> Int {
        partition.replicas.map { words($0, partition, conditions: conditions).count }.max() ?? 0
    }
}

extension String {
    /// Padded with spaces on the right to `width`.
    func padding(_ width: Int) -> String {
        self + String(repeating: " ", count: max(0, width - count))
    }
}
