import EventLabCore

extension Flows {
    /// Lets every table and every active service read what it has not read yet (see
    /// ``FlowRuntime/drain(_:members:traceBudget:)``), and keeps where each service stopped;
    /// then every aggregate and every running projection catches up, with what the services
    /// emitted.
    /// A service that stopped on a poison record or a crash leaves its group in `members`.
    public mutating func drain(_ broker: Broker, members: ServiceMembers, traceBudget: Int, isInterrupted: () -> Bool = { false }) -> DrainReport {
        var runtime = runtime()
        var report = runtime.drain(broker, members: members, traceBudget: traceBudget, isInterrupted: isInterrupted)
        absorb(report, tables: runtime.tables)
        report.aggregates = catchUpAggregates(broker)
        members.retain(readingServices)
        report.projections = catchUpProjections(broker, traceBudget: traceBudget)
        return report
    }

    /// Delivers one record to the first active service, by name, that has one unread, or else to
    /// the first running projection that has, and lets every aggregate catch up; nil when none
    /// has.
    public mutating func step(_ broker: Broker, members: ServiceMembers) -> DrainReport? {
        var runtime = runtime()
        var report = runtime.step(broker, members: members)
        tables = runtime.tables
        if let report { absorb(report, tables: runtime.tables) }
        // Aggregates, read-only like tables, catch up at each step, also when no record was
        // delivered (then nothing tells what they found): hence the constant, for
        // `report?.aggregates = …` would not run the catch-up when `report` is nil.
        let found = catchUpAggregates(broker)
        report?.aggregates = found
        members.retain(readingServices)
        guard report == nil, let projected = stepProjection(broker) else { return report }
        var stepped = DrainReport(services: [], rounds: 1, warning: nil, trace: FlowTrace(budget: 1), projections: projected)
        stepped.aggregates = found
        return stepped
    }

    /// The services a drain lets read, each a member of its group while it does.
    public var readingServices: Set<String> { Set(services.filter(\.value.isReading).keys) }

    private func runtime() -> FlowRuntime {
        FlowRuntime(
            services: services.values.filter(\.isReading).map(\.service), tables: Array(tables.values),
            stopped: services.values.filter { !$0.isActive }.map(\.service),
            idle: services.values.filter { $0.isActive && !$0.isReading }.map(\.service), roundLimit: roundLimit,
            crashes: services.compactMapValues { $0.isActive ? $0.crash : nil })
    }

    private mutating func absorb(_ report: DrainReport, tables: [String: Table]) {
        self.tables = tables
        tableProblems = report.tableProblems
        // Every call counts, each try again of a record the caller waits at included: the
        // failed ones grow while the called service is down, as the caller keeps asking.
        for (edge, count) in report.calls {
            calls[edge, default: CallCount()].calls += count.calls
            calls[edge, default: CallCount()].failed += count.failed
        }
        for drain in report.services {
            guard var slot = services[drain.name] else { continue }
            slot.totals.add(drain)
            if drain.stop?.kind == .crashed { slot.crash = nil }
            // A service that read on without stopping is past whatever stopped it before.
            if drain.stop != nil || drain.recordsRead > 0 { slot.stop = drain.stop }
            services[drain.name] = slot
        }
    }
}
