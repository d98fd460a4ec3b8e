import EventLabShell

/// Standard output and error, whose lines can be held back and written later: what services
/// say while the learner types waits for the line to be finished.
final class HoldingOutput: Output {
    private let standard = StandardOutput()
    private var held: [(text: String, isError: Bool)] = []
    /// While true, lines are kept for ``release()``.
    var isHolding = false

    /// Whether lines wait for ``release()``.
    var hasHeld: Bool { !held.isEmpty }

    func line(_ text: String) {
        if isHolding { held.append((text, false)) } else { standard.line(text) }
    }

    func error(_ text: String) {
        if isHolding { held.append((text, true)) } else { standard.error(text) }
    }

    /// Writes the lines held, in the order they came.
    func release() {
        let lines = held
        held = []
        for line in lines {
            if line.isError { standard.error(line.text) } else { standard.line(line.text) }
        }
    }
}
