import EventLabCore

extension Flows {
    /// Lets every table and every active service read what it has not read yet (see
    /// ``FlowRuntime/drain(_:traceBudget:)``), and keeps where each service stopped.
    public mutating func drain(_ broker: Broker, traceBudget: Int) -> DrainReport {
        var runtime = runtime()
        let report = runtime.drain(broker, traceBudget: traceBudget)
        absorb(report, tables: runtime.tables)
        return report
    }

    /// Delivers one record to the first active service, by name, that has one unread; nil when
    /// none has.
    public mutating func step(_ broker: Broker) -> DrainReport? {
        var runtime = runtime()
        let report = runtime.step(broker)
        tables = runtime.tables
        if let report { absorb(report, tables: runtime.tables) }
        return report
    }

    private func runtime() -> FlowRuntime {
        FlowRuntime(
            services: services.values.filter(\.isActive).map(\.service), tables: Array(tables.values),
            stopped: services.values.filter { !$0.isActive }.map(\.service), roundLimit: roundLimit,
            crashes: services.compactMapValues { $0.isActive ? $0.crash : nil })
    }

    private mutating func absorb(_ report: DrainReport, tables: [String: Table]) {
        self.tables = tables
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
