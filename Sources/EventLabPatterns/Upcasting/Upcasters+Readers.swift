import EventLabCore

/// Each reader of events applies the upcasters it carries to a record before anything of its own
/// reads it — its type, key, dedupe id, conditions and values — and treats an upcaster's failure
/// as its own failure on that record. (A read model does the same in `ReadModel.apply`.)
extension Service {
    /// What `read` gives for `record`, read at `topic`/`partition`, once upcast, or what `failed`
    /// makes of the poison it is when an upcaster fails on it. Without upcasters `record` goes
    /// to `read` as it is, not even copied: this runs for every record a service reads.
    @inline(__always)
    func upcasting<Outcome>(
        _ record: Record, topic: String, partition: Int32, failed: (Poison) -> Outcome, _ read: (Record) -> Outcome
    ) -> Outcome {
        if upcasters.isEmpty { return read(record) }
        var event = record
        if let poison = upcast(&event, topic: topic, partition: partition) { return failed(poison) }
        return read(event)
    }

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
    /// What `read` gives for `record` once upcast, or what `failed` makes of an upcaster's
    /// failure. Without upcasters `record` goes to `read` as it is, not even copied: a rebuild
    /// runs this for every event.
    @inline(__always)
    func upcasting<Outcome>(
        _ record: Record, partition: Int32, failed: (AggregateFailure) -> Outcome, _ read: (Record) -> Outcome
    ) -> Outcome {
        if upcasters.isEmpty { return read(record) }
        switch upcasters.upcast(record, partition: partition, readType: readType) {
        case .success(let upcast): return read(upcast.record)
        case .failure(let failure): return failed(AggregateFailure(rule: nil, upcaster: failure.upcaster, reason: failure.description))
        }
    }
}
