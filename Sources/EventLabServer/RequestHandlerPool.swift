import NIOPosix

/// The threads that answer requests, apart from the event loops that read and write sockets:
/// Kafka's split between network threads and request handler threads (`num.io.threads`). A
/// request that waits for the broker's lock or the disk holds one of these threads, never an
/// event loop, so other connections are still read, answered and timed out meanwhile.
///
/// With no threads it runs each request at once on the caller's thread, as tests may want.
final class RequestHandlerPool: Sendable {
    private let threads: NIOThreadPool?

    /// A pool of `threads` threads, started at once; 0 runs requests inline.
    init(threads: Int) {
        guard threads > 0 else {
            self.threads = nil
            return
        }
        let pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
        self.threads = pool
    }

    /// Runs `request` on a pool thread, in the order submitted; after ``stop()`` it is dropped,
    /// as the connection it came from is closing.
    func run(_ request: @escaping @Sendable () -> Void) {
        guard let threads else { return request() }
        threads.submit { state in
            if case .active = state { request() }
        }
    }

    /// Lets the requests being handled finish, drops those not started, and stops the threads.
    func stop() throws {
        try threads?.syncShutdownGracefully()
    }
}
