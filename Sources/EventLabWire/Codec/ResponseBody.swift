import EventLabCore

/// An encoded response body: the bytes an encoder wrote, with stored record batches between them
/// left where they are, read only as the server sends them — a piece at a time, so a large Fetch
/// answer never sits in memory whole.
public struct ResponseBody: Sendable {
    /// A run of the body.
    public enum Piece: Sendable {
        /// Bytes the encoder wrote.
        case bytes(ArraySlice<UInt8>)
        /// Stored batches, copied out when sent.
        case stored(any StoredBytes)

        var count: Int {
            switch self {
            case .bytes(let bytes): bytes.count
            case .stored(let stored): stored.count
            }
        }
    }

    /// The pieces in order; sent one after another, they are the body.
    public private(set) var pieces: [Piece] = []
    /// The body's size in bytes.
    public private(set) var count = 0

    /// A body of one run of bytes.
    public init(_ bytes: [UInt8]) {
        append(.bytes(bytes[...]))
    }

    init() {}

    /// Adds `piece` at the end.
    mutating func append(_ piece: Piece) {
        guard piece.count > 0 else { return }
        pieces.append(piece)
        count += piece.count
    }

    /// The body as Kafka sends it: its size and the response header first — the request's
    /// correlation id, then (header v1, `tagged`) an empty tagged-field block.
    ///
    /// - Throws: `WireError` for a body too large for Kafka's int32 size: the connection is
    ///   closed rather than the size cut.
    public func framed(correlationId: Int32, tagged: Bool = false) throws(WireError) -> ResponseBody {
        guard let size = Int32(exactly: 4 + (tagged ? 1 : 0) + count) else {
            throw WireError("an answer of \(count) bytes is too large for one frame")
        }
        var writer = WireWriter(capacity: 9)
        writer.integer(size)
        writer.integer(correlationId)
        if tagged { writer.noTaggedFields() }
        var framed = ResponseBody(writer.bytes)
        pieces.forEach { framed.append($0) }
        return framed
    }

    /// The whole body as one array: a copy, for tests and tools.
    public func bytes() throws(BrokerError) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(count)
        for piece in pieces {
            switch piece {
            case .bytes(let bytes): result += bytes
            case .stored(let stored): result += try stored.bytes()
            }
        }
        return result
    }
}

/// Reads a response body's bytes in order, a buffer at a time.
public struct ResponseCursor: Sendable {
    private let pieces: [ResponseBody.Piece]
    private var index = 0
    private var offsetInPiece = 0
    /// Bytes not read yet.
    public private(set) var remaining: Int

    /// A cursor at the start of `body`.
    public init(_ body: ResponseBody) {
        pieces = body.pieces
        remaining = body.count
    }

    /// Copies the next bytes into `target`, as many as fit.
    ///
    /// - Returns: how many bytes were copied: `target.count`, or fewer at the end.
    /// - Throws: `KAFKA_STORAGE_ERROR` when stored bytes cannot be read.
    public mutating func read(into target: UnsafeMutableRawBufferPointer) throws(BrokerError) -> Int {
        var written = 0
        while written < target.count, index < pieces.count {
            let piece = pieces[index]
            let length = min(piece.count - offsetInPiece, target.count - written)
            let destination = UnsafeMutableRawBufferPointer(rebasing: target[written..<written + length])
            switch piece {
            case .bytes(let bytes):
                bytes.withUnsafeBytes { source in
                    destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offsetInPiece..<offsetInPiece + length]))
                }
            case .stored(let stored):
                try stored.copy(from: offsetInPiece, into: destination)
            }
            written += length
            offsetInPiece += length
            if offsetInPiece == piece.count {
                index += 1
                offsetInPiece = 0
            }
        }
        remaining -= written
        return written
    }
}
