import EventLabCore
import Foundation

/// `eventlab replay FILE`: reads the transcript, finds where `--from` starts, plays it on
/// `console` and says at the end how many commands printed something other than the recording.
public struct ReplayRun {
    /// Every command printed what was recorded (or the teacher quit before one differed).
    public static let matched: Int32 = 0
    /// A command's output differed from the recording.
    public static let differed: Int32 = 1
    /// A bad argument or a malformed transcript.
    public static let malformed: Int32 = 2

    let opener: TranscriptWorkspaceOpener
    let console: any ReplayConsole
    let style: Style
    let errors: any Output

    /// A run opening workspaces with `opener`, showing on `console` in `style`, with errors
    /// (a malformed file, a bad `--from`) on `errors`.
    public init(opener: @escaping TranscriptWorkspaceOpener, console: any ReplayConsole, style: Style, errors: any Output) {
        self.opener = opener
        self.console = console
        self.style = style
        self.errors = errors
    }

    /// Replays `file` from `from` (a section or a command number; nil for the top); waits at
    /// pauses, and before each command with `step`, only when `waits`. Returns the exit status.
    public func run(file: String, from: String?, step: Bool, waits: Bool) -> Int32 {
        do {
            let transcript = try read(file)
            let start = try from.map { try ReplayStart.index(of: $0, in: transcript) } ?? 0
            let replay = try Replay(
                transcript, opener: opener, console: console, style: style,
                options: Replay.Options(step: step, start: start, waits: waits))
            let outcome = try replay.run()
            let commands = transcript.commands.count
            if outcome == .finished {
                console.show(style.marker(replay.differing == 0
                    ? "── end of the replay: all \(commands) command\(commands == 1 ? "" : "s") printed what was recorded"
                    : "── end of the replay: \(replay.differing) of \(commands) commands printed something other than the recording"))
            }
            return replay.differing == 0 ? Self.matched : Self.differed
        } catch let error as TranscriptError {
            errors.error("error: \(file) line \(error.line): \(error.message)")
        } catch let error as ShellError {
            errors.error("error: \(error.message)")
        } catch {
            errors.error("error: \(file): \(ShellError.message(of: error))")
        }
        return Self.malformed
    }

    private func read(_ file: String) throws -> Transcript {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ShellError("cannot read \(file): check the path and its permissions")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ShellError("\(file) is not UTF-8 text: a transcript is plain text")
        }
        return try TranscriptParser.parse(text)
    }
}
