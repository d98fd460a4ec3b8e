import Foundation

/// A child process whose standard output is read line by line while it runs, and that a test
/// can kill at any moment.
public final class ChildProcess: @unchecked Sendable {
    private let process: Process
    private let output: FileHandle
    private var buffer = Data()
    private var lines: [String] = []

    /// Starts the executable `name`, built beside the test binary, with `arguments`.
    public init(_ name: String, _ arguments: [String]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        output = pipe.fileHandleForReading
    }

    /// Reads until a line starts with `prefix` and returns it; nil if the child exits first.
    public func waitForLine(prefix: String) -> String? {
        while true {
            while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...newline)
                lines.append(line)
                if line.hasPrefix(prefix) { return line }
            }
            let more = output.availableData
            if more.isEmpty { return nil }
            buffer.append(more)
        }
    }

    /// Kills the child with SIGKILL, waits for it, and returns every complete line it wrote.
    public func kill() -> [String] {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        buffer.append(output.readDataToEndOfFile())
        _ = waitForLine(prefix: "\u{0}never")
        return lines
    }

    /// Waits for the child to exit and returns every complete line it wrote.
    public func finish() -> (status: Int32, lines: [String]) {
        buffer.append(output.readDataToEndOfFile())
        process.waitUntilExit()
        _ = waitForLine(prefix: "\u{0}never")
        return (process.terminationStatus, lines)
    }

    /// The child's process id.
    public var pid: Int32 { process.processIdentifier }

    deinit {
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
