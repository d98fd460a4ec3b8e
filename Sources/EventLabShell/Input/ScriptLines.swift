/// A script's lines gathered into commands, one line at a time, so a script can run while it
/// is still being read.
///
/// Blank lines and lines starting with `#` are skipped; a line that leaves a quote or JSON open,
/// or ends in a backslash outside them, continues on the next (see `Words`). Only the command being gathered is held, never the lines already run.
public struct ScriptLines {
    /// A command ready to run and the line it started on, counted from 1.
    public struct Command: Equatable, Sendable {
        public let text: String
        public let line: Int
    }

    /// How many lines have been taken.
    public private(set) var count = 0
    private var pending = ""
    private var firstLine = 0

    /// No lines yet.
    public init() {}

    /// Takes the next line (without its newline; a trailing `\r` is dropped) and returns the
    /// command it completes, if any.
    public mutating func take(_ raw: Substring) -> Command? {
        count += 1
        let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
        if pending.isEmpty {
            let trimmed = line.trimmingSpaces
            if trimmed.isEmpty || trimmed.hasPrefix("#") { return nil }
            firstLine = count
            pending = line
        } else {
            pending += "\n" + line
        }
        if Words.needsContinuation(pending) { return nil }
        return flush()
    }

    /// The command still open when the script ends, returned so running it reports what was
    /// left open.
    public mutating func finish() -> Command? {
        pending.isEmpty ? nil : flush()
    }

    private mutating func flush() -> Command {
        defer { pending = "" }
        return Command(text: pending, line: firstLine)
    }
}
