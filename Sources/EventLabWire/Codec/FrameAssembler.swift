/// Cuts a byte stream into Kafka frames — an int32 size, then that many bytes — gathering each
/// frame into an array of exactly its size, so a frame that arrives in many reads is copied once.
///
/// Bytes of an incomplete frame are kept as they came until the rest arrives; nothing is decoded
/// from them before that. Each frame is admitted by its announced size before its bytes are
/// gathered: a frame not admitted stops the assembler, which keeps the bytes after its size
/// prefix as they are until ``resume(admit:)`` admits it.
public struct FrameAssembler {
    /// The largest frame accepted (Kafka's `socket.request.max.bytes`).
    public let maxBytes: Int
    /// The size prefix's bytes while fewer than four have arrived.
    private var prefix: [UInt8] = []
    /// The frame being gathered, once its size is known.
    private var frame: [UInt8] = []
    private var expected: Int?
    /// The size of a frame that was not admitted yet, and the bytes that came after its prefix.
    private var stopped: (size: Int, rest: [UInt8])?

    /// An assembler that refuses frames over `maxBytes`.
    public init(maxBytes: Int = Frame.defaultMaxBytes) {
        self.maxBytes = maxBytes
    }

    /// Whether a frame waits to be admitted: the stream's reader should read no more until it is.
    public var isStopped: Bool { stopped != nil }

    /// Takes the next bytes of the stream and returns the frames they complete, in order.
    ///
    /// - Parameter admit: asked once per frame with its size, before any memory is set aside for
    ///   it; `false` stops the assembler at that frame, keeping what came after.
    /// - Throws: `WireError` for a size that is negative or over `maxBytes`, before anything of
    ///   that size is allocated; the stream cannot be resynchronised after that.
    public mutating func append(_ bytes: UnsafeRawBufferPointer, admit: (Int) -> Bool = { _ in true }) throws(WireError) -> [[UInt8]] {
        if stopped != nil {
            stopped!.rest.append(contentsOf: bytes)
            return []
        }
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
                guard admit(size) else {
                    stopped = (size, Array(UnsafeBufferPointer(rebasing: rest)))
                    return frames
                }
                start(size)
            }
            if frame.count == expected { frames.append(finish()) }
        }
        return frames
    }

    /// Takes the next bytes of the stream and returns the frames they complete, in order.
    public mutating func append(_ bytes: [UInt8], admit: (Int) -> Bool = { _ in true }) throws(WireError) -> [[UInt8]] {
        try bytes.withUnsafeBytes { raw in Result { () throws(WireError) in try append(raw, admit: admit) } }.get()
    }

    /// Asks again to admit the frame the assembler stopped at; once it is, goes on with the bytes
    /// kept after it and returns the frames they complete.
    public mutating func resume(admit: (Int) -> Bool) throws(WireError) -> [[UInt8]] {
        guard let (size, rest) = stopped, admit(size) else { return [] }
        stopped = nil
        start(size)
        var frames: [[UInt8]] = []
        if frame.count == expected { frames.append(finish()) }
        return frames + (try append(rest, admit: admit))
    }

    /// Begins gathering an admitted frame: its whole size is set aside at once, since whoever
    /// admitted it has counted that much.
    private mutating func start(_ size: Int) {
        frame.reserveCapacity(size)
        expected = size
    }

    private mutating func finish() -> [UInt8] {
        defer {
            frame = []
            expected = nil
        }
        return frame
    }
}
