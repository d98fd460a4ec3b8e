/// An encoded response body: the bytes an encoder wrote, with stored record batches left where
/// they are between them instead of copied in, so the server copies each byte once, into the
/// socket's buffers.
public struct ResponseBody: Sendable {
    /// The pieces in order; sent one after another, they are the body.
    public private(set) var pieces: [ArraySlice<UInt8>] = []
    /// The body's size in bytes.
    public private(set) var count = 0

    /// A body of one piece.
    public init(_ bytes: [UInt8]) {
        append(bytes[...])
    }

    init() {}

    /// Adds `piece` at the end.
    mutating func append(_ piece: ArraySlice<UInt8>) {
        guard !piece.isEmpty else { return }
        pieces.append(piece)
        count += piece.count
    }

    /// The whole body as one array: a copy, for when one array is needed.
    public var bytes: [UInt8] { Array(pieces.joined()) }
}
