import EventLabCore

/// Emitted records carry `eventlab.cause` (the record they answer, as `topic/partition/offset`)
/// and `eventlab.rule` (`service/number`), after the rule's own headers, so a reader — or
/// `show flow` — can trace each record to its cause.
///
/// A dead letter is the poison record as ``DeadLetter`` writes it.
extension Service {
    /// What to do with `record`, read at `record.offset` of `partition` of `topic`, once the
    /// upcasters have made it the event the rules read: the emissions of its type's rules in
    /// number order, a skip, poison, or blocked on a service a rule calls that cannot answer
    /// now. The same record always gives the same bytes; fields are read by scanning the value,
    /// never by parsing it whole.
    public func react(
        to record: Record, topic: String, partition: Int32, tables: (any ExpressionTables)? = nil
    ) -> Reaction {
        upcasting(record, topic: topic, partition: partition, failed: { .poison($0) }) {
            react(upcast: $0, topic: topic, partition: partition, tables: tables)
        }
    }

    /// What to do with `record`, which the upcasters have made the event the rules read.
    private func react(
        upcast record: Record, topic: String, partition: Int32, tables: (any ExpressionTables)?
    ) -> Reaction {
        let eventType: String
        switch typeReader.read(record) {
        case .type(let type): eventType = type
        case .none: return .skipped(.noType)
        case .failed(let reason): return .poison(poison(record, topic: topic, partition: partition, rule: nil, reason: reason))
        }
        var emissions: [Emission] = []
        for position in rules(for: eventType) {
            let numbered = rules[position]
            let rule = numbered.rule
            var part = "condition"
            var column = rule.conditionColumn
            do throws(EvaluationError) {
                if let condition = rule.condition, !(try condition.test(record, partition: partition, tables: tables)) {
                    continue
                }
                (part, column) = ("template", rule.templateColumn)
                let value = try rule.template.render(record, partition: partition, tables: tables)
                var key: [UInt8]?
                if let keyExpression = rule.key {
                    (part, column) = ("key", rule.keyColumn)
                    key = Self.bytes(try keyExpression.evaluate(record, partition: partition, tables: tables))
                }
                var headers: [RecordHeader] = []
                headers.reserveCapacity(rule.headers.count + 2)
                for (header, headerColumn) in zip(rule.headers, rule.headerColumns) {
                    (part, column) = ("header \(header.name)", headerColumn)
                    let headerValue = try header.value.evaluate(record, partition: partition, tables: tables)
                    headers.append(RecordHeader(key: header.name, value: Self.bytes(headerValue)))
                }
                headers.append(RecordHeader(key: "eventlab.cause", value: Self.cause(topic, partition, record.offset)))
                headers.append(RecordHeader(key: "eventlab.rule", value: numbered.tag))
                emissions.append(Emission(topic: rule.topic.rawValue, key: key, value: value, headers: headers))
            } catch {
                if case .unavailable(let service, let query, let reason) = error.kind {
                    return .blocked(CallFailure(service: service, query: query, reason: reason, rule: numbered.number))
                }
                let reason = "\(RuleSpot.describe(part, column: column + error.column - 1, in: rule.source)): \(error.message)"
                return .poison(poison(record, topic: topic, partition: partition, rule: numbered.number, reason: reason))
            }
        }
        return .handled(eventType: eventType, emissions: emissions)
    }

    func poison(_ record: Record, topic: String, partition: Int32, rule: Int?, reason: String) -> Poison {
        var poison = Poison(rule: rule, reason: reason, deadLetter: nil)
        guard let deadLetter else { return poison }
        poison.deadLetter = DeadLetter.emission(
            record, at: RecordPlace(topic: topic, partition: partition, offset: record.offset), to: deadLetter, service: name,
            rule: rule, reason: poison.description)
        return poison
    }

    /// `topic/partition/offset` as bytes, written directly: string interpolation here cost more
    /// than a tenth of a reaction.
    static func cause(_ topic: String, _ partition: Int32, _ offset: Int64) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(topic.utf8.count + 24)
        bytes.append(contentsOf: topic.utf8)
        bytes.append(UInt8(ascii: "/"))
        appendDecimal(Int64(partition), to: &bytes)
        bytes.append(UInt8(ascii: "/"))
        appendDecimal(offset, to: &bytes)
        return bytes
    }

    private static func appendDecimal(_ number: Int64, to bytes: inout [UInt8]) {
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        let start = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes[start...].reverse()
    }

    /// A key or header value: text as its UTF-8 bytes, anything else as compact JSON.
    static func bytes(_ value: JSON) -> [UInt8] {
        if case .string(let text) = value { return Array(text.utf8) }
        return JSONPrinter.bytes(value)
    }
}
