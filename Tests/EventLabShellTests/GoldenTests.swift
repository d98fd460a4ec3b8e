import EventLabShell
import EventLabTestSupport
import Foundation
import Testing

/// The golden sessions: transcripts of the shell's commands (the format of
/// `transcripts/README.md`), verified exactly as `eventlab verify` verifies them. With
/// EVENTLAB_RECORD=1 a differing file is rewritten as `eventlab verify --update` would; review
/// the diff then.
struct Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/shell")

    /// The golden files in `directory`, sorted.
    ///
    /// - Throws: when the directory is missing or holds none, so a moved fixture directory fails
    ///   the suite instead of leaving it with nothing to check.
    static func files(in directory: URL) throws -> [String] {
        try TranscriptFiles.collect([directory.path]).map { URL(fileURLWithPath: $0).lastPathComponent }
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
        let text = try String(contentsOf: url, encoding: .utf8)
        let transcript = try TranscriptParser.parse(text)
        // A session that restarts needs its workspace on disk, as `eventlab verify` gives it one.
        let opener = transcript.restarts ? DiskTranscriptWorkspace.opener : MemoryTranscriptWorkspace.opener
        let mismatches = try TranscriptVerifier(opener: opener).mismatches(in: transcript)
        if ProcessInfo.processInfo.environment["EVENTLAB_RECORD"] == "1", !mismatches.isEmpty {
            try TranscriptUpdate.apply(mismatches, to: text).write(to: url, atomically: true, encoding: .utf8)
            return
        }
        if !mismatches.isEmpty {
            Issue.record("\(file) differs:\n\(mismatches.map { OutputDiff.unified(file: file, $0) }.joined(separator: "\n"))")
        }
    }
}
