import EventLabCore
import Foundation
import EventLabPatterns

extension Shell {
    /// Records a drain describes one by one after a command; past this it sums up per service.
    static let traceBudget = 5

    /// Changes the flows: `change` works on a copy, the definitions are saved, and only then is
    /// the copy kept, so a change that fails, or cannot be saved, changes nothing.
    /// Followers fetch as their leaders append under `flow auto`, and only on `step` under
    /// `flow manual`.
    func paceReplication() {
        broker.replicationPace = flows.mode == .manual ? .stepped : .continuous
    }

    func changeFlows(_ change: (inout Flows) throws -> Void) throws {
        var changed = flows
        try change(&changed)
        if let flowStore, !isRestoringFlows, FlowScript.text(changed) != FlowScript.text(flows) {
            do {
                try flowStore.save(FlowScript.text(changed))
            } catch {
                throw ShellError("the flow definitions could not be saved, so nothing changed: \(ShellError.message(of: error))")
            }
        }
        flows = changed
        // A service stopped or deleted leaves its group now, also when flows are manual; while
        // the definitions are restored one by one, the drain after them decides.
        if !isRestoringFlows { serviceMembers.retain(flows.readingServices) }
    }

    /// After each command, and when ``flowWatch`` says records arrived: unless the flows are
    /// manual, every table and running service reads what it has not read yet, and what they
    /// did is said.
    public func runFlows() {
        guard flows.mode == .auto, !flows.isEmpty, !isRestoringFlows else { return }
        flowWatch?.arm(for: flows, on: broker)
        let before = flows
        // A Ctrl-C that ended the command itself (a `consume --follow`) is not one for the drain.
        let interrupted = isInterrupted, interruptedBefore = interrupted()
        let report = flows.drain(broker, members: serviceMembers, traceBudget: Self.traceBudget) { !interruptedBefore && interrupted() }
        tellDrain(report, before: before)
    }

    /// How often an owner that drains on events (serve, the REPL on the system clock) drains
    /// anyway, so the running services' group members heartbeat while nothing happens.
    public static var flowHeartbeatIntervalMs: Int64 { ServiceMembers.heartbeatIntervalMs }

    /// Says what a drain or step did: each record while few, else a line per service; then any
    /// service that stopped anew, and a cut drain's warning.
    func tellDrain(_ report: DrainReport, before: Flows) {
        if report.trace.untraced == 0 {
            // A record a service stopped at is told by the warning below, with what to do.
            for step in report.trace.steps where !step.isStop { say(FlowText.line(step)) }
        } else {
            for service in report.services where service.recordsRead > 0 { say(FlowText.summary(service)) }
        }
        for service in report.services {
            guard let stop = service.stop, before.services[service.name]?.stop != stop else { continue }
            guard let slot = flows.services[service.name] else { continue }
            warn(FlowText.stopped(slot.service, stop, pace: flowPace))
        }
        for (table, problem) in report.tableProblems.sorted(by: { $0.key < $1.key }) where before.tableProblems[table] != problem {
            warn("table \(table) \(problem)")
        }
        if let warning = report.warning { warn(warning) }
        for (name, found) in report.aggregates.sorted(by: { $0.key < $1.key }) {
            for line in AggregateText.warnings(name, flows.aggregates[name], found) { warn(line) }
        }
        tellProjections(report.projections, before: before)
    }

    /// Builds the flows the store kept, running their defining commands without a word, then
    /// lets them catch up. A line that no longer runs (its topic was deleted) is left out with a
    /// warning; the store keeps the text until the next change.
    public func restoreFlows() {
        flows = Flows()
        let text: String?
        do {
            text = try flowStore?.load()
        } catch {
            return warn("the workspace's flow definitions could not be read, so no services or tables were restored: \(ShellError.message(of: error))")
        }
        guard let text else { return }
        isRestoringFlows = true
        var leftOutReason: String?
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let command = line.trimmingCharacters(in: .whitespaces)
            // A line left out before stays kept, as it was, under its reason.
            if let reason = leftOutReason, command.hasPrefix("# ") {
                flows.leftOut.append((String(command.dropFirst(2)), reason))
                leftOutReason = nil
                continue
            }
            leftOutReason = command.hasPrefix(FlowScript.leftOutHeading) ? String(command.dropFirst(FlowScript.leftOutHeading.count)) : nil
            guard !command.isEmpty, !command.hasPrefix("#") else { continue }
            do {
                try run(command)
            } catch {
                let reason = ShellError.message(of: error)
                flows.leftOut.append((command, reason))
                // The file is rewritten only by the next change, so the line stays as it is until then.
                warn("flow definition line \(index + 1) was left out: \(reason) (the line: \(command)); the workspace's flows file keeps it, as a comment once the flows are next saved")
            }
        }
        flows.restoreProjections(broker)
        isRestoringFlows = false
        runFlows()
    }

    /// Takes `other`'s flows, for a shell improvising on its workspace: changes made while
    /// improvising are not saved, as the replay restores its recorded state afterwards.
    public func improviseFlows(of other: Shell) {
        flowStore = nil
        flows = other.flows
        serviceMembers = other.serviceMembers
    }

    /// Makes every running service leave its consumer group, as its consumer closing would:
    /// the shell ends, and real clients in the groups take their partitions.
    public func leaveGroups() {
        serviceMembers.leaveAll()
    }

    /// When the flows drain: as records arrive under serve, else after commands or at steps.
    var flowPace: FlowText.Pace {
        runsUnattended ? .unattended : flows.mode == .auto ? .afterCommands : .steps
    }

    /// One line naming the tables, services, aggregates and projections that run, with what each
    /// reads, as `serve` says at start; nothing when there are none.
    public func sayRunningFlows() {
        let services = flows.services.keys.sorted().map { name in
            let slot = flows.services[name]!
            return "service \(name) (reads \(slot.service.sources.joined(separator: ", "))\(slot.isRunning ? "" : ", stopped"))"
        }
        let tables = flows.tables.keys.sorted().map { "table \($0) (copies \(flows.tables[$0]!.topic))" }
        let aggregates = flows.aggregates.keys.sorted().map { "aggregate \($0) (folds \(flows.aggregates[$0]!.aggregate.source))" }
        let projections = flows.projections.keys.sorted().map { name in
            let slot = flows.projections[name]!
            return "projection \(name) (reads \(slot.projection.sources.joined(separator: ", "))\(slot.isRunning ? "" : ", paused"))"
        }
        let running = tables + services + aggregates + projections
        guard !running.isEmpty else { return }
        say("flows: " + running.joined(separator: "; "))
    }

    /// Writes a warning line.
    func warn(_ text: String) {
        write(style.error("warning:") + " \(text)", isError: true)
    }
}
