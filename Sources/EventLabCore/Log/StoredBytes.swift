/// Stored batches, whole and back to back, that a fetch sends as they are.
///
/// Choosing them happens under the broker's lock; reading them does not: the network copies them
/// straight into its send buffers a piece at a time, so a large fetch never sits in memory whole.
/// Stored bytes never change once written — logs only grow, and the file of a deleted or
/// compacted segment stays readable while anyone still holds it.
public protocol StoredBytes: Sendable {
    /// How many bytes there are.
    var count: Int { get }
    /// Copies the bytes from `offset` on into `target`, filling it.
    ///
    /// - Precondition: `offset + target.count <= count`.
    /// - Throws: `KAFKA_STORAGE_ERROR` when the bytes cannot be read.
    func copy(from offset: Int, into target: UnsafeMutableRawBufferPointer) throws(BrokerError)
}

extension StoredBytes {
    /// All the bytes as one array: a copy, for tests and tools.
    public func bytes() throws(BrokerError) -> [UInt8] {
        var failure: BrokerError?
        let result = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            do throws(BrokerError) {
                try copy(from: 0, into: UnsafeMutableRawBufferPointer(buffer))
                initialized = buffer.count
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return result
    }
}

/// Batches held in memory, as stored bytes.
public struct BatchBytes: StoredBytes {
    /// The batches, in order.
    public let batches: [RecordBatch]
    public let count: Int

    /// The bytes of `batches`, one after another.
    public init(_ batches: [RecordBatch]) {
        self.batches = batches
        count = batches.reduce(0) { $0 + $1.byteCount }
    }

    public func copy(from offset: Int, into target: UnsafeMutableRawBufferPointer) {
        precondition(offset >= 0 && offset + target.count <= count, "a copy past the end of the stored bytes")
        let end = offset + target.count
        var next = offset  // the next byte to copy
        var position = 0  // where the current piece starts
        func take(_ piece: UnsafeRawBufferPointer) {
            defer { position += piece.count }
            guard next < end, next < position + piece.count else { return }
            let length = min(position + piece.count, end) - next
            (target.baseAddress! + (next - offset)).copyMemory(from: piece.baseAddress! + (next - position), byteCount: length)
            next += length
        }
        for batch in batches where next < end {
            withUnsafeBytes(of: batch.baseOffset.bigEndian) { take($0) }
            batch.bytesAfterBaseOffset.withUnsafeBytes { take($0) }
        }
    }
}
