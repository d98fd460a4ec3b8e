import EventLabCore
import EventLabShell
import Foundation
import Synchronization

/// The signal that asked `serve` to stop; 0 until one did.
private let stopSignal = Atomic<Int32>(0)
/// The address of the semaphore a stop posts (0: none), as an integer an atomic can share.
private let stopSemaphore = Atomic<Int>(0)

/// Only async-signal-safe work here: atomic stores and loads, and `sem_post`.
private func handleStop(_ signal: Int32) {
    stopSignal.store(signal, ordering: .releasing)
    if let semaphore = UnsafeMutablePointer<sem_t>(bitPattern: stopSemaphore.load(ordering: .acquiring)) { sem_post(semaphore) }
}

/// What `eventlab serve` does on its main thread while it serves: the workspace's services and
/// tables keep up with what clients produce, their lines on standard output, until SIGINT or
/// SIGTERM.
///
/// The shell is not thread-safe, so one thread owns it and sleeps on one ``Wakeup``, which
/// three things post: the shell's ``FlowWatch`` when records arrive for the flows or their
/// services' groups change (the broker's waiters call it on the producing thread), the handler
/// of the stop signals, and a heartbeat every minute, so the services' group members stay alive
/// while nothing happens. No thread of its own; the broker knows nothing of the flows.
enum ServedFlows {
    /// Restores the flows saved with the workspace, drains them, then drains again each time
    /// records arrive for them; returns the signal that stopped it.
    ///
    /// - Parameter signals: SIGINT and SIGTERM, blocked in every thread (the server's threads
    ///   keep them blocked, so they come to this one).
    static func run(_ shell: Shell, signals: sigset_t) -> Int32 {
        let wakeup = Wakeup()
        shell.flowWatch = FlowWatch { wakeup.signal() }
        stopSemaphore.store(Int(bitPattern: wakeup.semaphore), ordering: .releasing)
        defer { stopSemaphore.store(0, ordering: .releasing) }
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handleStop
        sigemptyset(&action.sa_mask)
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
        var unblocked = signals
        pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
        shell.restoreFlows()
        shell.sayRunningFlows()
        let interval = Shell.flowHeartbeatIntervalMs
        let heartbeat = shell.broker.scheduler.schedule("service heartbeat", in: .real, after: interval, every: interval) { [wakeup] in
            wakeup.signal()
        }
        defer { _ = shell.broker.scheduler.cancel(heartbeat) }
        while stopSignal.load(ordering: .acquiring) == 0 {
            wakeup.wait()
            // Each partition's waiter posts once: one drain reads what all of them announced.
            while sem_trywait(wakeup.semaphore) == 0 {}
            guard stopSignal.load(ordering: .acquiring) == 0 else { break }
            shell.runFlows()
        }
        return stopSignal.load(ordering: .acquiring)
    }
}
