/// Timed work by due time: which task runs next as time moves, without running anything.
///
/// A value: the scheduler keeps one behind its lock and runs what it hands out after letting go.
/// Ties run in the order the tasks were scheduled, so the same schedule always runs the same way.
struct Timetable {
    private struct Entry {
        var task: ScheduledTask
        var work: @Sendable () -> Void
    }

    private var entries: [UInt64: Entry] = [:]
    private var nextId: UInt64 = 0

    /// Adds a task due at `due`, repeating every `period` if given (at least 1 ms).
    mutating func add(
        _ label: String, domain: TimeDomain, due: Int64, period: Int64?, _ work: @escaping @Sendable () -> Void
    ) -> TaskID {
        nextId += 1
        let id = TaskID(rawValue: nextId)
        let task = ScheduledTask(id: id, label: label, domain: domain, due: due, period: period.map { max($0, 1) })
        entries[nextId] = Entry(task: task, work: work)
        return id
    }

    /// Forgets a task; false if it was not there (it ran, or was cancelled before).
    @discardableResult
    mutating func remove(_ id: TaskID) -> Bool {
        entries.removeValue(forKey: id.rawValue) != nil
    }

    /// Forgets every task.
    mutating func removeAll() { entries = [:] }

    /// The tasks of `domain`, soonest first.
    func pending(_ domain: TimeDomain) -> [ScheduledTask] {
        entries.values.map(\.task).filter { $0.domain == domain }.sorted { ($0.due, $0.id.rawValue) < ($1.due, $1.id.rawValue) }
    }

    /// The earliest due time in `domain`, if any task waits there.
    func earliest(_ domain: TimeDomain) -> Int64? {
        entries.values.lazy.filter { $0.task.domain == domain }.map(\.task.due).min()
    }

    /// The next task to run when `domain`'s time moves up to `target`, with the time it runs at:
    /// the soonest due at or before `target`. A repeating task's missed runs collapse into one,
    /// at its last due time not after `target`, so moving a century ahead takes one run, not
    /// millions.
    func next(_ domain: TimeDomain, upTo target: Int64) -> (id: TaskID, at: Int64)? {
        var best: (id: TaskID, at: Int64)?
        for entry in entries.values where entry.task.domain == domain && entry.task.due <= target {
            let at = Self.lastDue(of: entry.task, upTo: target)
            if let current = best, (current.at, current.id.rawValue) <= (at, entry.task.id.rawValue) { continue }
            best = (entry.task.id, at)
        }
        return best
    }

    /// Hands out the work of task `id` for its run at `at`: a task that runs once is removed; a
    /// repeating one is due again a period later.
    mutating func take(_ id: TaskID, at: Int64) -> (@Sendable () -> Void)? {
        guard var entry = entries[id.rawValue] else { return nil }
        if let period = entry.task.period {
            entry.task = ScheduledTask(
                id: id, label: entry.task.label, domain: entry.task.domain, due: at.addingSaturating(period), period: period)
            entries[id.rawValue] = entry
        } else {
            entries[id.rawValue] = nil
        }
        return entry.work
    }

    private static func lastDue(of task: ScheduledTask, upTo target: Int64) -> Int64 {
        guard let period = task.period else { return task.due }
        let missed = target.subtractingSaturating(task.due) / period
        return task.due.addingSaturating(missed.multipliedReportingOverflow(by: period).partialValue)
    }
}
