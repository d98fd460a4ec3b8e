import EventLabCore

/// One key's state saved so a rebuild can start from it instead of from the topic's start: a
/// record of the compacted topic `NAME-snapshots`, keyed by the aggregate key, whose value is
/// compact JSON:
///
///     {"aggregate":"account","fingerprint":"…16 hex…","version":5,"partition":0,"offset":41,
///      "at":{"0":42,"1":17},"state":{"balance":130}}
///
/// `version`, `partition` and `offset` are the key's own (its last applied event); `at` is, per
/// partition of the source, the offset the fold that made the state had read up to (every event
/// before it is in the state). A snapshot is used only while `fingerprint` equals the rules'.
public struct AggregateSnapshot: Sendable, Equatable {
    /// The aggregate key.
    public var key: String
    /// The key's state, version and last event when the snapshot was taken.
    public var entry: AggregateState
    /// Per partition, the next offset the fold had not read.
    public var at: [Int32: Int64]
    /// The rules' fingerprint the state was folded under.
    public var fingerprint: String

    /// `key`'s snapshot of `entry`, folded under `fingerprint` from the source read up to `at`.
    public init(key: String, entry: AggregateState, at: [Int32: Int64], fingerprint: String) {
        self.key = key
        self.entry = entry
        self.at = at
        self.fingerprint = fingerprint
    }

    /// The record that publishes this snapshot for `aggregate`.
    public func record(aggregate: String) -> ProducerRecord {
        var members: [(key: String, value: JSON)] = [
            ("aggregate", .string(aggregate)),
            ("fingerprint", .string(fingerprint)),
            ("version", .number(ExactNumber(Int64(entry.version)))),
        ]
        if let partition = entry.partition, let offset = entry.offset {
            members.append(("partition", .number(ExactNumber(Int64(partition)))))
            members.append(("offset", .number(ExactNumber(offset))))
        }
        members.append(("at", .object(at.sorted { $0.key < $1.key }.map { (String($0.key), .number(ExactNumber($0.value))) })))
        members.append(("state", entry.state))
        return ProducerRecord(key: Array(key.utf8), value: JSONPrinter.bytes(.object(members)))
    }

    /// The snapshot `record` holds for `aggregate`, or why it is not one.
    public static func read(_ record: Record, aggregate: String) -> Result<AggregateSnapshot, AggregateSnapshotError> {
        func refuse(_ reason: String) -> Result<AggregateSnapshot, AggregateSnapshotError> { .failure(AggregateSnapshotError(reason)) }
        guard let keyBytes = record.key else { return refuse("it has no key") }
        guard let value = record.value else { return refuse("it is a tombstone") }
        guard let json = try? JSONParser.parse(value), case .object(let members) = json else { return refuse("its value is not a JSON object") }
        func field(_ name: String) -> JSON? { members.first { $0.key == name }?.value }
        func integer(_ name: String) -> Int64? {
            if case .number(let number) = field(name), number.isInteger { number.mantissa } else { nil }
        }
        guard field("aggregate") == .string(aggregate) else { return refuse("it is not aggregate \(aggregate)'s") }
        guard case .string(let fingerprint) = field("fingerprint") else { return refuse("it has no text fingerprint") }
        guard let version = integer("version"), version >= 0 else { return refuse("it has no version of 0 or more") }
        let partition = integer("partition")
        let offset = integer("offset")
        guard (partition == nil) == (offset == nil), (partition ?? 0) >= 0, (partition ?? 0) <= Int64(Int32.max), (offset ?? 0) >= 0
        else { return refuse("its partition and offset are not both there as numbers of 0 or more") }
        guard case .object(let atMembers) = field("at") else { return refuse("it has no object `at`") }
        var at: [Int32: Int64] = [:]
        for member in atMembers {
            guard let index = Int32(member.key), index >= 0, case .number(let number) = member.value, number.isInteger, number.mantissa >= 0
            else { return refuse("its `at` is not partitions mapped to offsets") }
            at[index] = number.mantissa
        }
        guard let state = field("state"), case .object = state else { return refuse("its state is not a JSON object") }
        let entry = AggregateState(state: state, version: Int(version), offset: offset, partition: partition.map { Int32($0) })
        return .success(AggregateSnapshot(key: String(decoding: keyBytes, as: UTF8.self), entry: entry, at: at, fingerprint: fingerprint))
    }
}

/// Why a record of a snapshot topic is not a snapshot a rebuild can use.
public struct AggregateSnapshotError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong with the record, e.g. "its value is not a JSON object".
    public var reason: String

    public init(_ reason: String) { self.reason = reason }

    public var description: String { reason }
}

extension Aggregate {
    /// The snapshot topic of this aggregate: `NAME-snapshots`, which should be compacted.
    public var snapshotTopic: String { "\(name)-snapshots" }

    /// The records that snapshot every key of `states`, folded under the current rules from
    /// the source read up to `at` (a rebuild's `report.readTo`). Give every key of one fold:
    /// a rebuild from snapshots takes a key without one to have had no events before `at`.
    public func snapshotRecords(_ states: [String: AggregateState], at: [Int32: Int64]) -> [ProducerRecord] {
        let fingerprint = fingerprint
        return states.sorted { $0.key < $1.key }.map { key, entry in
            AggregateSnapshot(key: key, entry: entry, at: at, fingerprint: fingerprint).record(aggregate: name)
        }
    }
}
