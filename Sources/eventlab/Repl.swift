import EventLabShell
import Foundation
import LineEditor

/// The interactive loop on libedit: a prompt, a continuation prompt for open quotes and JSON
/// and after a line ending in `\`, history kept between runs, Tab completion, Ctrl-C to cancel,
/// Ctrl-D to leave.
///
/// On the system clock, real clients may produce while the learner is idle, and services and
/// tables keep up with them: the shell's flow watch (the broker's data waiters) writes to a
/// pipe, the line editor wakes on it between keys, and the drain runs here, on the one thread
/// that owns the shell. What the drain says shows above the prompt when nothing is typed, and
/// otherwise waits until the line is finished, never cutting into it. On the logical clock
/// flows drain after each command only, as a transcript does.
final class Repl: LineCompleter {
    let shell: Shell
    /// The shell's output, which holds what a drain says while a line is typed.
    let output: HoldingOutput

    init(shell: Shell, output: HoldingOutput) {
        self.shell = shell
        self.output = output
    }

    /// Completes over the shell's broker of the moment: a lesson's while one runs.
    func complete(_ textBeforeCursor: String) -> (replacing: Int, candidates: [String]) {
        let lessons = shell.lessons
        let flows = shell.flows
        return Completer(
            broker: shell.broker, registry: shell.registry, lessonNames: { lessons?.library.completionNames() ?? [] },
            lessonSteps: { lessons?.library.completionSteps($0) ?? [] }, flows: { flows }
        ).complete(textBeforeCursor)
    }

    func run() {
        let editor = LineEditor(program: "eventlab", historyPath: LineEditor.defaultHistoryPath(environment: ProcessInfo.processInfo.environment))
        editor.completer = self
        shell.isInterrupted = { LineEditor.wasInterrupted }
        LineEditor.postOnInterrupt(shell.interruptWakeup.semaphore)
        defer { LineEditor.postOnInterrupt(nil) }
        shell.confirm = { question in
            if case .line(let answer) = editor.readLine(prompt: question) { return ["y", "yes"].contains(answer.lowercased()) }
            return false
        }
        shell.say("EventLab 0.1.0 · `help` lists the commands · Tab completes · Ctrl-D leaves")
        if let summary = shell.sessionSummary { shell.say(summary) }
        if let path = shell.recordingPath { shell.say("recording to \(path): `record stop` or leaving ends it") }
        if let resume = shell.lessons?.resumeNote() { shell.say(resume) }
        var pending = ""
        let wake = WakePipe()
        if let wake { shell.flowWatch = FlowWatch { wake.signal() } }
        defer { shell.flowWatch = nil }
        // The services' group members heartbeat as they drain: on the system clock the idle
        // loop drains at least this often. The session's broker outlives any lesson's.
        let interval = Shell.flowHeartbeatIntervalMs
        let heartbeat = wake.map { wake in
            shell.broker.scheduler.schedule("service heartbeat", in: .real, after: interval, every: interval) { wake.signal() }
        }
        let scheduler = shell.broker.scheduler
        defer { if let heartbeat { _ = scheduler.cancel(heartbeat) } }
        while !shell.wantsExit {
            // What flows said while a command was typed shows once it is finished or dropped.
            if pending.isEmpty { output.release() }
            shell.printNotices()
            // The clock is looked at each time: a lesson may run on another than the session's.
            let watch = shell.logicalClock != nil ? nil : wake.map { wake in
                LineEditor.Watch(descriptor: wake.descriptor) { [self] lineIsEmpty in
                    keepUp(wake, editor, showNow: lineIsEmpty && pending.isEmpty)
                }
            }
            switch editor.readLine(prompt: pending.isEmpty ? "eventlab> " : "     ...> ", watching: watch) {
            case .end:
                if !pending.isEmpty { pending = ""; continue }
                output.release()
                editor.saveHistory()
                return
            case .cancelled:
                pending = ""
            case .line(let line):
                pending += pending.isEmpty ? line : "\n" + line
                if Words.needsContinuation(pending) { continue }
                // History keeps one line: a joining backslash and its line break become the space they stand for.
                editor.remember(pending.replacingOccurrences(of: "\\\n", with: " ").replacingOccurrences(of: "\n", with: " "))
                // A recording keeps the width its header says, so its pictures verify.
                if shell.recordingPath == nil { shell.width = Terminal.width(interactive: true) }
                LineEditor.clearInterrupt()
                // Before what the command says: it happened while the command was typed.
                output.release()
                shell.execute(pending)
                pending = ""
            }
        }
        editor.saveHistory()
    }

    /// Lets the flows read what clients produced since they last did; what they say shows now
    /// when `showNow` (no command being typed), else waits for the line to be finished.
    private func keepUp(_ wake: WakePipe, _ editor: LineEditor, showNow: Bool) {
        wake.drain()
        output.isHolding = true
        shell.runFlows()
        output.isHolding = false
        if showNow && output.hasHeld { editor.showAbovePrompt { output.release() } }
    }
}
