import EventLabTestSupport
import Foundation
import Testing

/// Runs the real `scripts/run` in a copy of the repository's layout, with a stand-in `swift`
/// that prints what SwiftPM prints, and a stand-in `eventlab` that says what it was given.
@Suite("scripts/run")
struct ScriptsRunTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/run")

    /// Runs `scripts/run arguments` where `swift` prints `swiftOutput` and exits `swiftStatus`.
    ///
    /// Linux refuses to run a script another process holds open for writing ("Text file busy"),
    /// and a process forked by a test running alongside inherits the descriptors this one has
    /// open while it writes its stand-ins; so a run that meets that is run again on fresh files.
    static func run(_ arguments: [String], swiftOutput: String, swiftStatus: Int32) throws -> (status: Int32, stdout: String, stderr: String) {
        var result = try runOnce(arguments, swiftOutput: swiftOutput, swiftStatus: swiftStatus)
        for _ in 1...3 where result.status == 126 && result.stderr.contains("Text file busy") {
            result = try runOnce(arguments, swiftOutput: swiftOutput, swiftStatus: swiftStatus)
        }
        return result
    }

    private static func runOnce(_ arguments: [String], swiftOutput: String, swiftStatus: Int32) throws -> (status: Int32, stdout: String, stderr: String) {
        let root = temporaryDirectory()
        let files: [(String, String)] = [
            ("scripts/run", try String(contentsOf: script, encoding: .utf8)),
            ("scripts/install-deps", "#!/bin/sh\nexit 0\n"),
            (".build/release/eventlab", "#!/bin/sh\necho \"eventlab $*\"\n"),
            ("bin/swift", "#!/bin/sh\ncat <<'OUT'\n\(swiftOutput)OUT\nexit \(swiftStatus)\n"),
        ]
        for (path, text) in files {
            let url = URL(fileURLWithPath: root).appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: root + "/scripts/run")
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = root + "/bin:" + (environment["PATH"] ?? "/usr/bin:/bin")
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, stdout, stderr)
    }

    @Test("when nothing needed building, only eventlab's own output shows, and every argument reaches it")
    func quietWhenBuilt() throws {
        let chatter = "Building for production...\n[0/1] Planning build\n[1/1] Write swift-version-5B1A.txt\nBuild of product 'eventlab' complete! (0.42s)\n"
        let result = try Self.run(["--memory", "-c", "clock"], swiftOutput: chatter, swiftStatus: 0)
        #expect(result.status == 0)
        #expect(result.stdout == "eventlab --memory -c clock\n")
        #expect(result.stderr == "")
    }

    @Test("a build that compiles shows its progress, and a failed build shows its errors and does not run eventlab")
    func buildErrorsShow() throws {
        let compiled = try Self.run([], swiftOutput: "Building for production...\n[3/9] Compiling EventLabShell Shell.swift\n", swiftStatus: 0)
        #expect(compiled.stderr == "[3/9] Compiling EventLabShell Shell.swift\n")
        let failed = try Self.run([], swiftOutput: "Building for production...\n/src/Shell.swift:3:1: error: expected expression\n", swiftStatus: 1)
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("/src/Shell.swift:3:1: error: expected expression"))
        #expect(failed.stdout.isEmpty)
    }
}
