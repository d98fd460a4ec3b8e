import EventLabCore

/// Reads the transcript format (see `transcripts/README.md`) into a ``Transcript``, or says
/// which line is wrong and why. Nothing in a file is silently dropped: a line is a header
/// setting, a directive, a heading, narration, a command, its continuation, an output line or
/// empty, and one that fits none of them where it stands is an error.
public enum TranscriptParser {
    /// The transcript in `text`.
    ///
    /// - Throws: ``TranscriptError`` naming the first malformed line.
    public static func parse(_ text: String) throws(TranscriptError) -> Transcript {
        var state = State()
        for (index, line) in TranscriptSyntax.lines(text).enumerated() {
            try state.take(line, number: index + 1)
        }
        try state.finishCommand()
        return state.transcript
    }

    private struct State {
        var transcript = Transcript()
        var inHeader = true
        var seenClock = false
        var seenWidth = false
        /// The command whose output is being read, and its output so far.
        var command: TranscriptCommand?
        /// Empty lines read after the command's last output line: output if more follows.
        var emptyLines = 0
        /// True once the command has an output line, so `...>` no longer continues it.
        var outputStarted = false

        mutating func take(_ line: Substring, number: Int) throws(TranscriptError) {
            if line.hasPrefix(TranscriptSyntax.prompt) || line == "eventlab>" {
                try finishCommand()
                inHeader = false
                let text = line.dropFirst(TranscriptSyntax.prompt.count)
                guard !text.allSatisfy({ $0 == " " }) else {
                    throw TranscriptError(line: number, "a prompt with no command: write the command after `eventlab> `")
                }
                command = TranscriptCommand(text: String(text), expected: [], line: number, outputLines: (number + 1)..<(number + 1))
                outputStarted = false
                emptyLines = 0
            } else if let rest = TranscriptSyntax.continued(line) {
                guard var current = command, !outputStarted, emptyLines == 0 else {
                    throw TranscriptError(line: number, "`...>` continues a command, but \(command == nil ? "there is no command above it" : "output or an empty line came between"): put it right after the command's lines, or escape an output line with `\\`")
                }
                guard Words.needsContinuation(current.text) else {
                    throw TranscriptError(line: number, "`...>` continues a command, but the command above is complete: write it on the prompt line, or escape an output line with `\\`")
                }
                current.text += "\n" + rest
                current.outputLines = (number + 1)..<(number + 1)
                command = current
            } else if line.hasPrefix(TranscriptSyntax.directive) || line == "%" {
                try finishCommand()
                try directive(line.dropFirst(2), number: number)
            } else if line.hasPrefix(TranscriptSyntax.narration) {
                try finishCommand()
                inHeader = false
                if line.hasPrefix(TranscriptSyntax.heading) {
                    transcript.items.append(.heading(String(line.dropFirst(TranscriptSyntax.heading.count))))
                } else {
                    let text = line.dropFirst()
                    transcript.items.append(.narration(String(text.hasPrefix(" ") ? text.dropFirst() : text)))
                }
            } else if line.isEmpty {
                if command != nil { emptyLines += 1 }
            } else {
                try output(line, number: number)
            }
        }

        mutating func output(_ line: Substring, number: Int) throws(TranscriptError) {
            guard command != nil else {
                throw TranscriptError(line: number, "an output line with no command above it: start narration with `#`, or put the command before it on an `eventlab> ` line")
            }
            outputStarted = true
            // Appended in place: a copy of the command taken out and put back would copy its
            // output on every line, which for a long output is quadratic.
            command!.expected += Array(repeating: .line(""), count: emptyLines)
            emptyLines = 0
            let expected: ExpectedLine =
                line == TranscriptSyntax.anyLines ? .anyLines : .line(String(line.hasPrefix(TranscriptSyntax.escape) ? line.dropFirst() : line))
            command!.expected.append(expected)
            command!.outputLines = command!.outputLines.lowerBound..<(number + 1)
        }

        mutating func finishCommand() throws(TranscriptError) {
            guard let current = command else { return }
            if Self.records(current.text) {
                throw TranscriptError(line: current.line, "`record` does not belong in a transcript: verify and replay never write files, and a recording never holds its own `record` commands; remove the line")
            }
            transcript.items.append(.command(current))
            command = nil
        }

        /// True if one of the commands on `text` is `record …`.
        static func records(_ text: String) -> Bool {
            guard let commands = try? Words.commands(in: text) else { return false }
            return commands.contains { (try? Words.split($0))?.first == "record" }
        }

        mutating func directive(_ text: Substring, number: Int) throws(TranscriptError) {
            let words = text.split(separator: " ")
            let name = words.first.map(String.init) ?? ""
            let value = words.dropFirst().joined(separator: " ")
            switch name {
            case "pause", "restart":
                guard value.isEmpty else { throw TranscriptError(line: number, "`% \(name)` takes nothing after it, not '\(value)'") }
                inHeader = false
                transcript.items.append(name == "pause" ? .pause : .restart)
            case "clock", "width", "brokers", "set", "recorded":
                guard inHeader else {
                    throw TranscriptError(line: number, "`% \(name)` is a header setting: move it to the top, before the first command, heading or narration")
                }
                try setting(name, value, number: number)
            default:
                throw TranscriptError(line: number, "unknown directive '% \(name)': the directives are `% pause` and `% restart`, and the header settings `% clock`, `% width`, `% brokers`, `% set` and `% recorded`; an output line starting with % is written `\\%`")
            }
        }

        mutating func setting(_ name: String, _ value: String, number: Int) throws(TranscriptError) {
            switch name {
            case "clock":
                guard !seenClock else { throw TranscriptError(line: number, "a second `% clock`: give the clock once") }
                seenClock = true
                transcript.settings.clock = try clock(value, number: number)
            case "width":
                guard !seenWidth else { throw TranscriptError(line: number, "a second `% width`: give the width once") }
                seenWidth = true
                guard let width = Int(value), TranscriptSettings.widths.contains(width) else {
                    throw TranscriptError(line: number, "`% width` needs a number of columns from \(TranscriptSettings.widths.lowerBound) to \(TranscriptSettings.widths.upperBound), not '\(value)'")
                }
                transcript.settings.width = width
            case "brokers":
                guard let brokers = Int(value), TranscriptSettings.brokerCounts.contains(brokers) else {
                    throw TranscriptError(line: number, "`% brokers` needs how many brokers the cluster starts with, from \(TranscriptSettings.brokerCounts.lowerBound) to \(TranscriptSettings.brokerCounts.upperBound), not '\(value)'")
                }
                transcript.settings.brokers = brokers
            case "set":
                var config = BrokerConfig()
                do throws(BrokerError) {
                    try config.set(value)
                } catch {
                    throw TranscriptError(line: number, "`% set \(value)`: \(error.message)")
                }
                transcript.settings.brokerSettings.append(value)
            default:
                guard let time = TimeText.parseTime(value), value.contains("-") else {
                    throw TranscriptError(line: number, "`% recorded` needs a UTC time such as 2026-11-29T05:55:25Z, not '\(value)'")
                }
                transcript.settings.recordedAtMs = time
            }
        }

        func clock(_ value: String, number: Int) throws(TranscriptError) -> TranscriptSettings.Clock {
            let words = value.split(separator: " ")
            switch (words.first, words.count) {
            case ("system", 1):
                return .system
            case ("logical", 1):
                return .logical(startMs: TranscriptSettings.logicalStartMs)
            case ("logical", 2):
                if let start = TimeText.parseTime(String(words[1])), words[1].contains("-") { return .logical(startMs: start) }
                throw TranscriptError(line: number, "`% clock logical` takes a UTC start time such as 2024-01-01T00:00:00Z, not '\(words[1])'")
            default:
                throw TranscriptError(line: number, "`% clock` is `logical`, `logical TIME` or `system`, not '\(value)'")
            }
        }
    }
}
