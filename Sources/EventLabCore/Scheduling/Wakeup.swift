#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wakes a thread blocked in a wait: data arriving, a deadline on the scheduler and a signal
/// handler (Ctrl-C in the REPL) all post the same POSIX semaphore, and `sem_post` is
/// async-signal-safe. A wake-up carries no meaning of its own: the woken thread looks at its
/// conditions again, so a stale one only costs a look.
public final class Wakeup: @unchecked Sendable {
    /// The semaphore, for a signal handler to post directly.
    public let semaphore: UnsafeMutablePointer<sem_t>

    /// A wake-up nobody has posted yet.
    public init() {
        semaphore = .allocate(capacity: 1)
        sem_init(semaphore, 0, 0)
    }

    deinit {
        sem_destroy(semaphore)
        semaphore.deallocate()
    }

    /// Wakes the waiting thread, or the next one to wait.
    public func signal() {
        sem_post(semaphore)
    }

    /// Blocks until a post, or until a signal interrupts the wait.
    public func wait() {
        _ = sem_wait(semaphore)
    }
}
