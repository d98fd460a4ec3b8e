import EventLabTestSupport
import Foundation
import Testing

/// `eventlab` reading a pipe the test keeps open: lines are written one at a time and output
/// read back before the next, as `tail -f commands | eventlab` would feed it.
final class OpenPipe {
    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let errors = Pipe()
    private var buffer: [UInt8] = []

    init(_ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("eventlab")
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = temporaryDirectory("eventlab-home")
        process.environment = environment
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
    }

    /// Writes `text` to the pipe, which stays open.
    func send(_ text: String) {
        input.fileHandleForWriting.write(Data(text.utf8))
    }

    /// The next line on standard output, or nil if none comes within 10 seconds.
    func readLine() -> String? {
        let descriptor = output.fileHandleForReading.fileDescriptor
        let deadline = Date().addingTimeInterval(10)
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                defer { buffer.removeFirst(newline + 1) }
                return String(decoding: buffer[..<newline], as: UTF8.self)
            }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let left = Int32(deadline.timeIntervalSinceNow * 1000)
            guard left > 0, poll(&poller, 1, left) > 0 else { return nil }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return nil }
            buffer += chunk[..<count]
        }
    }

    /// Closes the pipe and returns the exit status and standard error.
    func finish() throws -> (status: Int32, stderr: String) {
        try input.fileHandleForWriting.close()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stderr, as: UTF8.self))
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

@Suite("Piped input runs as it arrives")
struct PipedInputTests {
    @Test("the workspace is locked before the first line, and each line's output comes before the next is written")
    func runsAsItArrives() throws {
        let data = temporaryDirectory()
        let pipe = try OpenPipe(["--data", data, "--clock", "logical"])
        let pid = pipe.process.processIdentifier
        let deadline = Date().addingTimeInterval(10)
        while (try? String(contentsOfFile: data + "/lock", encoding: .utf8)) != "\(pid)\n" && Date() < deadline {
            usleep(20_000)
        }
        let second = try EventLabRun.run(["--data", data, "-c", "topic list"])
        #expect(second.status == 1)
        #expect(second.stderr.contains("in use by process \(pid)"), "\(second.stderr)")

        pipe.send("topic create t\n")
        #expect(pipe.readLine()?.hasPrefix("created topic t") == true)
        pipe.send("\n# a comment\npublish t key=k {\"a\":\n 1}\n")
        #expect(pipe.readLine()?.hasPrefix("t p0 @0") == true)
        pipe.send("topic create t\n")
        pipe.send("clock\n")
        #expect(pipe.readLine()?.hasPrefix("2024-01-01T00:00:00Z") != true, "clock ran after a failed line without --keep-going")
        let end = try pipe.finish()
        #expect(end.status == 1)
        #expect(end.stderr == "error at line 6: topic 't' already exists: pick another name, `topic alter t` to change its partitions or configs, or `topic delete t` first\n")
        let after = try EventLabRun.run(["--data", data, "-c", "consume t"])
        #expect(after.stdout.contains("1 record"), "\(after.stdout)")
    }

    @Test("an endless pipe is not gathered in memory: after 40 MB of lines its peak memory is under 40 MB")
    func flatMemory() throws {
        let pipe = try OpenPipe(["--memory", "--clock", "logical"])
        let line = "# " + String(repeating: "x", count: 1022) + "\n"
        let block = String(repeating: line, count: 1024)
        for _ in 0..<40 { pipe.send(block) }
        pipe.send("clock\n")
        #expect(pipe.readLine()?.hasPrefix("2024-01-01T00:00:00Z") == true)
        let status = try String(contentsOfFile: "/proc/\(pipe.process.processIdentifier)/status", encoding: .utf8)
        let peak = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
        let kilobytes = peak.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? .max
        #expect(kilobytes < 40 * 1024, "peak \(kilobytes) kB")
        #expect(try pipe.finish().status == 0)
    }
}
