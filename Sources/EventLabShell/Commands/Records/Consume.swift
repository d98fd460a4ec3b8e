import EventLabCore

/// `consume TOPIC`, alone or as a member of a group.
struct Consume: ShellCommand {
    static let spec = CommandSpec(
        path: ["consume"], arguments: [ArgumentSpec("TOPIC", .topic)],
        options: [OptionSpec("--group", .group, help: "read as a member of this consumer group, then commit and leave"),
                  OptionSpec("--from", .startPosition, help: "where to start (default: the group's committed offset, else beginning)"),
                  OptionSpec("--max", .number, help: "stop after this many records"),
                  OptionSpec("--partition", .partition, help: "read only this partition"),
                  OptionSpec("--follow", help: "keep waiting for new records until Ctrl-C (on a terminal)"),
                  OptionSpec("--headers", help: "print each record's headers")],
        summary: "Read records; --group reads as a member and commits.",
        teaches: "Reading never removes a record: a consumer only moves its own position. A group shares the partitions among its members and remembers where it stopped (the committed offset); lag is how far behind that is. Records are bytes from anyone: a newline, tab or control character in them is printed as \\n, \\t or \\x1b, a bidi control as \\u{202e}, a byte that is not UTF-8 as \\xff, so one record is always one line.",
        examples: ["consume orders --from beginning", "consume orders --group billing --max 10"])

    let topic: String
    let group: String?
    let from: String?
    let max: String?
    let partition: String?
    let follow: Bool
    let headers: Bool

    init(_ words: Invocation) {
        topic = words.arguments[0]
        group = words.value("--group")
        from = words.value("--from")
        max = words.value("--max")
        partition = words.value("--partition")
        follow = words.has("--follow")
        headers = words.has("--headers")
    }

    func run(in shell: Shell) throws {
        let description = try shell.broker.describeTopic(topic)
        let max = try self.max.map { try shell.number($0, for: "--max", atLeast: 1) } ?? Int.max
        let only = try partition.map { try shell.partition($0, of: description) }
        let start = try from.map { try StartPosition.parse($0) }
        // A script has no Ctrl-C to end a wait, but --max ends it after N records.
        if follow && !shell.isInteractive && max == Int.max {
            throw ShellError("--follow waits for new records until Ctrl-C, so it needs a terminal; in a script add --max N to stop after N records")
        }
        if let group {
            var waited = false
            let member = try SimulatedConsumer.join(
                shell.broker, group: group, topic: topic, wakeup: shell.interruptWakeup, isInterrupted: shell.isInterrupted
            ) {
                waited = true
                shell.say("waiting for group \(TerminalText.escape(group))'s other members to rejoin (a rebalance; at most \(SimulatedConsumer.rebalanceTimeoutMs / 1000) s)…")
            }
            if waited {
                let got = member.partitions.map { "p\($0)" }.joined(separator: ", ")
                shell.say("rebalanced: this member got \(got.isEmpty ? "no partitions" : got) of \(TerminalText.escape(topic))")
            }
            defer { shell.broker.leaveGroup(groupId: group, memberId: member.memberId) }
            let mine = member.partitions.filter { only == nil || $0 == only }
            var positions: [Int32: Int64] = [:]
            let committed = shell.broker.committedOffsets(groupId: group)
            for partition in mine {
                if start == nil, let offset = committed[TopicPartition(topic, partition)]?.offset {
                    let logStart = try shell.broker.offsets(topic, partition: partition).logStartOffset
                    if offset < logStart {
                        throw ShellError("group \(TerminalText.escape(group)) stopped at offset \(offset) of \(TerminalText.escape(topic)) p\(partition), but the log now starts at \(logStart) (cleaning deleted the records between); move the group with `group reset \(TerminalText.escape(group)) --topic \(TerminalText.escape(topic)) --to earliest --execute`, or read once with --from beginning")
                    }
                    positions[partition] = offset
                } else {
                    positions[partition] = try (start ?? .beginning).offset(in: shell.broker, topic: topic, partition: partition)
                }
            }
            // A member that follows for long keeps its session alive, as a Kafka consumer's heartbeats do.
            let read = try readRecords(topic, in: shell, positions: &positions, max: max, follow: follow, headers: headers) { [broker = shell.broker] in
                _ = broker.heartbeat(groupId: group, memberId: member.memberId, generationId: member.generation)
            }
            let offsets = Dictionary(uniqueKeysWithValues: positions.map { (TopicPartition(topic, $0.key), CommittedOffset(offset: $0.value)) })
            let errors = shell.broker.commitOffsets(groupId: group, memberId: member.memberId, generationId: member.generation, offsets: offsets)
            if let failed = errors.first(where: { $0.value != .none }) {
                throw ShellError("the commit of \(failed.key) failed with \(failed.value.name)")
            }
            let shown = positions.sorted { $0.key < $1.key }.map { "p\($0.key) @\($0.value)" }.joined(separator: ", ")
            shell.say("\(read) record\(read == 1 ? "" : "s") · group \(TerminalText.escape(group)) committed \(shown.isEmpty ? "nothing (no partitions assigned)" : shown)")
        } else {
            var positions: [Int32: Int64] = [:]
            for index in 0..<Int32(description.partitions.count) where only == nil || only == index {
                positions[index] = try (start ?? .beginning).offset(in: shell.broker, topic: topic, partition: index)
            }
            let read = try readRecords(topic, in: shell, positions: &positions, max: max, follow: follow, headers: headers)
            shell.say("\(read) record\(read == 1 ? "" : "s")")
        }
    }

    /// Reads from each partition in turn (partition order, then offset), advancing `positions`;
    /// with `follow`, waits for more until interrupted, calling `heartbeat` every few seconds.
    private func readRecords(
        _ topic: String, in shell: Shell, positions: inout [Int32: Int64], max: Int, follow: Bool, headers: Bool,
        heartbeat: (() -> Void)? = nil
    ) throws -> Int {
        var count = 0
        repeat {
            for partition in positions.keys.sorted() where count < max {
                let records = try shell.broker.read(topic, partition: partition, from: positions[partition]!, maxRecords: max - count)
                for record in records {
                    shell.say(RecordLine.render(record, partition: partition, headers: headers))
                }
                count += records.count
                if let last = records.last { positions[partition] = last.offset + 1 }
            }
            guard follow, count < max, !shell.isInterrupted() else { break }
            _ = try shell.broker.waitForData(
                topic, beyond: positions, timeoutMs: heartbeat == nil ? .max : Self.heartbeatIntervalMs,
                wakeup: shell.interruptWakeup, isInterrupted: shell.isInterrupted)
            heartbeat?()
        } while follow && count < max && !shell.isInterrupted()
        // The terminal echoed `^C` where the cursor was; the summary starts a line of its own.
        if follow && shell.isInterrupted() { shell.say("") }
        return count
    }
}

extension Consume {
    /// How often a following group member heartbeats: Kafka's `heartbeat.interval.ms` default.
    static let heartbeatIntervalMs: Int64 = 3_000
}

extension ValueKind {
    /// Where to start reading: `beginning`, `end`, `offset N`, `time T`, or `-N`.
    static let startPosition = ValueKind(
        "start position", placeholder: "beginning|end|offset N|time T|-N",
        words: ["beginning", "end", "offset", "time"], pairs: ["offset", "time"])
}

/// Where a standalone read starts.
enum StartPosition {
    case beginning, end
    case offset(Int64)
    case time(Int64)
    /// The last N records of each partition.
    case last(Int64)

    static func parse(_ text: String) throws -> StartPosition {
        let words = text.split(separator: " ").map(String.init)
        switch words.first {
        case "beginning", "earliest": return .beginning
        case "end", "latest": return .end
        case "offset":
            guard words.count == 2, let offset = try NumberText.parse(words[1], for: "--from offset"), offset >= 0 else {
                throw ShellError("--from offset needs an offset, a whole number of 0 or more, such as --from offset 5")
            }
            return .offset(offset)
        case "time":
            guard words.count == 2, let time = TimeText.parseTime(words[1]) else {
                throw ShellError("--from time needs a UTC time such as 2024-01-01T00:00:05Z")
            }
            return .time(time)
        default:
            if text.first == "-", let count = try NumberText.parse(String(text.dropFirst()), for: "N in --from -N"), count > 0 { return .last(count) }
            throw ShellError("--from takes beginning, end, offset N, time T or -N (the last N records), not '\(text)'")
        }
    }

    /// The first offset to read in one partition.
    func offset(in broker: Broker, topic: String, partition: Int32) throws -> Int64 {
        let offsets = try broker.offsets(topic, partition: partition)
        switch self {
        case .beginning: return offsets.logStartOffset
        case .end: return offsets.logEndOffset
        case .offset(let offset): return min(max(offset, offsets.logStartOffset), offsets.logEndOffset)
        case .time(let time): return try broker.offset(topic, partition: partition, atOrAfter: time) ?? offsets.logEndOffset
        case .last(let count): return max(offsets.logStartOffset, offsets.logEndOffset.subtractingSaturating(count))
        }
    }
}
