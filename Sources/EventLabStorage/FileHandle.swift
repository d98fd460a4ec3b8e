#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import EventLabCore

/// An open file descriptor with the few calls the log needs; every failure is a
/// `KAFKA_STORAGE_ERROR` naming the file and the system's reason. The descriptor closes when the
/// last holder lets go, so a fetch still sending a deleted segment's bytes can read them.
final class LogFile: Sendable {
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
        var failure: BrokerError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            do throws(BrokerError) {
                initialized = try read(at: offset, into: UnsafeMutableRawBufferPointer(buffer))
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return bytes
    }

    /// Reads bytes at `offset` into `target` until it is full or the file ends.
    ///
    /// - Returns: how many bytes were read.
    @discardableResult
    func read(at offset: Int, into target: UnsafeMutableRawBufferPointer) throws(BrokerError) -> Int {
        var done = 0
        while done < target.count {
            let result = pread(descriptor, target.baseAddress! + done, target.count - done, off_t(offset + done))
            if result < 0 && errno == EINTR { continue }
            if result < 0 { throw storageError("reading", path) }
            if result == 0 { break }
            done += result
        }
        return done
    }

    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: [UInt8], at offset: Int) throws(BrokerError) {
        try bytes.withUnsafeBytes { raw in Result { () throws(BrokerError) in try write([raw], at: offset) } }.get()
    }

    /// Writes `buffers` one after another at `offset`, in one system call when it can: a gather
    /// write, so pieces kept apart need not be joined first.
    func write(_ buffers: [UnsafeRawBufferPointer], at offset: Int) throws(BrokerError) {
        var pieces = buffers.filter { !$0.isEmpty }.map { iovec(iov_base: UnsafeMutableRawPointer(mutating: $0.baseAddress), iov_len: $0.count) }
        var position = offset
        var first = 0
        while first < pieces.count {
            let result = try writeOnce(pieces[first...], at: position)
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else { throw storageError("writing", path) }
            position += result
            var written = result
            while first < pieces.count, written >= pieces[first].iov_len {
                written -= pieces[first].iov_len
                first += 1
            }
            if written > 0 {
                pieces[first].iov_base += written
                pieces[first].iov_len -= written
            }
        }
    }

    /// One gather write of `pieces` at `position`, unless an injected fault (``FileFaults``)
    /// cuts it short or fails it as a full disk would.
    private func writeOnce(_ pieces: ArraySlice<iovec>, at position: Int) throws(BrokerError) -> Int {
        let total = pieces.reduce(0) { $0 + $1.iov_len }
        guard FileFaults.changeAllowed(path) else { throw storageError("writing", path) }
        guard let allowed = FileFaults.allowedBytes(writing: total, to: path) else {
            return pieces.withUnsafeBufferPointer { pwritev(descriptor, $0.baseAddress, Int32($0.count), off_t(position)) }
        }
        var limited: [iovec] = []
        var left = allowed
        for piece in pieces where left > 0 {
            limited.append(iovec(iov_base: piece.iov_base, iov_len: min(piece.iov_len, left)))
            left -= min(piece.iov_len, left)
        }
        let written = limited.isEmpty ? 0 : limited.withUnsafeBufferPointer { pwritev(descriptor, $0.baseAddress, Int32($0.count), off_t(position)) }
        guard written > 0 else {
            errno = ENOSPC
            throw storageError("writing", path)
        }
        return written
    }

    /// Writes `batch` at `offset`: its base offset and the rest of its bytes, without joining them.
    func write(_ batch: RecordBatch, at offset: Int) throws(BrokerError) {
        try withUnsafeBytes(of: batch.baseOffset.bigEndian) { head in
            batch.bytesAfterBaseOffset.withUnsafeBytes { rest in Result { () throws(BrokerError) in try write([head, rest], at: offset) } }
        }.get()
    }

    /// Cuts the file to `size` bytes.
    func truncate(to size: Int) throws(BrokerError) {
        guard FileFaults.changeAllowed(path), ftruncate(descriptor, off_t(size)) == 0 else { throw storageError("truncating", path) }
    }

    /// Asks the kernel to put the file's bytes on the disk (fsync).
    func sync() throws(BrokerError) {
        guard FileFaults.syncAllowed(path), fsync(descriptor) == 0 else { throw storageError("syncing", path) }
    }
}

/// A storage failure naming the operation, the path and the system's reason.
func storageError(_ operation: String, _ path: String) -> BrokerError {
    BrokerError(.kafkaStorageError, "\(operation) \(path) failed: \(String(cString: strerror(errno)))")
}
