import EventLabCore
import EventLabShell
import Foundation

/// The two ways `eventlab` runs commands: a script, or the interactive REPL.
enum Modes {
    /// Runs a script through `run` on a shell over the session; returns the exit status (0 all
    /// succeeded, 1 one failed or the script is not UTF-8 text).
    static func script(session options: SessionOptions, record: RecordOptions, keepGoing: Bool, _ run: (ScriptRunner) -> Bool) -> Int32 {
        withShell(options, record: record, interactive: false) { shell in
            run(ScriptRunner(shell: shell, keepGoing: keepGoing))
        }
    }

    /// Runs the commands on standard input, each as soon as its line is read, on a workspace
    /// opened (and locked) before the first line is waited for; returns the exit status.
    static func standardInput(session options: SessionOptions, record: RecordOptions, keepGoing: Bool) -> Int32 {
        script(session: options, record: record, keepGoing: keepGoing) { runner in
            let lines = InputLines(descriptor: 0)
            let succeeded = runner.run(lines: lines)
            if let failure = lines.failure {
                StandardOutput().error("error: cannot read standard input: \(failure)")
                return false
            }
            return succeeded
        }
    }

    /// Runs the REPL until Ctrl-D or `exit`; returns the exit status.
    static func repl(session options: SessionOptions, record: RecordOptions) -> Int32 {
        let output = HoldingOutput()
        return withShell(options, record: record, interactive: true, output: output) { shell in
            shell.style = Style.forTerminal(isTTY: true, environment: ProcessInfo.processInfo.environment)
            Repl(shell: shell, output: output).run()
            return true
        }
    }

    /// Opens the session, starts recording it when asked, runs `body` on a shell over it, and
    /// closes the recording and the session cleanly; returns 0 if all went well, else 1 (the
    /// error is on standard error).
    private static func withShell(
        _ options: SessionOptions, record: RecordOptions, interactive: Bool, output: any Output = StandardOutput(), _ body: (Shell) -> Bool
    ) -> Int32 {
        do {
            let session = try options.open()
            let shell = Shell(
                broker: session.broker, logicalClock: session.logicalClock, output: output,
                width: Terminal.width(interactive: interactive), isInteractive: interactive)
            let listener = NetworkListener { [unowned shell] in shell.broker }
            shell.listener = listener
            shell.flowStore = session.flowStore
            shell.restoreFlows()
            shell.sessionSummary = session.summary
            shell.lessons = lessonRunner(inMemory: options.memory)
            if let file = record.file, let note = try shell.startRecording(to: file, replacing: record.forceRecord) {
                output.error(note)
            }
            let succeeded = body(shell)
            shell.leaveGroups()
            _ = try? shell.stopRecording()
            try listener.stop()
            shell.lessons?.end(in: shell)
            try session.close()
            return succeeded ? 0 : 1
        } catch {
            output.error("error: \(ShellError.message(of: error))")
            return 1
        }
    }

    /// Lessons from $EVENTLAB_LESSONS, the repository this executable was built in, or
    /// ./lessons, each on a workspace on disk under the state directory; under --memory, each
    /// in memory, keeping nothing after exit.
    private static func lessonRunner(inMemory: Bool) -> LessonRunner {
        let environment = ProcessInfo.processInfo.environment
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first
        let library = LessonLibrary.find(environment: environment, executablePath: executable, currentDirectory: FileManager.default.currentDirectoryPath)
        return LessonRunner(library: library, environment: environment, opener: TranscriptWorkspaces.opener, inMemory: inMemory)
    }
}

/// The terminal's width: the window's on a terminal, else `COLUMNS`, else 80.
enum Terminal {
    static func width(interactive: Bool) -> Int {
        if interactive {
            var size = winsize()
            if ioctl(1, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 { return Int(size.ws_col) }
        }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns >= 20 { return columns }
        return 80
    }
}
