import EventLabCore

/// Each reader of events applies the upcasters it carries to a record before anything of its own
/// reads it — its type, key, dedupe id, conditions and values — and treats an upcaster's failure
/// as its own failure on that record.
extension Service {
    /// Upcasts `record`, read at `topic`/`partition`, in place; the poison it is, when an
    /// upcaster fails on it, holds it as the log does.
    func upcast(_ record: inout Record, topic: String, partition: Int32) -> Poison? {
        if upcasters.isEmpty { return nil }
        switch upcasters.upcast(record, partition: partition, readType: typeReader.read) {
        case .success(let upcast):
            record = upcast.record
            return nil
        case .failure(let failure):
            return poison(record, topic: topic, partition: partition, rule: nil, reason: failure.description)
        }
    }
}

extension Aggregate {
    /// Upcasts `record` in place; the failure, when an upcaster fails on it, leaves it as it was.
    func upcast(_ record: inout Record, partition: Int32) -> AggregateFailure? {
        if upcasters.isEmpty { return nil }
        switch upcasters.upcast(record, partition: partition, readType: readType) {
        case .success(let upcast):
            record = upcast.record
            return nil
        case .failure(let failure):
            return AggregateFailure(rule: nil, reason: failure.description)
        }
    }
}

extension Projection {
    /// `record` upcast, or the upcaster's failure.
    func upcast(_ record: Record, partition: Int32) -> Result<Record, UpcastFailure> {
        if upcasters.isEmpty { return .success(record) }
        return upcasters.upcast(record, partition: partition, readType: typeReader.read).map(\.record)
    }
}
