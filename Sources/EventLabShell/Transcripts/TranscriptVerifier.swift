/// Runs a transcript on a fresh workspace and compares each command's output with the lines
/// expected of it.
public struct TranscriptVerifier {
    /// A command whose output differs from the transcript, with what it printed.
    public struct Mismatch: Equatable, Sendable {
        /// The command, as the transcript holds it.
        public let command: TranscriptCommand
        /// What it printed, one string per line.
        public let actual: [String]
    }

    /// Opens the workspaces the transcripts run in.
    let opener: TranscriptWorkspaceOpener

    /// A verifier opening workspaces with `opener`.
    public init(opener: @escaping TranscriptWorkspaceOpener) {
        self.opener = opener
    }

    /// The commands of `transcript` whose output differs, in order; empty when all match.
    ///
    /// - Throws: when its workspace cannot be opened or reopened; ``TranscriptError`` when a
    ///   command follows `exit` with no `% restart` between, as none would run in the REPL.
    public func mismatches(in transcript: Transcript) throws -> [Mismatch] {
        let session = try TranscriptSession(settings: transcript.settings, onDisk: transcript.restarts, opener: opener)
        defer { session.close() }
        var mismatches: [Mismatch] = []
        var previous: TranscriptCommand?
        for item in transcript.items {
            switch item {
            case .command(let command):
                if session.shell.wantsExit, let previous {
                    throw TranscriptError(line: previous.line, "`exit` ends the session, but commands follow it: end the transcript there, or put `% restart` after it to start EventLab again")
                }
                previous = command
                let actual = session.run(command.text)
                if !OutputPattern(command.expected).matches(actual) {
                    mismatches.append(Mismatch(command: command, actual: actual))
                }
            case .restart:
                try session.restart()
            case .narration, .heading, .pause:
                continue
            }
        }
        return mismatches
    }
}
