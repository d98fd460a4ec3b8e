#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Failures a test injects under the log's file writes, as a full disk causes them: what
/// ENOSPC at a chosen write, or a write cut short, does to EventLab cannot be reached by
/// killing processes. Faults apply only to files under the directory they name, so tests
/// running side by side do not see each other's.
package enum FileFaults {
    private struct FullDisk {
        var directory: String
        /// Write calls that still succeed before the disk is full.
        var writesLeft: Int
        /// Bytes of the first failing write that reach the file before it fails: a short write.
        var partialBytes: Int
    }

    private static let plans = Mutex<[FullDisk]>([])

    /// Makes the disk under `directory` full after `afterWrites` more write calls: the next
    /// one writes `partialBytes` bytes and fails with ENOSPC, and so does every write after it,
    /// until a file under `directory` is removed (which frees space) or ``clear(_:)``.
    package static func fillDisk(under directory: String, afterWrites: Int = 0, partialBytes: Int = 0) {
        plans.withLock { $0.append(FullDisk(directory: directory, writesLeft: afterWrites, partialBytes: partialBytes)) }
    }

    private static let syncs = Mutex<[(directory: String, fault: @Sendable (_ path: String) -> Bool)]>([])

    /// Calls `fault` before each sync of a file under `directory`, with the file's path: it may
    /// block, as a slow disk holds a sync, and returns true to fail the sync with EIO, as a disk
    /// that could not write the pages back does. Until ``clear(_:)``.
    package static func onSync(under directory: String, _ fault: @escaping @Sendable (_ path: String) -> Bool) {
        syncs.withLock { $0.append((directory, fault)) }
    }

    /// Changes to files under a directory that still reach the disk before the process dies.
    private static let crashes = Mutex<[String: Int]>([:])

    /// Makes the process "die" under `directory` after `afterChanges` more changes there: every
    /// later write, truncation, rename, removal or new directory under it fails with EIO and
    /// changes nothing, as if the process had been killed between two steps, until
    /// ``clear(_:)``. A test then drops what it opened and reopens, as a restart would.
    package static func crash(under directory: String, afterChanges: Int) {
        crashes.withLock { $0[directory] = afterChanges }
    }

    /// Removes the faults under `directory`.
    package static func clear(_ directory: String) {
        plans.withLock { $0.removeAll { $0.directory == directory } }
        syncs.withLock { $0.removeAll { $0.directory == directory } }
        crashes.withLock { $0[directory] = nil }
    }

    /// Whether a change to `path` still reaches the disk; when not, errno says why.
    static func changeAllowed(_ path: String) -> Bool {
        let allowed = crashes.withLock { crashes in
            guard let directory = crashes.keys.first(where: { path.hasPrefix($0 + "/") }) else { return true }
            guard crashes[directory]! > 0 else { return false }
            crashes[directory]! -= 1
            return true
        }
        if !allowed { errno = EIO }
        return allowed
    }

    /// Whether a sync of `path` may go ahead; when not, errno says why.
    static func syncAllowed(_ path: String) -> Bool {
        let faults = syncs.withLock { $0.filter { path.hasPrefix($0.directory + "/") }.map(\.fault) }
        // Called outside the lock: a fault that blocks must not hold back the others.
        for fault in faults where fault(path) {
            errno = EIO
            return false
        }
        return true
    }

    /// How many of `count` bytes a write to `path` may put on the disk before failing with
    /// ENOSPC, or nil when it goes through whole.
    static func allowedBytes(writing count: Int, to path: String) -> Int? {
        plans.withLock { plans in
            guard let index = plans.firstIndex(where: { path.hasPrefix($0.directory + "/") }) else { return nil }
            if plans[index].writesLeft > 0 {
                plans[index].writesLeft -= 1
                return nil
            }
            let allowed = min(count, plans[index].partialBytes)
            plans[index].partialBytes = 0
            return allowed
        }
    }

    /// A file under a full disk's directory was removed: there is space again.
    static func removed(_ path: String) {
        plans.withLock { $0.removeAll { path.hasPrefix($0.directory + "/") } }
    }
}
