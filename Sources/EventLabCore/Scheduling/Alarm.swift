import Synchronization

/// One real-time task kept at the earliest deadline it was given.
///
/// For work whose next due time moves with the state it watches (a group member's session
/// runs out later after each heartbeat): the owner says when work is due next, and the alarm
/// moves its task earlier when needed. A later deadline leaves the task where it is; the work
/// then runs early, finds nothing due, and gives the alarm its new deadline, so a heartbeat
/// never touches the scheduler.
final class Alarm: Sendable {
    private let scheduler: Scheduler
    private let label: String
    private let armed = Mutex<(id: TaskID, due: Int64)?>(nil)

    /// An alarm that schedules its work on `scheduler`'s real time under `label`.
    init(scheduler: Scheduler, label: String) {
        self.scheduler = scheduler
        self.label = label
    }

    /// Makes `work` run on the timer by `due` (nothing for nil): a task due no later is kept,
    /// a later one is moved to `due`.
    func ring(by due: Int64?, _ work: @escaping @Sendable () -> Void) {
        guard let due else { return }
        armed.withLock { armed in
            if let current = armed {
                guard due < current.due else { return }
                scheduler.cancel(current.id)
            }
            let id = scheduler.schedule(label, in: .real, at: due) { [weak self] in
                // Only the task the alarm holds clears it: an earlier one may have replaced it.
                self?.armed.withLock { if $0?.due == due { $0 = nil } }
                work()
            }
            armed = (id, due)
        }
    }
}
