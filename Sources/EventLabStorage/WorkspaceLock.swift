#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import EventLabCore

/// The advisory lock that lets one process at a time own a workspace.
///
/// It is `flock` on the workspace directory itself, which no file operation inside it can
/// release: deleting or replacing the `lock` file leaves it held. The kernel releases it when
/// its holder dies, so a lock left by a killed process never blocks. The `lock` file names the
/// holder's pid for the next process, and is locked as well so that an EventLab of format 1,
/// which knows only that file, stays out while this one migrates and owns the workspace.
///
/// Everything that writes to the workspace holds this object, and the lock lasts until the
/// last of them lets go.
final class WorkspaceLock: Sendable {
    private let directoryDescriptor: Int32
    private let fileDescriptor: Int32

    init(directory: String) throws(BrokerError) {
        let path = directory + "/lock"
        directoryDescriptor = try Self.acquire(directory, O_RDONLY | O_DIRECTORY, workspace: directory) {
            Self.holder(locking: $0) ?? Self.holder(named: path)
        }
        do {
            fileDescriptor = try Self.acquire(path, O_RDWR | O_CREAT, workspace: directory) { _ in Self.holder(named: path) }
        } catch {
            close(directoryDescriptor)
            throw error
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fileDescriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(fileDescriptor, $0.baseAddress, $0.count, 0) }
    }

    deinit {
        close(fileDescriptor)
        close(directoryDescriptor)
    }

    /// Opens `path` and takes `flock` on it, trying for up to half a second: a lock can outlive
    /// its holder for a moment, while a process being spawned by any thread of the holder's
    /// process still has copies of its descriptors until it executes its program.
    ///
    /// - Returns: the open, locked descriptor.
    /// - Throws: that `workspace` is in use by the pid `holder` finds, or a storage error.
    private static func acquire(
        _ path: String, _ flags: Int32, workspace: String, holder: (Int32) -> String?
    ) throws(BrokerError) -> Int32 {
        let descriptor = open(path, flags | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw storageError("opening", path) }
        for _ in 0..<50 {
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return descriptor }
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let error = storageError("locking", path)
                close(descriptor)
                throw error
            }
            usleep(10_000)
        }
        let pid = holder(descriptor)
        close(descriptor)
        throw inUse(workspace, by: pid)
    }

    private static func inUse(_ directory: String, by holder: String?) -> BrokerError {
        BrokerError(
            .kafkaStorageError,
            "the workspace \(directory) is in use by process \(holder ?? "unknown"): one EventLab at a time owns a workspace. "
                + "Use that one (inside its REPL, `listen 9092` serves this workspace to real Kafka clients), "
                + "or start this one with --data ANOTHER_DIR or --memory")
    }

    /// The pid the kernel lists in `/proc/locks` as holding `flock` on the file behind
    /// `descriptor`: the truth even when the `lock` file is gone or stale.
    private static func holder(locking descriptor: Int32) -> String? {
        var info = stat()
        guard fstat(descriptor, &info) == 0, let text = readProcFile("/proc/locks") else { return nil }
        // Lines read `1: FLOCK  ADVISORY  WRITE PID MAJOR:MINOR:INODE 0 EOF`, the device numbers
        // in hex as glibc's major() and minor() decode st_dev.
        let device = UInt64(info.st_dev)
        let major = ((device >> 8) & 0xfff) | ((device >> 32) & ~0xfff)
        let minor = (device & 0xff) | ((device >> 12) & ~0xff)
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 6, fields[1] == "FLOCK", let pid = Int32(fields[4]) else { continue }
            let file = fields[5].split(separator: ":")
            if file.count == 3, UInt64(file[0], radix: 16) == major, UInt64(file[1], radix: 16) == minor, UInt64(file[2]) == UInt64(info.st_ino) {
                return String(pid)
            }
        }
        return nil
    }

    /// A file of `/proc`, which reports a size of 0 and so is read until it ends.
    private static func readProcFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return count == 0 ? String(decoding: bytes, as: UTF8.self) : nil }
            bytes += chunk[..<count]
        }
    }

    /// The pid written in the `lock` file, if there is one.
    private static func holder(named path: String) -> String? {
        (try? FileSystem.read(path)).flatMap { String(decoding: $0, as: UTF8.self).split(separator: "\n").first.map(String.init) }
    }
}
