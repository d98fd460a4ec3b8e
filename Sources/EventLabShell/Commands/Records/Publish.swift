import EventLabCore
import Foundation

/// `publish TOPIC [key=KEY] VALUE`.
struct Publish: ShellCommand {
    static let spec = CommandSpec(
        path: ["publish"], arguments: [ArgumentSpec("TOPIC", .topic), ArgumentSpec("[key=KEY] VALUE", .text, optional: true, variadic: true)],
        options: [OptionSpec("--partition", .partition, help: "write to this partition instead of the key's"),
                  OptionSpec("--header", .keyValue, repeatable: true, help: "add a header (repeatable)"),
                  OptionSpec("--tombstone", help: "write a null value: on a compacted topic it deletes the key"),
                  OptionSpec("--repeat", .number, help: "publish N records through the same partitioner (at most 10000000, 1GB in all); {n} in the key and value counts from 1"),
                  OptionSpec("--partitioner", .choice(UnkeyedPartitioning.allCases.map(\.rawValue)),
                             help: "where records without a key go: sticky (Java's default since Kafka 3.3, KIP-794) or round-robin (partitions in turn)"),
                  OptionSpec("--acks", .choice(["0", "1", "all"]),
                             help: "how many replicas must have the record before it counts as written: all (the in-sync replicas; Java's default since Kafka 3.0), 1 (the leader) or 0 (nobody waits)")],
        summary: "Append a record and say where it landed.",
        teaches: "A record with a key goes to partition murmur2(key) mod partitions, as Java's producer does, so one key always lands in one partition and stays in order. A record without a key follows Java's default partitioner (partitioner.class unset): the uniform sticky partitioner of KIP-794 keeps one partition until batch.size (16384 bytes) has gone there, then moves to a partition chosen at random, so unkeyed records fill whole batches. Each publish is one send; EventLab's random choices are seeded, so a session prints the same every run. On a cluster the partition's leader appends the record and its followers copy it; with acks=all the record counts as written once every in-sync replica has it (the high watermark passed it), and the line says which replicas had it; a topic's min.insync.replicas refuses an acks=all write (NOT_ENOUGH_REPLICAS) while fewer replicas are in sync.",
        examples: [#"publish orders key=o-1 {"type":"OrderPlaced","total":42}"#, "publish orders --repeat 100 key=o-{n} {\"n\":{n}}"])

    let topic: String
    let key: String?
    /// The value's words, joined by spaces into the value.
    let words: [String]
    let tombstone: Bool
    /// Each `--header NAME=VALUE`, as typed.
    let headers: [String]
    let partition: String?
    let repeatText: String?
    let partitioner: String?
    let acksText: String?

    init(_ invocation: Invocation) {
        topic = invocation.arguments[0]
        var key: String?
        var words: [String] = []
        for word in invocation.arguments.dropFirst() {
            if word.hasPrefix("key="), key == nil, words.isEmpty {
                key = String(word.dropFirst(4))
            } else {
                words.append(word)
            }
        }
        self.key = key
        self.words = words
        tombstone = invocation.has("--tombstone")
        headers = invocation.options["--header"] ?? []
        partition = invocation.value("--partition")
        repeatText = invocation.value("--repeat")
        partitioner = invocation.value("--partitioner")
        acksText = invocation.value("--acks")
    }

    func run(in shell: Shell) throws {
        let description = try shell.broker.describeTopic(topic)
        if tombstone && !words.isEmpty { throw ShellError("a tombstone has no value: drop '\(words.joined(separator: " "))' or --tombstone") }
        if !tombstone && words.isEmpty {
            throw ShellError("publish needs a value, such as `publish \(topic) key=o-1 {\"type\":\"OrderPlaced\"}`, or --tombstone")
        }
        let value = tombstone ? nil : words.joined(separator: " ")
        let headers = try self.headers.map { pair -> RecordHeader in
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ShellError("--header needs NAME=VALUE, not '\(pair)'")
            }
            return RecordHeader(key: String(pair[..<equals]), value: Array(pair[pair.index(after: equals)...].utf8))
        }
        let partition = try self.partition.map { try shell.partition($0, of: description) }
        let unkeyed = try unkeyedRule()
        let acks = try self.acks()
        if let repeatText {
            let count = try RepeatLimits.count(repeatText)
            try publishRepeated(count, in: shell, topic: description, key: key, value: value, headers: headers, partition: partition, unkeyed: unkeyed, acks: acks)
            if key == nil, partition == nil, description.partitions.count > 1 { try sayUnkeyedRule(unkeyed, in: shell) }
            sayServicesWithoutRules(in: shell)
            return
        }
        if let value { try JSONText.check(value) }
        let record = ProducerRecord(key: key.map { Array($0.utf8) }, value: value.map { Array($0.utf8) }, headers: headers, partition: partition)
        let position: RecordPosition
        do {
            position = try shell.broker.publish(topic, [record], unkeyed: unkeyed, acks: acks)[0]
        } catch {
            throw shell.namingReplicationCode(error)
        }
        let why: String
        if partition != nil {
            why = "chosen with --partition"
        } else if let key {
            // An empty key is still a key (it hashes), so it is shown, not left as a blank.
            why = "key \(key.isEmpty ? "''" : TerminalText.escape(key)) → murmur2 mod \(description.partitions.count)"
        } else if description.partitions.count == 1 {
            why = "the only partition"
        } else if unkeyed == .roundRobin {
            why = "no key: round-robin, partitions in turn"
        } else {
            let sticky = try shell.broker.stickyPartitioner(topic)
            let next = sticky.current.map { "p\($0)" } ?? "?"
            why = sticky.producedBytes == 0
                ? "no key: sticky partitioner; p\(position.partition) reached batch.size \(sticky.batchSize) bytes, so the next unkeyed record goes to \(next), chosen at random"
                : "no key: sticky partitioner, \(sticky.producedBytes) of batch.size \(sticky.batchSize) bytes on p\(position.partition)"
        }
        let written = PublishAcknowledgement(shell: shell, topic: topic, acks: acks, through: [position.partition: position.offset])
        shell.say("\(topic) p\(position.partition) @\(position.offset)  (\(why))\(written.suffix(position.partition))")
        written.sayAfter()
        sayServicesWithoutRules(in: shell)
    }

    private func acks() throws -> Acks {
        guard let acksText else { return .all }
        guard let acks = acksText == "-1" ? .all : Acks(rawValue: acksText) else {
            throw ShellError("--acks takes 0, 1 or all (-1 is all too), not '\(acksText)'")
        }
        return acks
    }

    /// A running service that reads the topic but has no rules yet reads nothing, so nothing
    /// reacts to the record: said, so a learner does not wonder why.
    private func sayServicesWithoutRules(in shell: Shell) {
        let waiting = shell.flows.services.values.filter { $0.isActive && $0.service.rules.isEmpty && $0.service.sources.contains(topic) }
        for name in waiting.map(\.service.name).sorted() {
            shell.say("(service \(name) reads \(topic) but has no rules yet, so it waits: give it one with `service \(name) on TYPE emit TOPIC TEMPLATE`)")
        }
    }

    private func unkeyedRule() throws -> UnkeyedPartitioning {
        guard let partitioner else { return .sticky }
        guard let rule = UnkeyedPartitioning(rawValue: partitioner) else {
            throw ShellError("--partitioner takes sticky or round-robin, not '\(partitioner)'")
        }
        return rule
    }

    /// One line after `--repeat` without a key: which rule spread the records, and where the next goes.
    private func sayUnkeyedRule(_ rule: UnkeyedPartitioning, in shell: Shell) throws {
        guard rule == .sticky else { return shell.say("no key: round-robin, partitions in turn") }
        let sticky = try shell.broker.stickyPartitioner(topic)
        let next = sticky.current.map { "p\($0)" } ?? "?"
        shell.say("no key: sticky partitioner (KIP-794): each partition takes batch.size \(sticky.batchSize) bytes, then one is chosen at random; next is \(next), \(sticky.producedBytes) bytes in")
    }

    /// Publishes `count` records with `{n}` replaced by 1…count, and prints one line per
    /// partition.
    ///
    /// Everything that could refuse the records part-way is checked first (the count, the
    /// bytes in all, one record against the topic's `max.message.bytes`); then records are
    /// built and appended a chunk at a time, each chunk small enough to be one accepted batch,
    /// so memory stays bounded however large `count` is.
    private func publishRepeated(
        _ count: Int, in shell: Shell, topic: TopicDescription, key: String?, value: String?, headers: [RecordHeader], partition: Int32?,
        unkeyed: UnkeyedPartitioning, acks: Acks
    ) throws {
        let keyParts = key.map { Template($0) }
        let valueParts = value.map { Template($0) }
        if let value, valueParts?.isConstant == true { try JSONText.check(value) } else if let valueParts { try JSONText.check(valueParts.render(1)) }
        let recordBytes = try RepeatLimits.check(count: count, topic: topic) { n in
            ProducerRecord(key: keyParts.map { $0.bytes(n) }, value: valueParts.map { $0.bytes(n) }, headers: headers, partition: partition)
        }
        let chunk = RepeatLimits.chunkSize(recordBytes: recordBytes, maxMessageBytes: topic.config.maxMessageBytes)
        var ranges: [Int32: (count: Int, first: Int64, last: Int64)] = [:]
        var first = 1
        while first <= count {
            let last = min(count, first + chunk - 1)
            let records = (first...last).map { n in
                ProducerRecord(key: keyParts.map { $0.bytes(n) }, value: valueParts.map { $0.bytes(n) }, headers: headers, partition: partition)
            }
            let positions: [RecordPosition]
            do {
                positions = try shell.broker.publish(topic.name, records, unkeyed: unkeyed, acks: acks)
            } catch {
                throw shell.namingReplicationCode(error)
            }
            for position in positions {
                let old = ranges[position.partition]
                ranges[position.partition] = ((old?.count ?? 0) + 1, old?.first ?? position.offset, position.offset)
            }
            first = last + 1
        }
        let written = PublishAcknowledgement(shell: shell, topic: topic.name, acks: acks, through: ranges.mapValues(\.last))
        for (partition, range) in ranges.sorted(by: { $0.key < $1.key }) {
            let offsets = range.first == range.last ? "@\(range.first)" : "@\(range.first)…@\(range.last)"
            shell.say("\(topic.name) p\(partition)  \(range.count) record\(range.count == 1 ? "" : "s")  \(offsets)\(written.suffix(partition))")
        }
        written.sayAfter()
    }
}

/// Text with `{n}` placeholders, split once so a million records render quickly.
struct Template {
    private let parts: [String]

    init(_ text: String) {
        parts = text.components(separatedBy: "{n}")
    }

    var isConstant: Bool { parts.count == 1 }

    func render(_ n: Int) -> String { parts.joined(separator: String(n)) }

    func bytes(_ n: Int) -> [UInt8] {
        if parts.count == 1 { return Array(parts[0].utf8) }
        let number = Array(String(n).utf8)
        var result: [UInt8] = []
        for (index, part) in parts.enumerated() {
            if index > 0 { result += number }
            result += part.utf8
        }
        return result
    }
}
