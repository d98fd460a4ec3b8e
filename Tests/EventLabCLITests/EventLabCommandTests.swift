import Foundation
import Testing

/// Runs the built `eventlab` binary, as a user would, and captures what it prints.
struct EventLabRun {
    var status: Int32
    var stdout: String
    var stderr: String

    static func run(_ arguments: [String]) throws -> EventLabRun {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let process = Process()
        process.executableURL = directory.appendingPathComponent("eventlab")
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return EventLabRun(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}

@Suite("The eventlab command")
struct EventLabCommandTests {
    @Test("--version prints the version and exits 0")
    func version() throws {
        let result = try EventLabRun.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout == "0.1.0\n")
    }

    @Test("--help says what EventLab is and exits 0")
    func help() throws {
        let result = try EventLabRun.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("event-driven architecture"))
        #expect(result.stdout.contains("USAGE: eventlab"))
    }

    @Test("an unknown option is an error on stderr with exit status 2")
    func badArgument() throws {
        let result = try EventLabRun.run(["--bogus"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("Unknown option '--bogus'"))
        #expect(result.stdout.isEmpty)
    }
}
