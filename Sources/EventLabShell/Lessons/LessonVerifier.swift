/// Checks that a lesson works, as `eventlab verify` does for authors and CI: on a fresh workspace
/// (in memory, on the logical clock from 2024-01-01) it runs the setup, then for each step checks
/// that every goal is unmet when the step starts, runs the step's solution, and checks that every
/// goal is met after it. Manual steps are skipped and counted.
///
/// Goals are checked before and after the whole solution, not after each of its commands as the
/// REPL's runner does: a goal met midway is met by the learner too, and the lesson still works.
public struct LessonVerifier {
    let opener: TranscriptWorkspaceOpener

    /// A verifier opening its workspaces with `opener` (the in-memory one unless a test says).
    public init(opener: @escaping TranscriptWorkspaceOpener = MemoryTranscriptWorkspace.opener) {
        self.opener = opener
    }

    /// Runs `lesson`, read from `file`, and says how far it got.
    ///
    /// - Throws: ``LessonError`` naming `file` and the line of a goal that is not in the goal
    ///   vocabulary, before any command runs; an error opening the workspace.
    public func verify(_ lesson: Lesson, file: String) throws -> LessonVerification {
        let goals = try lesson.steps.map { step throws(LessonError) in
            try step.goals.map { goal throws(LessonError) in try Self.parse(goal, file: file) }
        }
        let settings = TranscriptSettings()
        let workspace = try opener(settings, nil)
        defer { try? workspace.close() }
        let output = CapturedOutput()
        let shell = Shell(broker: workspace.broker, logicalClock: workspace.logicalClock, output: output, width: settings.width)
        shell.flowStore = workspace.flowStore
        let name = "lesson \(lesson.number < 10 ? "0" : "")\(lesson.number)-\(lesson.slug)"
        var verification = LessonVerification(checkedSteps: 0, manualSteps: 0, failure: nil)
        for command in lesson.setup {
            if let error = Self.run(command, on: shell, output) {
                verification.failure = LessonFailure(step: nil, line: command.line, "\(name) setup: command `\(command.text)` failed: \(error)")
                return verification
            }
        }
        for (index, step) in lesson.steps.enumerated() {
            if step.isManual {
                verification.manualSteps += 1
                continue
            }
            let stepName = "\(name) step \(index + 1) '\(step.title)'"
            for (written, goal) in zip(step.goals, goals[index]) {
                let result = goal.evaluate(on: shell.goalWorld)
                if result.met {
                    verification.failure = LessonFailure(step: index + 1, line: written.line, "\(stepName): goal `\(goal)` is already met when the step starts: \(result.sentence)")
                    return verification
                }
            }
            for command in step.solution {
                if let error = Self.run(command, on: shell, output) {
                    verification.failure = LessonFailure(step: index + 1, line: command.line, "\(stepName): solution command `\(command.text)` failed: \(error)")
                    return verification
                }
            }
            for (written, goal) in zip(step.goals, goals[index]) {
                let result = goal.evaluate(on: shell.goalWorld)
                if !result.met {
                    verification.failure = LessonFailure(step: index + 1, line: written.line, "\(stepName): goal `\(goal)` is not met after its solution runs: \(result.sentence)")
                    return verification
                }
            }
            verification.checkedSteps += 1
        }
        return verification
    }

    /// The goal `goal` writes, or an error on its line saying where its words go wrong.
    static func parse(_ goal: LessonGoal, file: String) throws(LessonError) -> Goal {
        do throws(GoalError) {
            return try Goal.parse(goal.text)
        } catch {
            throw LessonError(file: file, line: goal.line, "in the goal `\(goal.text)`, at its column \(error.column): \(error.message)")
        }
    }

    /// Runs `command` on `shell`; nil when it succeeded, else the error it wrote.
    static func run(_ command: ScriptLines.Command, on shell: Shell, _ output: CapturedOutput) -> String? {
        output.clear()
        guard !shell.execute(command.text) else { return nil }
        let error = output.errors.last ?? "it wrote no error"
        return error.hasPrefix("error: ") ? String(error.dropFirst("error: ".count)) : error
    }
}
