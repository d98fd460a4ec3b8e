/// Reads a lesson file (see `lessons/README.md`) into a ``Lesson``, or says which line is
/// wrong, what is wrong there and what would be right. Nothing is silently dropped: every
/// line is the title, the summary, a heading, story, a part, inside a fence or empty, and one
/// that fits none of them where it stands is an error.
public enum LessonParser {
    /// The lesson in `text`, read from the file `fileName` (`NN-slug.md`, or a path ending in it).
    ///
    /// - Throws: ``LessonError`` naming the file and the first malformed line.
    public static func parse(_ text: String, fileName: String) throws(LessonError) -> Lesson {
        let name = try LessonFileName(fileName)
        // "\r\n" is one Character in Swift, so a Windows line end is a separator of its own.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        if lines.last == "" { lines.removeLast() }
        var reader = LessonReader(file: fileName, lines: lines)
        return try reader.lesson(number: name.number, slug: name.slug)
    }
}

/// The walk through a lesson's lines, one part at a time.
struct LessonReader {
    let file: String
    let lines: [Substring]
    /// The next line to read, counted from 0.
    var index = 0

    mutating func lesson(number: Int, slug: String) throws(LessonError) -> Lesson {
        skipBlankLines()
        guard index < lines.count, let title = heading(lines[index], level: 1) else {
            throw error(at: min(index, max(lines.count - 1, 0)), "a lesson starts with its title, a line such as `# The log: topics, partitions, offsets`")
        }
        guard !title.isEmpty else { throw error(at: index, "the title is empty: write it after `# `") }
        index += 1
        skipBlankLines()
        guard index < lines.count, isProse(lines[index]) else {
            throw error(at: min(index, lines.count - 1), "under the title comes a one-line summary of what the lesson teaches")
        }
        let summary = lines[index].trimmingSpaces
        index += 1
        if index < lines.count, isProse(lines[index]) {
            throw error(at: index, "the summary is one line: end it with an empty line, and tell the rest in the first step's story")
        }
        let (brokers, setup) = try preamble()
        var steps: [LessonStep] = []
        while index < lines.count {
            let step = try self.step()
            if let first = steps.first(where: { $0.title.lowercased() == step.title.lowercased() }) {
                throw error(at: step.line - 1, "a second step titled `\(step.title)` (the first is on line \(first.line)): give each step a title of its own")
            }
            steps.append(step)
        }
        guard !steps.isEmpty else {
            throw error(at: lines.count - 1, "a lesson needs at least one step: start one with a heading such as `## Make a topic`")
        }
        return Lesson(number: number, slug: slug, title: title, summary: summary, brokers: brokers ?? 1, setup: setup, steps: steps)
    }

    /// What stands between the summary and the first step: nothing, `Brokers:` and how many,
    /// `Setup:` and its fence, or both.
    mutating func preamble() throws(LessonError) -> (brokers: Int?, setup: [ScriptLines.Command]) {
        var brokers: Int?
        var setup: [ScriptLines.Command]?
        while true {
            skipBlankLines()
            guard index < lines.count, heading(lines[index], level: 2) == nil else { return (brokers, setup ?? []) }
            guard let (part, rest) = LessonPart.starting(lines[index]), part == .setup || part == .brokers else {
                throw error(at: index, "between the summary and the first step only `Brokers:` and `Setup:` with its commands may stand: put this text in a step's story, under a `## ` heading")
            }
            if part == .brokers {
                guard brokers == nil else { throw error(at: index, "a second `Brokers:`: say once how many brokers the lesson starts with") }
                brokers = try brokerCount(rest)
                index += 1
                continue
            }
            guard setup == nil else { throw error(at: index, "a second `Setup:`: put all the setup commands in one fence") }
            setup = try commands(for: part, rest: rest)
        }
    }

    /// The number after `Brokers:`.
    private func brokerCount(_ rest: Substring) throws(LessonError) -> Int {
        let counts = TranscriptSettings.brokerCounts
        guard let count = Int(rest.trimmingSpaces), counts.contains(count) else {
            throw error(at: index, "`Brokers:` takes how many brokers the lesson's cluster starts with, from \(counts.lowerBound) to \(counts.upperBound), such as `Brokers: 3`")
        }
        return count
    }

    mutating func step() throws(LessonError) -> LessonStep {
        let headingIndex = index
        guard let title = heading(lines[index], level: 2) else {
            throw error(at: index, "a step starts with a heading such as `## Make a topic`")
        }
        guard !title.isEmpty else { throw error(at: index, "the step's title is empty: write it after `## `") }
        index += 1
        var step = LessonStep(title: title, line: headingIndex + 1, story: [], tryCommands: [], goals: [], hints: [], solution: [], manual: nil)
        step.story = MarkdownReader.read(lines: try story())
        var solution: [ScriptLines.Command]?
        var hasTry = false
        while index < lines.count {
            let line = lines[index]
            if MarkdownReader.isBlank(line) {
                index += 1
                continue
            }
            if heading(line, level: 2) != nil { break }
            guard let (part, rest) = LessonPart.starting(line) else { throw strayLine(line) }
            switch part {
            case .setup, .brokers:
                throw error(at: index, "`\(part.rawValue):` belongs under the summary, before the first step; a step's commands go under `Try:` or `Solution:`")
            case .try:
                guard !hasTry else { throw error(at: index, "a second `Try:` in this step: put all the commands to try in one fence") }
                hasTry = true
                step.tryCommands = try commands(for: part, rest: rest)
            case .solution:
                guard solution == nil else { throw error(at: index, "a second `Solution:` in this step: put all its commands in one fence") }
                solution = try commands(for: part, rest: rest)
            case .goal:
                step.goals.append(LessonGoal(text: try goal(rest), line: index + 1))
                index += 1
            case .hint:
                step.hints.append(try paragraph(for: part, rest: rest))
            case .manual:
                guard step.manual == nil else { throw error(at: index, "a second `Manual:` in this step: say in one paragraph what the learner does") }
                step.manual = try paragraph(for: part, rest: rest)
            }
        }
        if step.goals.isEmpty, step.manual == nil {
            throw error(at: headingIndex, "step `\(title)` has no goal: add a line such as Goal: `topic orders exists` (lessons/GOALS.md lists what goals can say), or mark the step `Manual:` when the runner cannot check it")
        }
        guard let solution else {
            throw error(at: headingIndex, "step `\(title)` has no solution: add `Solution:` and a fence holding the commands that reach its goals")
        }
        step.solution = solution
        return step
    }

    /// The story's lines: everything up to the step's first part or the next step.
    mutating func story() throws(LessonError) -> [Substring] {
        var story: [Substring] = []
        while index < lines.count {
            let line = lines[index]
            if MarkdownFence(opening: line) != nil {
                let end = try fenceEnd(opening: index)
                story += lines[index...end]
                index = end + 1
                continue
            }
            if heading(line, level: 2) != nil || LessonPart.starting(line) != nil { break }
            if let label = LessonPart.lookalike(line) { throw unknownPart(label) }
            if line.hasPrefix("#") { throw misplacedHeading() }
            story.append(line)
            index += 1
        }
        return story
    }

    /// The commands in the fence under a `Setup:`, `Try:` or `Solution:` line, read by the
    /// REPL's rules: a command goes on over lines while a quote or JSON is open.
    mutating func commands(for part: LessonPart, rest: Substring) throws(LessonError) -> [ScriptLines.Command] {
        let labelIndex = index
        guard rest.isEmpty else {
            throw error(at: index, "`\(part.rawValue):` stands alone on its line, with its commands in a fence (```) below it")
        }
        index += 1
        skipBlankLines()
        guard index < lines.count, MarkdownFence(opening: lines[index]) != nil else {
            throw error(at: labelIndex, "`\(part.rawValue):` is followed by a fence holding commands: a line ```, the commands, then a line ```")
        }
        let opening = index
        let end = try fenceEnd(opening: opening)
        var reader = ScriptLines()
        var commands: [ScriptLines.Command] = []
        for line in lines[(opening + 1)..<end] {
            if let command = reader.take(line) { commands.append(ScriptLines.Command(text: command.text, line: opening + 1 + command.line)) }
        }
        if let open = reader.finish() {
            throw error(at: opening + open.line, "this command leaves a quote or JSON open, or ends in a backslash, at the end of the fence: finish it before the closing ```")
        }
        guard !commands.isEmpty else {
            throw error(at: opening, "the fence under `\(part.rawValue):` holds no commands: write at least one, one command a line")
        }
        index = end + 1
        return commands
    }

    /// The goal text between backticks on a `Goal:` line.
    func goal(_ rest: Substring) throws(LessonError) -> String {
        let text = rest.trimmingSpaces
        let inner = text.dropFirst().dropLast()
        guard text.count >= 3, text.hasPrefix("`"), text.hasSuffix("`"), !inner.contains("`"), !inner.trimmingSpaces.isEmpty else {
            throw error(at: index, "write one goal a line, in backticks and nothing after them, such as Goal: `topic orders exists` (lessons/GOALS.md lists what goals can say)")
        }
        return inner.trimmingSpaces
    }

    /// A `Hint:` or `Manual:` paragraph: its first line's text and the lines after it up to an
    /// empty line, a part, a heading or a fence.
    mutating func paragraph(for part: LessonPart, rest: Substring) throws(LessonError) -> String {
        guard !rest.trimmingSpaces.isEmpty else {
            throw error(at: index, "`\(part.rawValue):` needs its text on the same line, such as `\(part.rawValue): \(part == .hint ? "a topic is made with `topic create`" : "run kcat in another terminal; the records appear in `show orders`")`")
        }
        var text = rest.trimmingSpaces
        index += 1
        while index < lines.count, !MarkdownReader.isBlank(lines[index]), LessonPart.starting(lines[index]) == nil,
              !lines[index].hasPrefix("#"), MarkdownFence(opening: lines[index]) == nil {
            text += " " + lines[index].trimmingSpaces
            index += 1
        }
        return text
    }

    /// The index of the line closing the fence opened at `opening`.
    func fenceEnd(opening: Int) throws(LessonError) -> Int {
        guard let fence = MarkdownFence(opening: lines[opening]) else { return opening }
        var end = opening + 1
        while end < lines.count {
            if fence.isClosed(by: lines[end]) { return end }
            end += 1
        }
        throw error(at: opening, "this fence is never closed: end its code with a line of \(String(repeating: "`", count: fence.length))")
    }

    /// The error for a line after a step's parts that is none of them.
    func strayLine(_ line: Substring) -> LessonError {
        if let label = LessonPart.label(line) { return unknownPart(label) }
        if line.hasPrefix("#") { return misplacedHeading() }
        if MarkdownFence(opening: line) != nil {
            return error(at: index, "a fence with no part above it: put `Try:` or `Solution:` on the line before it, or move it up into the story")
        }
        return error(at: index, "text after the step's parts: the story comes before the first part (\(LessonPart.stepParts)), and a new step starts with `## `")
    }

    func unknownPart(_ label: Substring) -> LessonError {
        error(at: index, "unknown step part `\(label):`: a step's parts are \(LessonPart.stepParts), spelt so, each followed by a colon")
    }

    func misplacedHeading() -> LessonError {
        heading(lines[index], level: 1) != nil
            ? error(at: index, "a second title: a lesson has one `# ` title, and each step starts with `## `")
            : error(at: index, "only `# ` (the title) and `## ` (a step) headings belong to a lesson: mark a smaller heading with **bold** text")
    }

    /// The text of a heading of exactly `level` hashes, if `line` is one; it may be empty.
    func heading(_ line: Substring, level: Int) -> String? {
        let marks = String(repeating: "#", count: level) + " "
        guard line.hasPrefix(marks) else { return nil }
        return line.dropFirst(marks.count).trimmingSpaces
    }

    /// Whether `line` is plain text: not empty, a heading, a part or a fence.
    func isProse(_ line: Substring) -> Bool {
        !MarkdownReader.isBlank(line) && !line.hasPrefix("#") && LessonPart.starting(line) == nil && MarkdownFence(opening: line) == nil
    }

    mutating func skipBlankLines() {
        while index < lines.count, MarkdownReader.isBlank(lines[index]) { index += 1 }
    }

    /// An error on the line at `index` (counted from 0).
    func error(at index: Int, _ message: String) -> LessonError {
        LessonError(file: file, line: index + 1, message)
    }
}
