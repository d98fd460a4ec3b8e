import Foundation

/// This benchmark started again as a child process, whose output is read line by line.
final class Child {
    private let process: Process
    private let output: FileHandle
    private var buffer = Data()

    private init(process: Process, output: FileHandle) {
        self.process = process
        self.output = output
    }

    /// Starts `eventlab-bench` with `arguments`.
    static func start(_ arguments: [String]) throws -> Child {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        return Child(process: process, output: pipe.fileHandleForReading)
    }

    /// Reads lines until one starts with `prefix`; nil if the child ends first.
    func waitForLine(prefix: String) throws -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...newline)
                if line.hasPrefix(prefix) { return line }
                continue
            }
            let more = output.availableData
            if more.isEmpty { return nil }
            buffer.append(more)
        }
    }

    /// Waits for the child to exit by itself.
    func waitForExit() {
        process.waitUntilExit()
    }

    /// Kills the child with SIGKILL and waits for it.
    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { kill() }
    }
}
