/// One taking of a lesson by ``LessonVerifier``: a fresh workspace and the shell that types into
/// it, with what its commands wrote.
final class LessonTrial {
    private let workspace: any TranscriptWorkspace
    private let output = CapturedOutput()
    private let settings: TranscriptSettings
    /// Where the flow definitions are kept: the workspace's, or one in memory, so that a
    /// resumed shell restores them as the runner's does.
    private let flowStore: any FlowStore
    private(set) var shell: Shell

    /// A trial on a workspace `opener` opens with the lessons' settings and `brokers` brokers.
    init(opener: TranscriptWorkspaceOpener, brokers: Int) throws {
        settings = TranscriptSettings(brokers: brokers)
        workspace = try opener(settings, nil)
        flowStore = workspace.flowStore ?? MemoryFlowStore()
        shell = Shell(broker: workspace.broker, logicalClock: workspace.logicalClock, output: output, width: settings.width)
        shell.flowStore = flowStore
    }

    /// Goes on in a new shell on the same workspace, as `lesson start N --step K` (or a lesson
    /// resumed) does: the services leave their groups, and the flows are restored from what was
    /// saved, so what only the old shell knew (counts of this session) is gone.
    func resume() {
        shell.leaveGroups()
        shell = Shell(broker: workspace.broker, logicalClock: workspace.logicalClock, output: output, width: settings.width)
        shell.flowStore = flowStore
        shell.restoreFlows()
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
