import EventLabCore
import EventLabPatterns

/// Figures of the pattern engine's building blocks.
struct PatternFigures {
    let workload: Workload
    let runs: Int

    var all: [(name: String, measure: () throws -> Figure)] {
        [
            ("expression_eval_eps", {
                // A reaction's work per event: one condition and one emitted template, over
                // about 100 B of JSON, in memory.
                let condition = try Expression(#"$.type == "OrderPlaced" and $.total > 100"#)
                let template = try Expression(#"{"type":"PaymentRequested","order":$.id,"amount":$.total}"#)
                let events = (0..<workload.records).map { index in
                    Record(offset: Int64(index), timestamp: 0, key: nil, value: orderEvent(index))
                }
                var emitted = 0
                let seconds = try medianSeconds(runs: runs) {
                    emitted = 0
                    for event in events where try condition.test(event) {
                        emitted += try template.render(event).count
                    }
                }
                guard emitted > 0 else { throw BenchError("no event passed the condition") }
                return Figure(name: "expression_eval_eps", value: Double(events.count) / seconds, unit: "events/s")
            }),
            ("service_react_eps", {
                // A service's pure work per event: read the type, test one condition, render
                // one emit with its key and headers; no broker, so only the reaction is timed.
                var service = Service(name: "billing", sources: ["orders"])
                try service.add(ServiceRule(
                    #"on OrderPlaced when $.total > 100 emit payments {"type":"PaymentRequested","order":$.id,"amount":$.total} key=$.id"#))
                let events = (0..<workload.records).map { index in
                    Record(offset: Int64(index), timestamp: 0, key: nil, value: orderEvent(index))
                }
                var emitted = 0
                let seconds = try medianSeconds(runs: runs) {
                    emitted = 0
                    for event in events {
                        guard case .handled(_, let emissions) = service.react(to: event, topic: "orders", partition: 0) else {
                            throw BenchError("the service did not handle event \(event.offset)")
                        }
                        emitted += emissions.count
                    }
                }
                guard emitted > 0 else { throw BenchError("no event passed the condition") }
                return Figure(name: "service_react_eps", value: Double(events.count) / seconds, unit: "events/s")
            }),
            ("service_drain_eps", {
                // A drain's whole work per event, in memory: read from the broker, react (one
                // condition, one emit), produce the emission, commit. Each run is a new service,
                // so a new group that reads the topic from its start.
                let broker = try Broker()
                try broker.createTopic("orders", partitions: 1)
                try broker.createTopic("payments", partitions: 1)
                for first in stride(from: 0, to: workload.records, by: 100) {
                    _ = try broker.append(RecordBatch(records: (first..<min(first + 100, workload.records)).map { index in
                        Record(offset: Int64(index - first), timestamp: LogicalClock.start, key: nil, value: orderEvent(index))
                    }), topic: "orders", partition: 0)
                }
                let rule = try ServiceRule(
                    #"on OrderPlaced when $.total > 100 emit payments {"type":"PaymentRequested","order":$.id,"amount":$.total} key=$.id"#)
                var run = 0
                let seconds = try medianSeconds(runs: runs) {
                    run += 1
                    var service = Service(name: "billing-\(run)", sources: ["orders"])
                    try service.add(rule)
                    var runtime = FlowRuntime(services: [service])
                    let members = ServiceMembers()
                    defer { members.leaveAll() }
                    let report = runtime.drain(broker, members: members)
                    guard report.recordsRead == workload.records, report.services[0].emitted["payments"] == workload.records / 2 else {
                        throw BenchError("the drain read \(report.recordsRead) records and emitted \(report.services[0].emitted)")
                    }
                }
                return Figure(name: "service_drain_eps", value: Double(workload.records) / seconds, unit: "events/s")
            }),
            ("projection_rebuild_eps", {
                // A counting projection's rebuild, in memory: read every event of the topic from
                // its log start in bulk, read its type and group, count it.
                let broker = try Broker()
                try broker.createTopic("orders", partitions: 1)
                for first in stride(from: 0, to: workload.records, by: 100) {
                    _ = try broker.append(RecordBatch(records: (first..<min(first + 100, workload.records)).map { index in
                        Record(offset: Int64(index - first), timestamp: LogicalClock.start, key: nil, value: orderEvent(index))
                    }), topic: "orders", partition: 0)
                }
                var projection = Projection(name: "orders-per-customer", sources: ["orders"])
                try projection.add(ProjectionRule("on OrderPlaced count by $.customer"))
                let seconds = try medianSeconds(runs: runs) {
                    let model = try projection.rebuild(from: broker)
                    guard model.applied == workload.records, model.count == min(1000, workload.records) else {
                        throw BenchError("the rebuild applied \(model.applied) events into \(model.count) groups")
                    }
                }
                return Figure(name: "projection_rebuild_eps", value: Double(workload.records) / seconds, unit: "events/s")
            }),
            ("aggregate_rebuild_eps", {
                // A rebuild's whole work per event, in memory: read from the broker, read the
                // type and the key, fold one of two rules into its key's state.
                let broker = try Broker()
                try broker.createTopic("accounts", partitions: 1)
                for first in stride(from: 0, to: workload.records, by: 100) {
                    _ = try broker.append(RecordBatch(records: (first..<min(first + 100, workload.records)).map { index in
                        let account = Array("a-\(index % 1000)".utf8)
                        return Record(offset: Int64(index - first), timestamp: LogicalClock.start, key: account, value: accountEvent(index))
                    }), topic: "accounts", partition: 0)
                }
                var account = try Aggregate(
                    name: "account", source: "accounts", key: try Expression("$.account"), initial: try JSONParser.parse(#"{"balance":0}"#))
                try account.add(AggregateRule("on Deposited set balance = state.balance + $.amount"))
                try account.add(AggregateRule("on Withdrawn when state.balance >= $.amount set balance = state.balance - $.amount"))
                let seconds = try medianSeconds(runs: runs) {
                    let (states, report) = try account.rebuild(from: broker)
                    guard report.applied == workload.records, states.count == min(1000, workload.records) else {
                        throw BenchError("the rebuild applied \(report.applied) events to \(states.count) keys")
                    }
                }
                return Figure(name: "aggregate_rebuild_eps", value: Double(workload.records) / seconds, unit: "events/s")
            }),
            ("aggregate_snapshot_speedup", {
                // A rebuild from snapshots taken 1,000 events before the end, against one from
                // the start, in memory: the snapshot read and the replay of the last events only.
                let broker = try Broker()
                try broker.createTopic("accounts", partitions: 1)
                try broker.createTopic("account-snapshots", partitions: 1)
                let account = try snapshotAccount()
                let snapshotAt = max(0, workload.records - 1000)
                try appendAccountEvents(0..<snapshotAt, to: broker)
                let (snapped, report) = try account.rebuild(from: broker)
                _ = try broker.publish("account-snapshots", account.snapshotRecords(snapped, at: report.readTo))
                try appendAccountEvents(snapshotAt..<workload.records, to: broker)
                var whole: [String: AggregateState] = [:]
                let fromStart = try medianSeconds(runs: runs) { whole = try account.rebuild(from: broker).states }
                var fromSnapshots: [String: AggregateState] = [:]
                let fromSnapshot = try medianSeconds(runs: runs) {
                    fromSnapshots = try account.rebuild(from: broker, snapshots: "account-snapshots").states
                }
                guard whole == fromSnapshots else { throw BenchError("the rebuild from snapshots differs from the one from the start") }
                return Figure(name: "aggregate_snapshot_speedup", value: fromStart / fromSnapshot, unit: "x")
            }),
        ]
    }

    /// The account aggregate the snapshot figure rebuilds.
    private func snapshotAccount() throws -> Aggregate {
        var account = try Aggregate(
            name: "account", source: "accounts", key: try Expression("$.account"), initial: try JSONParser.parse(#"{"balance":0}"#))
        try account.add(AggregateRule("on Deposited set balance = state.balance + $.amount"))
        try account.add(AggregateRule("on Withdrawn when state.balance >= $.amount set balance = state.balance - $.amount"))
        return account
    }

    /// Appends account events `events` to partition 0 of `accounts`, 100 a batch.
    private func appendAccountEvents(_ events: Range<Int>, to broker: Broker) throws {
        for start in stride(from: events.lowerBound, to: events.upperBound, by: 100) {
            _ = try broker.append(RecordBatch(records: (start..<min(start + 100, events.upperBound)).map { index in
                Record(offset: Int64(index - start), timestamp: LogicalClock.start, key: Array("a-\(index % 1000)".utf8), value: accountEvent(index))
            }), topic: "accounts", partition: 0)
        }
    }

    /// An account event of about 100 bytes; two deposits for each withdrawal.
    private func accountEvent(_ index: Int) -> [UInt8] {
        let type = index % 3 == 2 ? "Withdrawn" : "Deposited"
        return Array(#"{"type":"\#(type)","account":"a-\#(index % 1000)","amount":\#(index % 50).25,"currency":"EUR","channel":"web","id":"e-\#(index)"}"#.utf8)
    }

    /// An order event of about 100 bytes; every other one passes `$.total > 100`.
    private func orderEvent(_ index: Int) -> [UInt8] {
        let total = index % 2 == 0 ? "150.25" : "42.5"
        return Array(#"{"type":"OrderPlaced","id":"o-\#(index)","customer":"c-\#(index % 1000)","total":\#(total),"currency":"EUR"}"#.utf8)
    }
}
