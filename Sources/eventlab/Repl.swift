import EventLabShell
import Foundation
import LineEditor

/// The interactive loop on libedit: a prompt, a continuation prompt for open quotes and JSON
/// and after a line ending in `\`, history kept between runs, Tab completion, Ctrl-C to cancel,
/// Ctrl-D to leave.
final class Repl: LineCompleter {
    let shell: Shell

    init(shell: Shell) {
        self.shell = shell
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
        while !shell.wantsExit {
            shell.printNotices()
            switch editor.readLine(prompt: pending.isEmpty ? "eventlab> " : "     ...> ") {
            case .end:
                if !pending.isEmpty { pending = ""; continue }
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
                shell.execute(pending)
                pending = ""
            }
        }
        editor.saveHistory()
    }
}
