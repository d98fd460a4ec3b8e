import EventLabShell
import Foundation
import Testing

@Suite("Lesson files read into steps, or an error naming the line")
struct LessonParserTests {
    static let good = """
        # Topics

        Make a topic and fill it.

        Setup:

        ```
        clock advance 1s
        ```

        ## Make a topic

        A *topic* is a log.

        ```
        output shown as code
        ## not a step
        ```

        Try:

        ```eventlab
        topic create orders --partitions 3
        ```

        Goal: `topic orders exists`
        Goal: `topic orders partitions == 3`

        Hint: use `topic create`,
        with a name.

        Hint: `--partitions 3`.

        Solution:

        ```
        # a comment is skipped
        topic create orders --partitions 3
        ```

        ## Publish

        Publish one.

        Goal: `topic orders records >= 1`

        Solution:

        ```
        publish orders key=o-1 {"type":
        "OrderPlaced"}
        ```

        ## Use kcat

        Manual: run `kcat` in another terminal.

        Solution:

        ```
        listen 9092
        ```

        """

    static func parse(_ text: String, file: String = "01-topics.md") throws -> Lesson {
        try LessonParser.parse(text, fileName: file)
    }

    static func error(_ text: String, file: String = "01-topics.md") -> LessonError? {
        do {
            _ = try LessonParser.parse(text, fileName: file)
            return nil
        } catch {
            return error
        }
    }

    @Test("a fence's command goes on after a line ending in `\\`, and starts on its first line")
    func continuedCommand() throws {
        let lesson = try Self.parse("# T\n\nS.\n\n## S\n\nGoal: `topic a exists`\n\nSolution:\n\n```\ntopic create a \\\n  --partitions 2\ntopic list\n```\n")
        #expect(lesson.steps[0].solution.map(\.text) == ["topic create a \\\n  --partitions 2", "topic list"])
        #expect(lesson.steps[0].solution.map(\.line) == [12, 14])
    }

    @Test("a good lesson gives its number, slug, title, summary, setup and steps with every part")
    func goodLesson() throws {
        let lesson = try Self.parse(Self.good, file: "lessons/07-the-topics.md")
        #expect(lesson.number == 7)
        #expect(lesson.slug == "the-topics")
        #expect(lesson.title == "Topics")
        #expect(lesson.summary == "Make a topic and fill it.")
        #expect(lesson.setup.map(\.text) == ["clock advance 1s"])
        #expect(lesson.setup.map(\.line) == [8])
        #expect(lesson.steps.map(\.title) == ["Make a topic", "Publish", "Use kcat"])

        let first = lesson.steps[0]
        #expect(first.line == 11)
        #expect(first.story == [
            .paragraph([.text("A "), .emphasis("topic"), .text(" is a log.")]),
            .code(language: "", lines: ["output shown as code", "## not a step"]),
        ])
        #expect(first.tryCommands.map(\.text) == ["topic create orders --partitions 3"])
        #expect(first.tryCommands.map(\.line) == [23])
        #expect(first.goals == [LessonGoal(text: "topic orders exists", line: 26), LessonGoal(text: "topic orders partitions == 3", line: 27)])
        #expect(first.hints == ["use `topic create`, with a name.", "`--partitions 3`."])
        #expect(first.solution.map(\.text) == ["topic create orders --partitions 3"])
        #expect(first.solution.map(\.line) == [38])
        #expect(!first.isManual)

        let second = lesson.steps[1]
        #expect(second.tryCommands.isEmpty)
        #expect(second.hints.isEmpty)
        #expect(second.solution.map(\.text) == ["publish orders key=o-1 {\"type\":\n\"OrderPlaced\"}"])
        #expect(second.solution.map(\.line) == [50])

        let third = lesson.steps[2]
        #expect(third.isManual)
        #expect(third.manual == "run `kcat` in another terminal.")
        #expect(third.goals.isEmpty)
        #expect(third.story.isEmpty)
    }

    @Test("`Brokers:` before or after the setup says how many brokers the lesson starts with; one without it")
    func brokers() throws {
        let step = "## S\n\nGoal: `topic a exists`\n\nSolution:\n\n```\ntopic create a\n```\n"
        let before = try Self.parse("# T\n\nOne line.\n\nBrokers: 3\n\nSetup:\n\n```\nclock advance 1s\n```\n\n" + step)
        #expect(before.brokers == 3)
        #expect(before.setup.map(\.text) == ["clock advance 1s"])
        let after = try Self.parse("# T\n\nOne line.\n\nSetup:\n\n```\nclock advance 1s\n```\n\nBrokers:  2 \n\n" + step)
        #expect(after.brokers == 2)
        #expect(after.setup.map(\.text) == ["clock advance 1s"])
        #expect(try Self.parse("# T\n\nOne line.\n\n" + step).brokers == 1)
    }

    @Test("a lesson without setup, with Windows line ends, reads the same")
    func noSetupCRLF() throws {
        let text = "# T\r\n\r\nOne line.\r\n\r\n## S\r\n\r\nGoal: `topic a exists`\r\n\r\nSolution:\r\n\r\n```\r\ntopic create a\r\n```\r\n"
        let lesson = try Self.parse(text)
        #expect(lesson.setup.isEmpty)
        #expect(lesson.steps[0].solution.map(\.text) == ["topic create a"])
        #expect(lesson.steps[0].solution.map(\.line) == [12])
    }

    static let step = "## S\n\nGoal: `topic a exists`\n\nSolution:\n\n```\ntopic create a\n```\n"
    static let head = "# T\n\nOne line.\n\n"

    @Test("each malformed lesson is refused at its line, saying what would be right", arguments: [
        ("", 1, "starts with its title"),
        ("One line.\n\n" + step, 1, "starts with its title"),
        ("#  \n\nOne line.\n\n" + step, 1, "title is empty"),
        ("# T\n\n" + step, 3, "one-line summary"),
        ("# T\n\nOne line\nand another.\n\n" + step, 4, "the summary is one line"),
        (head + "Some intro.\n\n" + step, 5, "only `Brokers:` and `Setup:`"),
        (head + "Brokers: 3\n\nBrokers: 2\n\n" + step, 7, "a second `Brokers:`"),
        (head + "Brokers: many\n\n" + step, 5, "`Brokers:` takes how many brokers the lesson's cluster starts with, from 1 to 99"),
        (head + "Brokers: 0\n\n" + step, 5, "`Brokers:` takes how many brokers"),
        (head + "Setup:\n\n```\na\n```\n\nSetup:\n\n```\nb\n```\n\n" + step, 11, "a second `Setup:`"),
        (head, 4, "at least one step"),
        (head + "## S\n\nStory.\n\nSolution:\n\n```\ntopic create a\n```\n", 5, "has no goal"),
        (head + "## S\n\nGoal: `topic a exists`\n\nHint: h\n", 5, "has no solution"),
        (head + step + "\n## s\n\nGoal: `topic b exists`\n\nSolution:\n\n```\ntopic create b\n```\n", 15, "a second step titled `s` (the first is on line 5)"),
        (head + "## S\n\nGoal: `topic a exists`\n\nSolution:\n\n```\ntopic create a\n", 11, "fence is never closed"),
        (head + "## S\n\nStory.\n\n````\ncode\n```\n", 9, "never closed: end its code with a line of ````"),
        (head + "## S\n\nGoals: `topic a exists`\n", 7, "unknown step part `Goals:`"),
        (head + step + "Tip: read the help.\n", 14, "unknown step part `Tip:`"),
        (head + step + "More story.\n", 14, "text after the step's parts"),
        (head + step + "```\nx\n```\n", 14, "a fence with no part above it"),
        (head + "## S\n\n### Sub\n", 7, "only `# ` (the title) and `## `"),
        (head + "## S\n\n# Again\n", 7, "a second title"),
        (head + "## S\n\nGoal: topic a exists\n", 7, "in backticks"),
        (head + "## S\n\nGoal: `topic a exists` and more\n", 7, "in backticks"),
        (head + "## S\n\nGoal: ``\n", 7, "in backticks"),
        (head + "## S\n\nGoal: `topic a exists`\n\nSolution:\n\ntopic create a\n", 9, "followed by a fence"),
        (head + "## S\n\nGoal: `topic a exists`\n\nSolution: topic create a\n", 9, "stands alone on its line"),
        (head + "## S\n\nGoal: `topic a exists`\n\nSolution:\n\n```\n# nothing\n```\n", 11, "holds no commands"),
        (head + "## S\n\nGoal: `topic a exists`\n\nSolution:\n\n```\npublish a {\"x\":\n```\n", 12, "leaves a quote or JSON open"),
        (head + "## S\n\nGoal: `topic a exists`\n\nSolution:\n\n```\ntopic create a \\\n```\n", 12, "ends in a backslash"),
        (head + "## S\n\nGoal: `topic a exists`\n\nHint:\n", 9, "needs its text on the same line"),
        (head + "## S\n\nGoal: `topic a exists`\n\nManual: a\n\nManual: b\n", 11, "a second `Manual:`"),
        (head + "## S\n\nGoal: `topic a exists`\n\nTry:\n\n```\na\n```\n\nTry:\n", 15, "a second `Try:`"),
        (head + "## S\n\nGoal: `topic a exists`\n\nSolution:\n\n```\na\n```\n\nSolution:\n", 15, "a second `Solution:`"),
        (head + "## S\n\nGoal: `topic a exists`\n\nSetup:\n", 9, "`Setup:` belongs under the summary"),
        (head + "## S\n\nGoal: `topic a exists`\n\nBrokers: 3\n", 9, "`Brokers:` belongs under the summary"),
        (head + "##  \n\nGoal: `topic a exists`\n", 5, "step's title is empty"),
    ])
    func malformed(text: String, line: Int, says: String) throws {
        let error = try #require(Self.error(text))
        #expect(error.line == line, "\(error)")
        #expect(error.message.contains(says), "\(error)")
        #expect(error.description.hasPrefix("01-topics.md:\(line): "))
    }

    @Test("a file not named NN-slug.md is refused before its text is read", arguments: [
        "1-the-log.md", "00-the-log.md", "01_the-log.md", "01-The-Log.md", "01-the--log.md", "01-.md", "01-the-log.txt", "01-the-log",
    ])
    func badFileName(name: String) throws {
        let error = try #require(Self.error(Self.good, file: name))
        #expect(error.line == nil)
        #expect(error.description == "\(name): a lesson's file is named NN-slug.md: two digits from 01, `-`, then lowercase words joined by `-`, such as 01-the-log.md")
    }

    @Test("a manual step may also have goals, which the runner checks")
    func manualWithGoals() throws {
        let text = Self.head + "## S\n\nManual: run kcat.\n\nGoal: `topic a records >= 1`\n\nSolution:\n\n```\nlisten 9092\n```\n"
        let step = try Self.parse(text).steps[0]
        #expect(step.isManual)
        #expect(step.goals.map(\.text) == ["topic a records >= 1"])
    }

    static let lessonsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("lessons")

    @Test("the example in lessons/README.md reads as a lesson")
    func readmeExample() throws {
        let readme = try String(contentsOf: Self.lessonsDirectory.appendingPathComponent("README.md"), encoding: .utf8)
        let example = try #require(readme.components(separatedBy: "````markdown\n").dropFirst().first?.components(separatedBy: "\n````").first)
        let lesson = try Self.parse(example)
        #expect(lesson.title == "The log: topics, partitions, offsets")
        #expect(lesson.steps.map(\.goals.count) == [2])
        #expect(lesson.steps.map(\.hints.count) == [2])
    }

    @Test("lessons/01-the-log.md reads: five steps, each with a solution, the last one manual")
    func theLog() throws {
        let url = Self.lessonsDirectory.appendingPathComponent("01-the-log.md")
        let lesson = try LessonParser.parse(String(contentsOf: url, encoding: .utf8), fileName: url.path)
        #expect(lesson.number == 1)
        #expect(lesson.slug == "the-log")
        #expect(lesson.steps.count == 5)
        #expect(lesson.steps.allSatisfy { !$0.solution.isEmpty && !$0.story.isEmpty })
        #expect(lesson.steps.map(\.isManual) == [false, false, false, false, true])
        #expect(lesson.steps.dropLast().allSatisfy { !$0.goals.isEmpty && !$0.hints.isEmpty })
    }
}
