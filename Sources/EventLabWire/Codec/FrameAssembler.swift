/// Cuts a byte stream into Kafka frames — an int32 size, then that many bytes — gathering each
/// frame into an array of exactly its size, so a frame that arrives in many reads is copied once.
///
/// Bytes of an incomplete frame are kept as they came until the rest arrives; nothing is decoded
/// from them before that.
public struct FrameAssembler {
    /// The largest frame accepted (Kafka's `socket.request.max.bytes`).
    public let maxBytes: Int
    /// The size prefix's bytes while fewer than four have arrived.
    private var prefix: [UInt8] = []
    /// The frame being gathered, once its size is known.
    private var frame: [UInt8] = []
    private var expected: Int?

    /// The most a frame reserves before its bytes arrive: a client that announces a large frame
    /// and sends little cannot make the broker hold much more than it sent.
    static let maxReservation = 8 << 20

    /// An assembler that refuses frames over `maxBytes`.
    public init(maxBytes: Int = Frame.defaultMaxBytes) {
        self.maxBytes = maxBytes
    }

    /// Takes the next bytes of the stream and returns the frames they complete, in order.
    ///
    /// - Throws: `WireError` for a size that is negative or over `maxBytes`, before anything of
    ///   that size is allocated; the stream cannot be resynchronised after that.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) throws(WireError) -> [[UInt8]] {
        var frames: [[UInt8]] = []
        var rest = bytes.assumingMemoryBound(to: UInt8.self)[...]
        while !rest.isEmpty {
            if let expected {
                let taken = rest.prefix(expected - frame.count)
                frame.append(contentsOf: UnsafeBufferPointer(rebasing: taken))
                rest = rest.dropFirst(taken.count)
            } else {
                let taken = rest.prefix(4 - prefix.count)
                prefix.append(contentsOf: taken)
                rest = rest.dropFirst(taken.count)
                guard prefix.count == 4 else { break }
                let size = try Frame.bodySize(Int32(bitPattern: prefix.reduce(0) { $0 << 8 | UInt32($1) }), maxBytes: maxBytes)
                prefix.removeAll(keepingCapacity: true)
                frame.reserveCapacity(min(size, Self.maxReservation))
                expected = size
            }
            if frame.count == expected {
                frames.append(frame)
                frame = []
                expected = nil
            }
        }
        return frames
    }

    /// Takes the next bytes of the stream and returns the frames they complete, in order.
    public mutating func append(_ bytes: [UInt8]) throws(WireError) -> [[UInt8]] {
        try bytes.withUnsafeBytes { raw in Result { () throws(WireError) in try append(raw) } }.get()
    }
}
