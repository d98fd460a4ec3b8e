/// What the teacher asked for at a pause or a step.
public enum ReplayKey: Equatable, Sendable {
    /// Enter or Space: go on.
    case go
    /// `q` or Ctrl-C: stop the replay.
    case quit
    /// `r`: open the REPL on the replay's state.
    case improvise
}

/// The terminal side of a replay: ``Replay`` decides what to show, run and wait for; a console
/// shows it, types commands at a pace and reads the teacher's keys.
public protocol ReplayConsole: AnyObject {
    /// Writes one whole line, already styled, and a newline.
    func show(_ line: String)
    /// Writes `prompt` at once, then types `text` out at the replay's pace, then a newline.
    ///
    /// - Returns: false if the teacher asked to quit meanwhile (Ctrl-C).
    func type(_ text: String, after prompt: String) -> Bool
    /// Shows `hint` and waits for the teacher's key.
    func wait(hint: String) -> ReplayKey
    /// Opens the normal REPL on `session`'s broker; returns when the teacher leaves it.
    func improvise(on session: TranscriptSession)
}

/// A console without a terminal: everything written to `output` at once, nothing waited for.
public final class PlainReplayConsole: ReplayConsole {
    private let output: any Output

    /// A console writing to `output`.
    public init(output: any Output) {
        self.output = output
    }

    public func show(_ line: String) { output.line(line) }

    public func type(_ text: String, after prompt: String) -> Bool {
        output.line(prompt + text)
        return true
    }

    /// Nobody is there to press a key: go on.
    public func wait(hint: String) -> ReplayKey { .go }

    /// Nobody is there to improvise.
    public func improvise(on session: TranscriptSession) {}
}
