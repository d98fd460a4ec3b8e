/// Guided lessons: a story of steps, each a goal reached by doing and checked against the
/// broker's live state, on a workspace of the lesson's own.
enum LessonCommands: CommandGroup {
    static let commands: [any ShellCommand.Type] = [
        LessonShow.self, LessonList.self, LessonStart.self, LessonHint.self, LessonSolution.self, LessonCheck.self,
        LessonNext.self, LessonBack.self, LessonSkip.self, LessonReset.self, LessonProgressCommand.self, LessonExit.self,
        LessonForget.self,
    ]
    static let completions = [
        Completion(.lesson) { $0.lessonNames() },
        Completion(.lessonStep) { context in context.arguments.first.map(context.lessonSteps) ?? [] },
    ]
    static let notes = [
        "lesson": """
            A lesson runs on a workspace of its own, kept under $XDG_STATE_HOME/eventlab/lessons (else \
            ~/.local/state/eventlab/lessons) with its progress, on the logical clock: your playground is left \
            as it was, and `lesson exit` goes back to it. Under --memory a lesson runs in memory too, and its \
            progress is kept only until EventLab quits. Lessons are read from $EVENTLAB_LESSONS, else the \
            lessons/ directory of EventLab's repository, else ./lessons; lessons/README.md says how to write one.
            """,
    ]

    /// The runner, or the error saying lessons are not offered here.
    static func runner(_ shell: Shell) throws -> LessonRunner {
        guard let runner = shell.lessons else { throw ShellError("lessons are not offered here: start `eventlab` itself to take one") }
        return runner
    }
}

extension ValueKind {
    /// A lesson's number or slug.
    static let lesson = ValueKind("lesson", placeholder: "N|SLUG")
    /// A step of the lesson named before it, counted from 1.
    static let lessonStep = ValueKind("lesson step", placeholder: "N")
}

/// `lesson`.
struct LessonShow: ShellCommand {
    static let spec = CommandSpec(
        path: ["lesson"], arguments: [], options: [],
        summary: "Show the current lesson step again.",
        teaches: "Each step tells a piece of Kafka's story and sets a goal you reach by doing.",
        examples: ["lesson"])

    init(_ words: Invocation) {}

    func run(in shell: Shell) throws {
        let runner = try LessonCommands.runner(shell)
        guard runner.running != nil else {
            return shell.say("No lesson is running: `lesson list` shows the lessons, \(runner.startSuggestion()).")
        }
        runner.show(in: shell)
    }
}

/// `lesson list`.
struct LessonList: ShellCommand {
    static let spec = CommandSpec(
        path: ["lesson", "list"], arguments: [], options: [],
        summary: "List the lessons, with how far you got in each.",
        teaches: "The lessons go in order, from Kafka's log itself to the event-driven patterns built on it, each lesson using what those before it taught; the list names them all, each with how far you got.",
        examples: ["lesson list"])

    init(_ words: Invocation) {}

    func run(in shell: Shell) throws { try LessonCommands.runner(shell).list(in: shell) }
}

/// `lesson start N|SLUG [--step K]`.
struct LessonStart: ShellCommand {
    static let spec = CommandSpec(
        path: ["lesson", "start"], arguments: [ArgumentSpec("LESSON", .lesson)],
        options: [OptionSpec("--step", .lessonStep, help: "start at step N, with the steps before it replayed on a fresh workspace")],
        summary: "Start a lesson, or resume it where you left it.",
        teaches: "A lesson runs on a broker of its own, so you can try anything; its goals are checked against that broker's real state after every command.",
        examples: ["lesson start 1", "lesson start the-log", "lesson start 1 --step 3"])

    let lesson: String
    let step: String?

    init(_ words: Invocation) {
        lesson = words.arguments[0]
        step = words.value("--step")
    }

    func run(in shell: Shell) throws {
        let step = try self.step.map { try shell.number($0, for: "--step") }
        try LessonCommands.runner(shell).start(lesson, step: step, in: shell)
    }
}

/// `lesson hint`.
struct LessonHint: ShellCommand {
    static let spec = CommandSpec(
        path: ["lesson", "hint"], arguments: [], options: [],
        summary: "Give the current step's next hint.",
        teaches: "Hints point at the command and the Kafka idea the step needs, one more each time.",
        examples: ["lesson hint"])

    init(_ words: Invocation) {}

    func run(in shell: Shell) throws { try LessonCommands.runner(shell).hint(in: shell) }
}

/// `lesson solution [--run]`.
struct LessonSolution: ShellCommand {
    static let spec = CommandSpec(
        path: ["lesson", "solution"], arguments: [], options: [OptionSpec("--run", help: "run the solution's commands too")],
        summary: "Show the commands that reach the step's goals (asks first on a terminal).",
        teaches: "Seeing the commands, then what they did, is a way in too; `--run` does the step for you.",
        examples: ["lesson solution", "lesson solution --run"])

    let run: Bool

    init(_ words: Invocation) { run = words.has("--run") }

    func run(in shell: Shell) throws { try LessonCommands.runner(shell).solution(run: run, in: shell) }
}

/// `lesson check`.
struct LessonCheck: ShellCommand {
    static let spec = CommandSpec(
        path: ["lesson", "check"], arguments: [], options: [],
        summary: "Check the step's goals and say what is still missing.",
        teaches: "Goals are checked against the broker's live state: topics, partitions, offsets, groups and lag.",
        examples: ["lesson check"])

    init(_ words: Invocation) {}

    func run(in shell: Shell) throws {
        _ = try LessonCommands.runner(shell).requireRunning()
        shell.lessons?.check(in: shell, asked: true)
    }
}

/// `lesson next`.
struct LessonNext: ShellCommand {
    static let spec = CommandSpec(
        path: ["lesson", "next"], arguments: [], options: [],
        summary: "Move to the next step: after a manual step, or once the goals are met.",
        teaches: "Some steps happen outside EventLab, such as a real Kafka client reading the log; you say when they are done.",
        examples: ["lesson next"])

    init(_ words: Invocation) {}

    func run(in shell: Shell) throws { try LessonCommands.runner(shell).next(in: shell) }
}

/// `lesson back`.
struct LessonBack: ShellCommand {
    static let spec = CommandSpec(
        path: ["lesson", "back"], arguments: [], options: [],
        summary: "Go back a step, its start state rebuilt.",
        teaches: "A step's start state is the lesson's setup and the solutions before it, replayed: a log replayed gives the same state.",
        examples: ["lesson back"])

    init(_ words: Invocation) {}

    func run(in shell: Shell) throws { try LessonCommands.runner(shell).back(in: shell) }
}

/// `lesson skip`.
struct LessonSkip: ShellCommand {
    static let spec = CommandSpec(
        path: ["lesson", "skip"], arguments: [], options: [],
        summary: "Skip this step: the workspace is rebuilt as its solution leaves it.",
        teaches: "Replaying the same commands on a fresh broker rebuilds the same state.",
        examples: ["lesson skip"])

    init(_ words: Invocation) {}

    func run(in shell: Shell) throws { try LessonCommands.runner(shell).skip(in: shell) }
}

/// `lesson reset`.
struct LessonReset: ShellCommand {
    static let spec = CommandSpec(
        path: ["lesson", "reset"], arguments: [], options: [],
        summary: "Start this step again from its start state.",
        teaches: "A fresh workspace with the lesson's setup and earlier solutions replayed: try again from a known state.",
        examples: ["lesson reset"])

    init(_ words: Invocation) {}

    func run(in shell: Shell) throws { try LessonCommands.runner(shell).reset(in: shell) }
}

/// `lesson progress`.
struct LessonProgressCommand: ShellCommand {
    static let spec = CommandSpec(
        path: ["lesson", "progress"], arguments: [], options: [],
        summary: "Show the steps of the lesson with those done, or how far you got in each lesson.",
        teaches: "Progress is kept between runs with the lesson's workspace, as a Kafka log keeps its records.",
        examples: ["lesson progress"])

    init(_ words: Invocation) {}

    func run(in shell: Shell) throws { try LessonCommands.runner(shell).progress(in: shell) }
}

/// `lesson exit`.
struct LessonExit: ShellCommand {
    static let spec = CommandSpec(
        path: ["lesson", "exit"], arguments: [], options: [],
        summary: "Leave the lesson (its progress kept) and go back to your playground.",
        teaches: "Your playground's workspace waited as it was: a lesson never touches it.",
        examples: ["lesson exit"])

    init(_ words: Invocation) {}

    func run(in shell: Shell) throws { try LessonCommands.runner(shell).exit(in: shell) }
}

/// `lesson forget [--yes]`.
struct LessonForget: ShellCommand {
    static let spec = CommandSpec(
        path: ["lesson", "forget"], arguments: [], options: [OptionSpec("--yes", help: "do not ask for confirmation (needed without a terminal)")],
        summary: "Forget every lesson's progress and workspace (asks first).",
        teaches: "Lessons start over from their beginning on fresh workspaces; your playground is not touched.",
        examples: ["lesson forget", "lesson forget --yes"])

    let yes: Bool

    init(_ words: Invocation) { yes = words.has("--yes") }

    func run(in shell: Shell) throws {
        let runner = try LessonCommands.runner(shell)
        if !yes {
            guard shell.isInteractive, let confirm = shell.confirm else {
                throw ShellError("lesson forget deletes every lesson's progress and asks first, and there is no terminal to ask: add --yes (`lesson forget --yes`); nothing forgotten")
            }
            guard confirm("Forget the progress and workspaces of every lesson? [y/N] ") else { return shell.say("nothing forgotten") }
        }
        let kept = try runner.forgetAll(in: shell)
        guard !kept.isEmpty else {
            return shell.say("Every lesson's progress and workspace is forgotten: `lesson start 1` begins afresh.")
        }
        let named = kept.map { kept in
            let lesson = (try? LessonFileName(kept.name + ".md")).map { "lesson \($0.number) (\($0.slug))" } ?? kept.name
            return "\(lesson), open in the EventLab of process \(kept.holder)"
        }.joined(separator: "; ")
        shell.say("Every lesson's progress and workspace is forgotten but \(named): a workspace in use is kept, with its progress; `lesson forget` again once that EventLab has left the lesson.")
    }
}
