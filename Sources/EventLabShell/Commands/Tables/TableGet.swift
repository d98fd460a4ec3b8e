import EventLabCore
import EventLabPatterns

/// `table get NAME KEY`.
struct TableGet: ShellCommand {
    static let spec = CommandSpec(
        path: ["table", "get"], arguments: [ArgumentSpec("TABLE", .table), ArgumentSpec("KEY", .tableKey)], options: [],
        summary: "Look a key up in a table: its value and where it came from.",
        teaches: "This is the lookup a rule makes with `table(\"customer-view\", $.customer)`: local, with no call to the service that owns the data, so it answers while that service is down. The answer is the copy's: a key deleted by a tombstone is gone, and a value the table has not read yet is not there.",
        examples: ["table get customer-view c-1"])

    let name: String
    let key: String

    init(_ words: Invocation) {
        name = words.arguments[0]
        key = words.arguments[1]
    }

    func run(in shell: Shell) throws {
        let table = try shell.flows.table(name)
        if let entry = table.get(key) {
            shell.say(TableText.value(entry.value))
            shell.say("set by \(table.topic) p\(entry.partition) @\(entry.offset) at \(shell.time(entry.timestamp))")
        } else {
            shell.say(missing(table, in: shell.broker))
        }
        // A stale answer says so: a newer value, or the key itself, may be in what it has not read.
        for line in TableStale.lines(table, in: shell, onlyBehind: true) { shell.say(line) }
    }

    private func missing(_ table: EventLabPatterns.Table, in broker: Broker) -> String {
        let shown = TerminalText.escape(key)
        switch TableKeyHistory.lastWrite(of: Array(key.utf8), in: table, broker: broker) {
        case .tombstone(let partition, let offset):
            return "\(name) has no key \(shown): the tombstone at \(table.topic) p\(partition) @\(offset) deleted it"
        case .never:
            return "\(name) has no key \(shown): no record it read from \(table.topic) has that key"
        case .unknown:
            return "\(name) has no key \(shown)"
        }
    }
}

/// What became of a key a table does not hold, read back from the part of its topic the table
/// has read.
enum TableKeyHistory {
    /// Records read back at most per lookup: past that, what became of the key goes untold.
    static let readLimit = 100_000
    /// Records read at a time, from the end backwards.
    static let chunk: Int64 = 1_000

    enum Finding: Equatable {
        /// The newest record with the key is this tombstone.
        case tombstone(partition: Int32, offset: Int64)
        /// No record the table read has the key.
        case never
        /// The topic is too long to read back, or cannot be read.
        case unknown
    }

    /// The newest record with `key` below the table's position in each partition, read from the
    /// end backwards: a tombstone when that is what deleted it.
    static func lastWrite(of key: [UInt8], in table: EventLabPatterns.Table, broker: Broker) -> Finding {
        guard let partitions = try? broker.describeTopic(table.topic).partitions else { return .unknown }
        var budget = readLimit
        var newest: (partition: Int32, record: Record)?
        for partition in partitions {
            let start = partition.logStartOffset
            var end = min(table.positions[partition.index] ?? start, partition.logEndOffset)
            while end > start {
                guard budget > 0 else { return .unknown }
                let from = max(start, end - chunk)
                guard let records = try? broker.read(table.topic, partition: partition.index, from: from, maxRecords: Int(end - from)) else {
                    return .unknown
                }
                budget -= records.count
                if let found = records.last(where: { $0.offset < end && $0.key?.elementsEqual(key) == true }) {
                    if newest.map({ $0.record.timestamp <= found.timestamp }) ?? true { newest = (partition.index, found) }
                    break
                }
                end = from
            }
        }
        guard let newest else { return .never }
        return newest.record.isTombstone ? .tombstone(partition: newest.partition, offset: newest.record.offset) : .unknown
    }
}
