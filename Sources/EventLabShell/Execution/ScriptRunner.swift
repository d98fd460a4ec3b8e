/// Runs a script — a file, `-c` text, or piped standard input — through a shell, line by line.
///
/// Blank lines and lines starting with `#` are skipped; a line that leaves a quote or JSON open
/// continues on the next. Errors name the line where the command started.
public struct ScriptRunner {
    let shell: Shell
    /// Go on after a failed command (and report failure at the end) instead of stopping.
    let keepGoing: Bool

    /// A runner for `shell`.
    public init(shell: Shell, keepGoing: Bool) {
        self.shell = shell
        self.keepGoing = keepGoing
    }

    /// Runs the script in `bytes` if they are UTF-8 text without NUL bytes; otherwise runs
    /// nothing and reports the first bad line.
    ///
    /// - Returns: how many commands failed (1 for bytes that are not a script's text).
    public func run(bytes: [UInt8], name: String? = nil) -> Int {
        switch ScriptText.decode(bytes) {
        case .success(let text):
            return run(text, name: name)
        case .failure(let invalid):
            shell.report(invalid.message, Self.location(name: name, line: invalid.line))
            return 1
        }
    }

    /// Runs `text`; `name` (a file name) goes into error locations.
    ///
    /// - Returns: how many commands failed (at most 1 without `keepGoing`).
    public func run(_ text: String, name: String? = nil) -> Int {
        var failures = 0
        var pending = ""
        var firstLine = 0
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, raw) in lines.enumerated() {
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            if pending.isEmpty {
                let trimmed = line.trimmingSpaces
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                firstLine = index + 1
                pending = line
            } else {
                pending += "\n" + line
            }
            if Words.needsContinuation(pending) && index < lines.count - 1 { continue }
            let succeeded = shell.execute(pending, where: Self.location(name: name, line: firstLine))
            pending = ""
            if !succeeded {
                failures += 1
                if !keepGoing { return failures }
            }
            if shell.wantsExit { break }
        }
        return failures
    }

    private static func location(name: String?, line: Int) -> String {
        name.map { "in \($0) line \(line)" } ?? "at line \(line)"
    }
}
