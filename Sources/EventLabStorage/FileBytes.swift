import EventLabCore

/// A range of a segment's log file, holding whole batches, read only when sent.
struct FileBytes: StoredBytes {
    let file: LogFile
    /// Where the range starts in the file.
    let position: Int
    let count: Int

    func copy(from offset: Int, into target: UnsafeMutableRawBufferPointer) throws(BrokerError) {
        precondition(offset >= 0 && offset + target.count <= count, "a copy past the end of the stored bytes")
        let read = try file.read(at: position + offset, into: target)
        guard read == target.count else {
            throw BrokerError(.kafkaStorageError, "\(file.path) ended at byte \(position + offset + read), inside batches being sent")
        }
    }
}
