import EventLabCore

/// `consume TOPIC`, alone or as a member of a group.
struct Consume: ShellCommand {
    static let spec = CommandSpec(
        path: ["consume"], arguments: [ArgumentSpec("TOPIC", .topic)],
        options: [OptionSpec("--group", .group, help: "read as a member of this consumer group, then commit and leave"),
                  OptionSpec("--from", .startPosition, help: "where to start (default: the group's committed offset, else by --reset; without a group, beginning)"),
                  OptionSpec("--reset", .autoOffsetReset, help: "Kafka's auto.offset.reset, for a partition where the group has no committed offset or one outside the log, and for --from offset N outside it: earliest (EventLab's default, so a new group sees what is already there), latest (Kafka's default: only new records) or none (fail)"),
                  OptionSpec("--max", .number, help: "stop after this many records"),
                  OptionSpec("--partition", .partition, help: "read only this partition"),
                  OptionSpec("--follow", help: "keep waiting for new records until Ctrl-C (on a terminal)"),
                  OptionSpec("--headers", help: "print each record's headers")],
        summary: "Read records; --group reads as a member and commits.",
        teaches: "Reading never removes a record: a consumer only moves its own position. A group shares the partitions among its members and remembers where it stopped (the committed offset); lag is how far behind that is. Where the group has no committed offset, or one cleaning deleted (below the log start) or past the log end, the consumer starts by auto.offset.reset — Kafka's default is latest, EventLab's earliest — and says so in one line. A `consume --group` member joins and rebalances at once; a group of real clients (`listen`, `eventlab serve`) first waits group.initial.rebalance.delay.ms (Kafka's 3 s, `serve --set group.initial.rebalance.delay.ms=0` for none) for more members to join, on the system clock only: on the logical clock it starts at once. A client with group.instance.id is a static member: when it restarts it gets its old partitions back and the others never rebalance; it sends no LeaveGroup on close, so its partitions wait for it until its session times out. Records are bytes from anyone: a newline, tab or control character in them is printed as \\n, \\t or \\x1b, a bidi control as \\u{202e}, a byte that is not UTF-8 as \\xff, so one record is always one line.",
        examples: ["consume orders --from beginning", "consume orders --group billing --max 10", "consume orders --group audit --reset latest"])

    let topic: String
    let group: String?
    let from: String?
    let reset: String?
    let max: String?
    let partition: String?
    let follow: Bool
    let headers: Bool

    init(_ words: Invocation) {
        topic = words.arguments[0]
        group = words.value("--group")
        from = words.value("--from")
        reset = words.value("--reset")
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
        let rule = try reset.map(Self.parseReset) ?? .earliest
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
                // A running service is a member of its group: it rejoins now, not after this command.
                shell.serviceMembers.heartbeat(group)
                shell.say("waiting for group \(TerminalText.escape(group))'s other members to rejoin (a rebalance; at most \(SimulatedConsumer.rebalanceTimeoutMs / 1000) s)…")
            }
            if waited {
                let got = member.partitions.map { "p\($0)" }.joined(separator: ", ")
                shell.say("rebalanced: this member got \(got.isEmpty ? "no partitions" : got) of \(TerminalText.escape(topic))")
            }
            defer { shell.broker.leaveGroup(groupId: group, memberId: member.memberId) }
            let mine = member.partitions.filter { only == nil || $0 == only }
            let starts = try start.map { try $0.starts(in: shell.broker, topic: topic, partitions: mine, rule: rule) }
                ?? shell.broker.consumerStarts(groupId: group, topic: topic, partitions: mine, reset: rule)
            if let line = ResetRuleLine.render(starts, rule: rule, owner: start == nil ? group : nil) { shell.say(line) }
            var positions = Dictionary(uniqueKeysWithValues: starts.map { ($0.topicPartition.partition, $0.offset) })
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
            let all = (0..<Int32(description.partitions.count)).filter { only == nil || only == $0 }
            let starts = try (start ?? .beginning).starts(in: shell.broker, topic: topic, partitions: all, rule: rule)
            if let line = ResetRuleLine.render(starts, rule: rule, owner: nil) { shell.say(line) }
            var positions = Dictionary(uniqueKeysWithValues: starts.map { ($0.topicPartition.partition, $0.offset) })
            let read = try readRecords(topic, in: shell, positions: &positions, max: max, follow: follow, headers: headers)
            shell.say("\(read) record\(read == 1 ? "" : "s")")
        }
    }

    private static func parseReset(_ text: String) throws -> AutoOffsetReset {
        guard let rule = AutoOffsetReset(rawValue: text) else {
            throw ShellError("--reset takes earliest, latest or none (Kafka's auto.offset.reset), not '\(text)'")
        }
        return rule
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
                    shell.say(RecordLine.render(record, partition: partition, headers: headers, timesVary: shell.timesVary))
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
    /// Kafka's `auto.offset.reset`.
    static let autoOffsetReset = ValueKind("auto.offset.reset", placeholder: "earliest|latest|none", words: AutoOffsetReset.allCases.map(\.rawValue))
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

    /// Where reading starts in each of `partitions`; an offset outside the log goes where
    /// `rule` says, as a Kafka consumer's seek does once its fetch is answered OFFSET_OUT_OF_RANGE.
    func starts(in broker: Broker, topic: String, partitions: [Int32], rule: AutoOffsetReset) throws -> [ConsumerStart] {
        try partitions.map { index in
            let offsets = try broker.offsets(topic, partition: index)
            let partition = TopicPartition(topic, index)
            let offset: Int64
            switch self {
            case .beginning: offset = offsets.logStartOffset
            case .end: offset = offsets.logEndOffset
            case .offset(let wanted):
                return try rule.start(partition, at: wanted, logStart: offsets.logStartOffset, logEnd: offsets.logEndOffset)
            case .time(let time): offset = try broker.offset(topic, partition: index, atOrAfter: time) ?? offsets.logEndOffset
            case .last(let count): offset = max(offsets.logStartOffset, offsets.logEndOffset.subtractingSaturating(count))
            }
            return ConsumerStart(topicPartition: partition, offset: offset, reason: nil)
        }
    }
}
