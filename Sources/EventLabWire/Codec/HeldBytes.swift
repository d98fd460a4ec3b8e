import EventLabCore

/// Bytes held in memory and sent as stored batches are: a fetch converted down to an old message
/// format, or records a test read back.
public struct HeldBytes: StoredBytes {
    /// The bytes.
    public let bytes: [UInt8]

    /// Holds `bytes`.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var count: Int { bytes.count }

    public func copy(from offset: Int, into target: UnsafeMutableRawBufferPointer) {
        precondition(offset >= 0 && offset + target.count <= count, "a copy past the end of the held bytes")
        bytes.withUnsafeBytes { source in
            target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + target.count]))
        }
    }
}
