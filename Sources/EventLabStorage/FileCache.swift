#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import EventLabCore
import Synchronization

/// The open log files of one workspace's segments, at most `capacity` at a time, the least
/// recently used closed first: a topic with 1,000 partitions, or a read across 1,500 segments,
/// must not run the process out of descriptors. A file is opened again when next needed; one
/// that a fetch is still sending stays open until it is sent.
final class FileCache: Sendable {
    private struct Entry {
        var file: LogFile
        var lastUse: UInt64
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var uses: UInt64 = 0
    }

    /// How many files stay open.
    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int = FileCache.defaultCapacity) {
        self.capacity = capacity
    }

    /// 64 files, or a quarter of the process's limit of open files when that is less: under a
    /// small `ulimit -n` the cache alone must not use up the descriptors that configs, summaries,
    /// scripts and sockets need, or every topic would open as damaged.
    static var defaultCapacity: Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 64 }
        return min(64, max(4, Int(clamping: limit.rlim_cur) / 4))
    }

    /// The file at `path`, opened (and created) if it is not open.
    func file(_ path: String) throws(BrokerError) -> LogFile {
        try state.withLock { state throws(BrokerError) in
            state.uses += 1
            if let entry = state.entries[path] {
                state.entries[path]!.lastUse = state.uses
                return entry.file
            }
            if state.entries.count >= capacity, let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                state.entries[oldest.key] = nil
            }
            let file: LogFile
            do throws(BrokerError) {
                file = try LogFile(path: path, create: true)
            } catch where errno == EMFILE || errno == ENFILE {
                // Out of descriptors (many client connections): give back every cached one, once.
                state.entries.removeAll()
                file = try LogFile(path: path, create: true)
            }
            state.entries[path] = Entry(file: file, lastUse: state.uses)
            return file
        }
    }

    /// Closes the file at `path`: it was removed or renamed, and its name may soon be another file's.
    func forget(_ path: String) {
        state.withLock { _ = $0.entries.removeValue(forKey: path) }
    }

    /// Takes the file at `path` out of the cache — opening it if it was not open, never creating
    /// it — for a caller about to remove it, who then hands it to ``closeLater(_:)``.
    func take(_ path: String) -> LogFile? {
        let cached = state.withLock { $0.entries.removeValue(forKey: path)?.file }
        return cached ?? (try? LogFile(path: path))
    }

    /// Closes `files`, already removed, on a queue of their own: closing the last descriptor of
    /// a removed file frees its blocks, which for a segment of a gigabyte takes long enough
    /// (0.3 to 0.7 s measured on ext4) to stall every request waiting for the broker's lock.
    /// Callers hand their references over (`consume`), so the queue's is the last.
    func closeLater(_ files: consuming [LogFile]) {
        Self.closing.async { [files = consume files] in withExtendedLifetime(files) {} }
    }

    /// Waits until every file handed to ``closeLater(_:)`` is closed, and its blocks free.
    func awaitClosed() {
        Self.closing.sync {}
    }

    private static let closing = DispatchQueue(label: "eventlab.closing-removed-files")

    /// Closes every file under `directory`, which is being removed or renamed.
    func forget(under directory: String) {
        state.withLock { state in state.entries = state.entries.filter { !$0.key.hasPrefix(directory + "/") } }
    }
}
