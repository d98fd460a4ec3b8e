/// A transcript played live for a class: headings and narration shown, each command typed out
/// and run on a fresh workspace, its real output shown and flagged where it differs from the
/// recording; waits at `% pause` (and before each command with `step`), where the teacher may
/// go on, quit, or improvise in the REPL. What comes before the start runs silently.
///
/// Decisions only: the ``ReplayConsole`` does the typing, the showing and the keys.
public final class Replay {
    /// How a replay runs.
    public struct Options: Sendable {
        /// Wait before each command.
        public var step: Bool
        /// The index in the transcript's items to start showing at (see ``ReplayStart``).
        public var start: Int
        /// False without a terminal: pauses and steps do not wait.
        public var waits: Bool

        /// Options for a replay from the top, waiting where the transcript says.
        public init(step: Bool = false, start: Int = 0, waits: Bool = true) {
            self.step = step
            self.start = start
            self.waits = waits
        }
    }

    /// How a replay ended.
    public enum Outcome: Equatable, Sendable {
        /// Every item was played.
        case finished
        /// The teacher quit.
        case quit
    }

    static let pauseHint = "── paused · Enter goes on · r opens the REPL here · q quits"
    static let stepHint = "── next command · Enter runs it · r opens the REPL here · q quits"
    static let restartNote = "── % restart: the workspace closes and opens again, as quitting and starting eventlab would"
    static let restoredNote = "── back to the replay: the recorded state is restored"
    static let differsFlag = "── differs from the recording; expected:"

    private let transcript: Transcript
    private let opener: TranscriptWorkspaceOpener
    private let console: any ReplayConsole
    private let style: Style
    private let options: Options
    private var session: TranscriptSession
    /// Commands whose output differed from the recording so far.
    public private(set) var differing = 0

    /// A replay of `transcript` on a fresh workspace opened with `opener`, shown on `console`.
    ///
    /// - Throws: when the workspace cannot be opened.
    public init(
        _ transcript: Transcript, opener: @escaping TranscriptWorkspaceOpener, console: any ReplayConsole,
        style: Style = Style(isEnabled: false), options: Options = Options()
    ) throws {
        self.transcript = transcript
        self.opener = opener
        self.console = console
        self.style = style
        self.options = options
        session = try Self.freshSession(for: transcript, opener: opener)
    }

    deinit { session.close() }

    /// Plays the transcript from the start option to its end, or until the teacher quits.
    ///
    /// - Throws: when the workspace cannot be reopened (a restart, or restoring after the REPL).
    public func run() throws -> Outcome {
        var commandNumber = 0
        var justWaited = false
        for (index, item) in transcript.items.enumerated() {
            if case .command = item { commandNumber += 1 }
            guard index >= options.start else {
                try runSilently(item, number: commandNumber)
                continue
            }
            switch item {
            case .heading(let text):
                // A blank line sets a new section apart from the output above it.
                if index > options.start { console.show("") }
                console.show(style.heading(TranscriptSyntax.heading + text))
            case .narration:
                console.show(style.narration(TranscriptWriter.lines(item)[0]))
            case .pause:
                guard options.waits else { continue }
                guard try wait(Self.pauseHint, before: index) else { return .quit }
                justWaited = true
            case .restart:
                try session.restart()
                console.show(style.marker(Self.restartNote))
                justWaited = false
            case .command(let command):
                // Right after a pause the teacher has just pressed a key: one wait is enough.
                if options.step && options.waits && !justWaited {
                    guard try wait(Self.stepHint, before: index) else { return .quit }
                }
                guard play(command) else { return .quit }
                justWaited = false
            }
        }
        return .finished
    }

    /// Types `command`, runs it, shows its output and flags a difference; false if the teacher quit.
    private func play(_ command: TranscriptCommand) -> Bool {
        for (index, line) in command.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard console.type(String(line), after: index == 0 ? TranscriptSyntax.prompt : TranscriptSyntax.continuation) else { return false }
        }
        let printed = session.run(command.text)
        for line in printed { console.show(line) }
        if !OutputPattern(command.expected).matches(printed) {
            differing += 1
            console.show(style.error(Self.differsFlag))
            // As a class reads them: without the file's `\` escapes.
            for line in command.expected {
                switch line {
                case .line(let text): console.show(style.marker(text))
                case .anyLines: console.show(style.marker(TranscriptSyntax.anyLines))
                }
            }
        }
        return true
    }

    /// Runs an item before the start without showing it; a command that differs is still
    /// counted, and named in one line.
    private func runSilently(_ item: Transcript.Item, number: Int) throws {
        switch item {
        case .command(let command):
            let printed = session.run(command.text)
            if !OutputPattern(command.expected).matches(printed) {
                differing += 1
                let first = TranscriptWriter.commandLines(command.text)[0]
                console.show(style.error("── command \(number) (line \(command.line), run before the start) differs from the recording: \(first)"))
            }
        case .restart:
            try session.restart()
        case .heading, .narration, .pause:
            break
        }
    }

    /// Shows `hint` until the teacher goes on or quits; after the REPL, restores the state the
    /// recording had before the item at `index`. True to go on, false to quit.
    private func wait(_ hint: String, before index: Int) throws -> Bool {
        while true {
            switch console.wait(hint: style.marker(hint)) {
            case .go: return true
            case .quit: return false
            case .improvise:
                console.improvise(on: session)
                try restore(before: index)
                console.show(style.marker(Self.restoredNote))
            }
        }
    }

    /// A fresh workspace with the commands and restarts before `index` run on it, silently:
    /// the replay is deterministic, so this is the state the recording had there.
    private func restore(before index: Int) throws {
        let fresh = try Self.freshSession(for: transcript, opener: opener)
        session.close()
        session = fresh
        for item in transcript.items[..<index] {
            switch item {
            case .command(let command): _ = session.run(command.text)
            case .restart: try session.restart()
            case .heading, .narration, .pause: continue
            }
        }
    }

    private static func freshSession(for transcript: Transcript, opener: @escaping TranscriptWorkspaceOpener) throws -> TranscriptSession {
        try TranscriptSession(settings: transcript.settings, onDisk: transcript.restarts, opener: opener)
    }
}
