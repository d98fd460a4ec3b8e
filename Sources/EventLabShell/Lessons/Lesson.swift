/// A lesson read from `lessons/NN-slug.md` (the format is in `lessons/README.md`).
public struct Lesson: Equatable, Sendable {
    /// `NN` of the file name: the lesson's place in the course.
    public var number: Int
    /// The file name's words after the number, as `lesson start` accepts them.
    public var slug: String
    /// The text of the `# ` heading.
    public var title: String
    /// The one line under the title, as Markdown inline text.
    public var summary: String
    /// How many brokers the lesson's fresh workspace starts with (`Brokers:`, 1 without it).
    public var brokers: Int = 1
    /// Commands run on the lesson's fresh workspace before its first step.
    public var setup: [ScriptLines.Command]
    /// The steps, in order.
    public var steps: [LessonStep]
}

/// One `## ` section of a lesson: a goal the learner reaches by doing.
public struct LessonStep: Equatable, Sendable {
    /// The text of the `## ` heading, unique in its lesson.
    public var title: String
    /// The heading's line, counted from 1.
    public var line: Int
    /// What the learner reads before trying.
    public var story: [MarkdownBlock]
    /// The commands shown under `Try:`, for the learner to type or adapt.
    public var tryCommands: [ScriptLines.Command]
    /// What must hold for the step to be done, in the vocabulary of `lessons/GOALS.md`.
    public var goals: [LessonGoal]
    /// Hints in the order `lesson hint` gives them, each as Markdown inline text.
    public var hints: [String]
    /// Commands that reach the goals from the state the step starts in.
    public var solution: [ScriptLines.Command]
    /// For a step the runner cannot reach or check by itself (such as one run from an outside
    /// client), what the learner does and how they see it worked, as Markdown inline text;
    /// nil for a step whose solution the runner can run.
    public var manual: String?

    /// Whether the step is marked `Manual:`.
    public var isManual: Bool { manual != nil }
}

/// A goal as written after `Goal:`, not yet read into the goal vocabulary.
public struct LessonGoal: Equatable, Sendable {
    /// The text between the backticks, such as `topic orders partitions == 3`.
    public var text: String
    /// The `Goal:` line, counted from 1, for errors in the goal itself.
    public var line: Int

    /// The goal `text` written on `line`.
    public init(text: String, line: Int) {
        self.text = text
        self.line = line
    }
}
