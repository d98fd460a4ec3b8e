import Foundation

/// A pipe that wakes a thread waiting in poll(2): any thread may ``signal()``, and the reading
/// end turns readable until ``drain()``. The REPL waits on the terminal and this in one call.
final class WakePipe: Sendable {
    /// The end to poll.
    let descriptor: Int32
    private let writeEnd: Int32

    /// A new pipe; nil when the process may open no more descriptors.
    init?() {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return nil }
        for end in ends {
            // Non-blocking: a full pipe already says "wake up", and draining stops when it is empty.
            _ = fcntl(end, F_SETFL, O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        descriptor = ends[0]
        writeEnd = ends[1]
    }

    deinit {
        close(descriptor)
        close(writeEnd)
    }

    /// Makes the reading end readable.
    func signal() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Reads everything signalled so far.
    func drain() {
        var bytes = [UInt8](repeating: 0, count: 64)
        while read(descriptor, &bytes, bytes.count) > 0 {}
    }
}
