/// Runs a script — a file, `-c` text, or piped standard input — through a shell, command by
/// command as its lines are read (see `ScriptLines`). Errors name the line where the command
/// started.
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
    /// - Returns: true if every command succeeded.
    public func run(bytes: [UInt8], name: String? = nil) -> Bool {
        switch ScriptText.decode(bytes) {
        case .success(let text):
            return run(text, name: name)
        case .failure(let invalid):
            shell.report(invalid.message, Self.location(name: name, line: invalid.line))
            return false
        }
    }

    /// Runs `text`; `name` (a file name) goes into error locations.
    ///
    /// - Returns: true if every command succeeded.
    public func run(_ text: String, name: String? = nil) -> Bool {
        run(text.split(separator: "\n", omittingEmptySubsequences: false).lazy.map { .success($0) }, name: name)
    }

    /// Runs each line of `lines` (their bytes, without the newline) as soon as it is read,
    /// holding none once run, so an endless pipe runs in constant memory. Each line is checked
    /// to be UTF-8 text without NUL bytes before it runs; the first that is not ends the script,
    /// even with `keepGoing`, since what follows it cannot be read as the commands written.
    ///
    /// - Returns: true if every command succeeded.
    public func run(lines: some Sequence<[UInt8]>, name: String? = nil) -> Bool {
        run(lines.lazy.map { bytes in ScriptText.decode(bytes).map { Substring($0) } }, name: name)
    }

    private func run(_ lines: some Sequence<Result<Substring, ScriptText.Invalid>>, name: String?) -> Bool {
        var allSucceeded = true
        var script = ScriptLines()
        for line in lines {
            switch line {
            case .success(let text):
                guard let command = script.take(text) else { continue }
                if !execute(command, name: name) {
                    allSucceeded = false
                    if !keepGoing {
                        sayListenerCloses()
                        return false
                    }
                }
                if shell.wantsExit { return allSucceeded }
            case .failure(let invalid):
                shell.report(invalid.message, Self.location(name: name, line: script.count + invalid.line))
                return false
            }
        }
        if let command = script.finish(), !execute(command, name: name) { return false }
        return allSucceeded
    }

    /// Says, when a failed command ends a script while Kafka clients are served, that their
    /// brokers go with it: a script driving a served cluster would otherwise drop every client
    /// over a typo.
    private func sayListenerCloses() {
        guard let addresses = shell.listener?.addresses else { return }
        let listening = addresses.map(\.address).joined(separator: ", ")
        shell.write("stopping at this failed command, so \(listening) stop\(addresses.count == 1 ? "s" : "") listening and \(addresses.count == 1 ? "its" : "their") clients are cut off; `eventlab --keep-going` runs on past a failed command", isError: true)
    }

    private func execute(_ command: ScriptLines.Command, name: String?) -> Bool {
        shell.execute(command.text, where: Self.location(name: name, line: command.line), keepGoing: keepGoing)
    }

    private static func location(name: String?, line: Int) -> String {
        name.map { "in \($0) line \(line)" } ?? "at line \(line)"
    }
}
