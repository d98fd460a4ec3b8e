import EventLabCore

/// An idempotent consumer: a service with a dedupe expression remembers the id of each record
/// it handles, as a record keyed by the id in its own compacted topic, produced with the
/// record's emissions before its offset is committed. A record whose id it has seen is passed
/// over, so a record handled again after a crash before its commit emits nothing twice.
extension Service {
    /// The compacted topic where the service remembers the ids it has handled: `NAME-dedupe`.
    public var dedupeTopic: String { "\(name)-dedupe" }

    /// What the dedupe expression reads from a record.
    enum DedupeId {
        /// The record's id: text as its UTF-8 bytes, anything else as compact JSON.
        case id([UInt8])
        /// The record has no id the expression can read: it is poison.
        case poison(Poison)
    }

    /// The id of `record`, read at `record.offset` of `partition` of `topic`; nil when the service
    /// does not deduplicate.
    func dedupeId(of record: Record, topic: String, partition: Int32, tables: (any ExpressionTables)?) -> DedupeId? {
        guard let dedupe else { return nil }
        // The id is read from the event the rules read; `react` upcasts the record again itself.
        var event = record
        if let poison = upcast(&event, topic: topic, partition: partition) { return .poison(poison) }
        do throws(EvaluationError) {
            return .id(Self.bytes(try dedupe.evaluate(event, partition: partition, tables: tables)))
        } catch {
            let reason = "its dedupe id \(dedupe) at column \(error.column): \(error.message)"
            return .poison(poison(record, topic: topic, partition: partition, rule: nil, reason: reason))
        }
    }

    /// The record's event type, when it has one, for describing a duplicate.
    func eventType(of record: Record) -> String? {
        if case .type(let type) = typeReader.read(record) { return type }
        return nil
    }

    /// The record remembering that the record at `topic`/`partition`/`offset`, of id `id`, was
    /// handled: keyed by the id, its value where it was read.
    func remembering(_ id: [UInt8], topic: String, partition: Int32, offset: Int64) -> Emission {
        Emission(topic: dedupeTopic, key: id, value: Self.cause(topic, partition, offset), headers: [])
    }

    /// The ids remembered in ``dedupeTopic``, read from its start.
    func rememberedIds(in broker: Broker) throws(BrokerError) -> Set<[UInt8]> {
        var ids: Set<[UInt8]> = []
        let description = try broker.describeTopic(dedupeTopic)
        for partition in 0..<Int32(description.partitions.count) {
            var next = try broker.offsets(dedupeTopic, partition: partition).logStartOffset
            while true {
                let records = try broker.read(dedupeTopic, partition: partition, from: next, maxRecords: 1_000)
                guard let last = records.last else { break }
                for record in records { if let key = record.key { ids.insert(Array(key)) } }
                next = last.offset + 1
            }
        }
        return ids
    }
}
