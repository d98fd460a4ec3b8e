/// One taking of a lesson by ``LessonVerifier``: a fresh workspace and the shell that types into
/// it, with what its commands wrote.
final class LessonTrial {
    private let workspace: any TranscriptWorkspace
    private let output = CapturedOutput()
    let shell: Shell

    /// A trial on a workspace `opener` opens with the lessons' settings.
    init(opener: TranscriptWorkspaceOpener) throws {
        let settings = TranscriptSettings()
        workspace = try opener(settings, nil)
        shell = Shell(broker: workspace.broker, logicalClock: workspace.logicalClock, output: output, width: settings.width)
        shell.flowStore = workspace.flowStore
    }

    /// Runs `command`; nil when it succeeded, else the error it wrote.
    func run(_ command: ScriptLines.Command) -> String? {
        LessonVerifier.run(command, on: shell, output)
    }

    /// The first of `goals` that holds (`met` true) or does not (`met` false), with what it found.
    func first(of goals: [(written: LessonGoal, goal: Goal)], met: Bool) -> (written: LessonGoal, goal: Goal, result: GoalResult)? {
        for (written, goal) in goals {
            let result = goal.evaluate(on: shell.goalWorld)
            if result.met == met { return (written, goal, result) }
        }
        return nil
    }

    /// Whether every one of `goals` holds.
    func meets(_ goals: [(written: LessonGoal, goal: Goal)]) -> Bool {
        first(of: goals, met: false) == nil
    }

    func close() {
        try? workspace.close()
    }
}
