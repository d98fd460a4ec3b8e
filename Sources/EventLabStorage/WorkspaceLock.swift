#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import EventLabCore

/// The advisory lock that lets one process at a time own a workspace.
///
/// `flock` is released by the kernel when its holder dies, so a lock left by a killed process
/// never blocks; the pid written into the file names the holder for the next one.
final class WorkspaceLock {
    private let descriptor: Int32

    init(directory: String) throws(BrokerError) {
        let path = directory + "/lock"
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw storageError("opening", path) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? FileSystem.read(path)).flatMap { String(decoding: $0, as: UTF8.self).split(separator: "\n").first }
            close(descriptor)
            throw BrokerError(
                .kafkaStorageError,
                "the workspace \(directory) is in use by process \(holder.map(String.init) ?? "unknown"): one EventLab at a time owns a workspace. "
                    + "Use that one (inside its REPL, `broker listen 9092` serves this workspace to real Kafka clients), "
                    + "or start this one with --data ANOTHER_DIR or --memory")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
