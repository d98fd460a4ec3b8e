import Foundation

/// The lines of a file descriptor (a pipe, say), each returned as soon as its newline is read,
/// without the newline; the last line may lack one. Only the line being read is held, so an
/// endless pipe is read in constant memory.
public final class InputLines: Sequence, IteratorProtocol {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    /// Where the line being read starts in `buffer`, and how far it has been searched for a newline.
    private var start = 0
    private var searched = 0
    private var ended = false
    private var chunk = [UInt8](repeating: 0, count: 65_536)
    /// Why reading stopped before the end of the input, if it did.
    public private(set) var failure: String?

    /// Lines read from `descriptor`, which stays open.
    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    public func next() -> [UInt8]? {
        while true {
            if let newline = buffer[searched...].firstIndex(of: UInt8(ascii: "\n")) {
                defer { start = newline + 1; searched = start }
                return Array(buffer[start..<newline])
            }
            searched = buffer.count
            if ended {
                defer { start = buffer.count }
                return start < buffer.count ? Array(buffer[start...]) : nil
            }
            buffer.removeFirst(start)
            searched -= start
            start = 0
            read()
        }
    }

    private func read() {
        let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
        if count > 0 {
            buffer.append(contentsOf: chunk[..<count])
        } else if count == 0 {
            ended = true
        } else if errno != EINTR {
            failure = String(cString: strerror(errno))
            ended = true
        }
    }
}
