import EventLabCore
import EventLabShell
import EventLabTestSupport
import Foundation
import Testing

/// Runs a golden file: `> command` lines, each followed by the output it must print; a command
/// that goes on to more lines (an open quote or JSON, as in the REPL) continues on `...> ` lines.
/// A file that is missing, or EVENTLAB_RECORD=1, is written from what the shell prints now;
/// review it then.
struct Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/shell")

    /// The commands of a golden file, in order.
    static func commands(_ text: String) -> [String] {
        var commands: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("> ") {
                commands.append(String(line.dropFirst(2)))
            } else if line.hasPrefix(continuation), !commands.isEmpty {
                commands[commands.count - 1] += "\n" + line.dropFirst(continuation.count)
            }
        }
        return commands
    }

    static let continuation = "...> "

    /// The golden files in `directory`, sorted.
    ///
    /// - Throws: when the directory is missing or holds none, so a moved fixture directory fails
    ///   the suite instead of leaving it with nothing to check.
    static func files(in directory: URL) throws -> [String] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".txt") }.sorted()
        guard !files.isEmpty else { throw MissingGoldenFiles(directory: directory.path) }
        return files
    }

    /// What the shell prints for `commands`, in the golden file's format.
    static func transcript(_ commands: [String]) throws -> String {
        let broker = try Broker(clock: LogicalClock(), ids: SeededIdSource(seed: 0))
        let clock = broker.clock as? LogicalClock
        let output = CapturedOutput()
        let shell = Shell(broker: broker, logicalClock: clock, output: output, width: 80)
        var text = ""
        for command in commands {
            output.clear()
            shell.execute(command)
            text += "> \(command.replacingOccurrences(of: "\n", with: "\n" + continuation))\n" + output.text
        }
        return text
    }
}

@Suite("Golden sessions")
struct GoldenTests {
    static let files = (try? Golden.files(in: Golden.directory)) ?? []

    @Test("the golden directory holds golden files, so the sessions below are not skipped")
    func directoryHoldsFiles() throws {
        #expect(try !Golden.files(in: Golden.directory).isEmpty)
    }

    @Test("a missing or empty golden directory is an error, not an empty list")
    func missingDirectoryFails() throws {
        let empty = URL(fileURLWithPath: temporaryDirectory())
        #expect(throws: (any Error).self) { try Golden.files(in: empty) }
        #expect(throws: (any Error).self) { try Golden.files(in: empty.appendingPathComponent("missing")) }
    }

    @Test("each command prints exactly what the golden file says", arguments: files)
    func golden(file: String) throws {
        let url = Golden.directory.appendingPathComponent(file)
        let expected = try String(contentsOf: url, encoding: .utf8)
        let actual = try Golden.transcript(Golden.commands(expected))
        if ProcessInfo.processInfo.environment["EVENTLAB_RECORD"] == "1" {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        #expect(actual == expected, "\(file) differs:\n\(Diff.unified(expected, actual))")
    }
}

/// A golden directory with no golden files in it.
struct MissingGoldenFiles: Error, CustomStringConvertible {
    let directory: String
    var description: String { "\(directory) holds no golden .txt files: the golden sessions would check nothing" }
}

/// A minimal line diff for failure messages.
enum Diff {
    static func unified(_ old: String, _ new: String) -> String {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false)
        var lines: [String] = []
        for index in 0..<max(a.count, b.count) {
            let left = index < a.count ? String(a[index]) : nil
            let right = index < b.count ? String(b[index]) : nil
            if left == right { continue }
            if let left { lines.append("-\(index + 1): \(left)") }
            if let right { lines.append("+\(index + 1): \(right)") }
            if lines.count > 40 { break }
        }
        return lines.joined(separator: "\n")
    }
}
