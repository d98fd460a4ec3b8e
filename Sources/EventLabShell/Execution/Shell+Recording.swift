import EventLabCore
import Foundation

extension Shell {
    /// The transcript being recorded, if any.
    public var recordingPath: String? { recording?.path }

    /// Starts recording every command from now on, with its output, to `path` as a transcript
    /// (`transcripts/README.md`); `replacing` allows an existing file to be overwritten.
    ///
    /// - Returns: a `note:` to show when the workspace already holds topics or group offsets,
    ///   as the recording will then not replay the same.
    /// - Throws: while already recording, or when the file exists (without `replacing`) or
    ///   cannot be written; then nothing changes.
    public func startRecording(to path: String, replacing: Bool, recordedAtMs: Int64 = Int64(Date().timeIntervalSince1970 * 1000)) throws(ShellError) -> String? {
        if let recording { throw ShellError("already recording to \(recording.path): `record stop` first, then start another") }
        let settings = TranscriptSettings(
            clock: logicalClock.map { .logical(startMs: $0.now()) } ?? .system, width: width, brokers: broker.brokerIds.count,
            brokerSettings: broker.config.assignments, recordedAtMs: recordedAtMs)
        recording = try Recording(path: path, replacing: replacing, settings: settings)
        let fresh = "record from the start of a fresh session, such as `eventlab --memory --clock logical --record \(path)`"
        if let contents = workspaceContents {
            return "note: the workspace already holds \(contents), and verify and replay start from an empty one, so this recording may not replay the same: \(fresh)"
        }
        if let logicalClock, logicalClock.now() != LogicalClock.start {
            // Timed work (retention checks, the cleaner's passes) falls due counted from when the
            // broker opened; a replay opens at the recorded time, so its checks would fall elsewhere.
            return "note: the logical clock has moved since the session began, and a replay's timed work (retention checks, the log cleaner's passes) falls due counted from the recorded time instead, so this recording may not replay the same: \(fresh)"
        }
        return nil
    }

    /// Stops recording and closes the file.
    ///
    /// - Returns: the file and how many commands it holds.
    /// - Throws: when not recording.
    @discardableResult
    public func stopRecording() throws(ShellError) -> (path: String, commands: Int) {
        guard let recording else { throw ShellError("not recording: `record start FILE` starts a recording") }
        recording.close()
        self.recording = nil
        return (recording.path, recording.commandCount)
    }

    /// What a recording would start from instead of an empty workspace, or nil when it is empty.
    private var workspaceContents: String? {
        let topics = broker.topics().map(\.name)
        let groups = broker.groups().map(\.groupId)
        let parts = [
            topics.isEmpty ? nil : "topics (\(topics.joined(separator: ", ")))",
            groups.isEmpty ? nil : "group offsets (\(groups.joined(separator: ", ")))",
        ].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: " and ")
    }

    /// Runs `body` (one command line, or one command of it) and, while recording, appends
    /// `text` with every line `body` printed, as the recording will be verified: placeholders
    /// for values that vary, no colours, and no `at line N` (a transcript's commands have no
    /// script lines).
    func recorded(_ text: String, location: String, _ body: () -> Bool) -> Bool {
        guard let recording else { return body() }
        var printed: [String] = []
        let tap = outputTap
        outputTap = { marked, isError in
            tap?(marked, isError)
            printed += Self.recordedLines(marked, isError: isError, location: location)
        }
        let succeeded = body()
        outputTap = tap
        do {
            try recording.append(text, printed: printed)
        } catch {
            if self.recording === recording { self.recording = nil }
            report(error.message, "")
        }
        return succeeded
    }

    /// True for a command that is never recorded: `record` itself, and `exit`.
    func isUnrecorded(_ command: String) -> Bool {
        guard let first = (try? Words.split(command))?.first else { return false }
        return ["record", "exit"].contains(registry.aliases[first] ?? first)
    }

    /// A written line as a transcript holds it, split into its lines.
    private static func recordedLines(_ marked: String, isError: Bool, location: String) -> [String] {
        var line = withoutColours(Varying.placeholders(marked))
        let located = "error \(location):"
        if isError, !location.isEmpty, line.hasPrefix(located) { line = "error:" + line.dropFirst(located.count) }
        return line.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// `text` without ANSI colours; only `Style` writes escape characters, as `TerminalText`
    /// escapes those in data.
    private static func withoutColours(_ text: String) -> String {
        guard text.contains("\u{1B}") else { return text }
        return text.replacing(/\x1B\[[0-9;]*m/, with: "")
    }
}
