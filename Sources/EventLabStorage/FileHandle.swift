#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import EventLabCore

/// An open file descriptor with the few calls the log needs; every failure is a
/// `KAFKA_STORAGE_ERROR` naming the file and the system's reason.
final class LogFile {
    let path: String
    private let descriptor: Int32

    /// Opens `path` for reading and writing, creating it if asked.
    init(path: String, create: Bool = false) throws(BrokerError) {
        self.path = path
        let flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0)
        descriptor = open(path, flags, 0o644)
        guard descriptor >= 0 else { throw storageError("opening", path) }
    }

    deinit { close(descriptor) }

    /// The file's size in bytes.
    func size() throws(BrokerError) -> Int {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw storageError("reading the size of", path) }
        return Int(info.st_size)
    }

    /// Reads up to `count` bytes at `offset`; fewer only at the end of the file.
    func read(at offset: Int, count: Int) throws(BrokerError) -> [UInt8] {
        guard count > 0 else { return [] }
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                let result = pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset + done))
                if result < 0 && errno == EINTR { continue }
                if result < 0 { failed = true; break }
                if result == 0 { break }
                done += result
            }
            initialized = done
        }
        if failed { throw storageError("reading", path) }
        return bytes
    }

    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: [UInt8], at offset: Int) throws(BrokerError) {
        var failed = false
        bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let result = pwrite(descriptor, raw.baseAddress! + done, raw.count - done, off_t(offset + done))
                if result < 0 && errno == EINTR { continue }
                if result <= 0 { failed = true; return }
                done += result
            }
        }
        if failed { throw storageError("writing", path) }
    }

    /// Cuts the file to `size` bytes.
    func truncate(to size: Int) throws(BrokerError) {
        guard ftruncate(descriptor, off_t(size)) == 0 else { throw storageError("truncating", path) }
    }

    /// Asks the kernel to put the file's bytes on the disk (fsync).
    func sync() throws(BrokerError) {
        guard fsync(descriptor) == 0 else { throw storageError("syncing", path) }
    }
}

/// A storage failure naming the operation, the path and the system's reason.
func storageError(_ operation: String, _ path: String) -> BrokerError {
    BrokerError(.kafkaStorageError, "\(operation) \(path) failed: \(String(cString: strerror(errno)))")
}
