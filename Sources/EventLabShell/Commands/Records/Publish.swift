import EventLabCore
import Foundation

/// `publish TOPIC [key=KEY] VALUE`.
struct Publish: ShellCommand {
    static let spec = CommandSpec(
        path: ["publish"], arguments: [ArgumentSpec("TOPIC", .topic), ArgumentSpec("[key=KEY] VALUE", .text, optional: true, variadic: true)],
        options: [OptionSpec("--partition", .partition, help: "write to this partition instead of the key's"),
                  OptionSpec("--header", .keyValue, repeatable: true, help: "add a header (repeatable)"),
                  OptionSpec("--tombstone", help: "write a null value: on a compacted topic it deletes the key"),
                  OptionSpec("--repeat", .number, help: "publish N records (at most 10000000, 1GB in all); {n} in the key and value counts from 1")],
        summary: "Append a record and say where it landed.",
        teaches: "A record with a key goes to partition murmur2(key) mod partitions, as Java's producer does, so one key always lands in one partition and stays in order. A record without a key goes to the partitions in turn.",
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
        if let repeatText {
            let count = try RepeatLimits.count(repeatText)
            return try publishRepeated(count, in: shell, topic: description, key: key, value: value, headers: headers, partition: partition)
        }
        if let value { try JSONText.check(value) }
        let record = ProducerRecord(key: key.map { Array($0.utf8) }, value: value.map { Array($0.utf8) }, headers: headers, partition: partition)
        let position = try shell.broker.publish(topic, [record])[0]
        let why: String
        if partition != nil {
            why = "chosen with --partition"
        } else if let key {
            why = "key \(TerminalText.escape(key)) → murmur2 mod \(description.partitions.count)"
        } else {
            why = description.partitions.count == 1 ? "the only partition" : "no key: partitions in turn"
        }
        shell.say("\(topic) p\(position.partition) @\(position.offset)  (\(why))")
    }

    /// Publishes `count` records with `{n}` replaced by 1…count, and prints one line per
    /// partition.
    ///
    /// Everything that could refuse the records part-way is checked first (the count, the
    /// bytes in all, one record against the topic's `max.message.bytes`); then records are
    /// built and appended a chunk at a time, each chunk small enough to be one accepted batch,
    /// so memory stays bounded however large `count` is.
    private func publishRepeated(
        _ count: Int, in shell: Shell, topic: TopicDescription, key: String?, value: String?, headers: [RecordHeader], partition: Int32?
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
            for position in try shell.broker.publish(topic.name, records) {
                let old = ranges[position.partition]
                ranges[position.partition] = ((old?.count ?? 0) + 1, old?.first ?? position.offset, position.offset)
            }
            first = last + 1
        }
        for (partition, range) in ranges.sorted(by: { $0.key < $1.key }) {
            let offsets = range.first == range.last ? "@\(range.first)" : "@\(range.first)…@\(range.last)"
            shell.say("\(topic.name) p\(partition)  \(range.count) record\(range.count == 1 ? "" : "s")  \(offsets)")
        }
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
