import ArgumentParser
import EventLabShell
import Foundation

/// `eventlab replay FILE`.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Play a transcript live for a class: each command typed out, run, its output checked.",
        discussion: """
            Headings and narration are shown in their own style; each command is typed out at \
            --speed, then runs on a fresh workspace with the transcript's settings and prints its \
            real output. Output that differs from the recording is flagged with the expected lines, \
            and the replay goes on. At `% pause` (and before each command with --step): Enter or \
            Space goes on, r opens the REPL on the same state (Ctrl-D returns to the replay, which \
            restores the recorded state), q quits. Without a terminal the whole session prints at \
            full speed. Exit status: 0 all output as recorded, 1 one differed, 2 a bad argument or \
            a malformed transcript. The format is in transcripts/README.md.
            """)

    @Argument(help: "The transcript to play.")
    var file: String

    @Option(help: ArgumentHelp("Characters a second when typing a command, or max for no pause.", valueName: "N|max"))
    var speed: TypingSpeed = .perSecond(25)

    @Flag(help: "Wait before each command: Enter runs it.")
    var step = false

    @Option(help: ArgumentHelp(
        "Start at a section (its heading, or the start of it) or at command N; what comes before runs silently.",
        valueName: "SECTION|N"))
    var from: String?

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        guard isatty(0) == 1 && isatty(1) == 1 else {
            let plain = ReplayRun(
                opener: TranscriptWorkspaces.opener, console: PlainReplayConsole(output: StandardOutput()),
                style: Style(isEnabled: false), errors: StandardOutput())
            throw ExitCode(plain.run(file: file, from: from, step: step, waits: false))
        }
        let console = TerminalConsole(charactersPerSecond: speed.charactersPerSecond)
        let run = ReplayRun(
            opener: TranscriptWorkspaces.opener, console: console,
            style: Style.forTerminal(isTTY: true, environment: environment), errors: StandardOutput())
        let status = run.run(file: file, from: from, step: step, waits: true)
        console.close()
        throw ExitCode(status)
    }
}

/// How fast a replay types: a number of characters a second, or as fast as it can.
enum TypingSpeed: ExpressibleByArgument, CustomStringConvertible {
    case perSecond(Double)
    case max

    init?(argument: String) {
        if argument == "max" {
            self = .max
        } else if let rate = Double(argument), rate.isFinite, rate > 0 {
            self = .perSecond(rate)
        } else {
            return nil
        }
    }

    /// Characters a second; nil for no pause.
    var charactersPerSecond: Double? {
        if case .perSecond(let rate) = self { rate } else { nil }
    }

    var description: String {
        switch self {
        case .perSecond(let rate): rate == rate.rounded() ? String(Int(rate)) : String(rate)
        case .max: "max"
        }
    }
}
