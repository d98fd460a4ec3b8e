/// Checks that a lesson works, as `eventlab verify` does for authors and CI: on a fresh workspace
/// (in memory, on the logical clock from 2024-01-01) it runs the setup, then for each step checks
/// that every goal is unmet when the step starts, runs the step's solution, and checks that every
/// goal is met after it. Manual steps are skipped and counted.
///
/// Goals are checked before and after the whole solution, not after each of its commands as the
/// REPL's runner does: a goal met midway is met by the learner too, and the lesson still works.
///
/// A learner types what a step shows, so the lesson is also taken a second time, on a workspace
/// of its own, typing each step's `Try:` commands (its solution where it has none): the goals must
/// hold after the last of them and not before, because the runner moves on as soon as they hold
/// and the lines after would never be typed. Each `Try:` line must fit the 76 columns a step
/// shows it in, indented by four on an 80-column terminal.
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
            try step.goals.map { goal throws(LessonError) in (written: goal, goal: try Self.parse(goal, file: file)) }
        }
        let name = "lesson \(lesson.number < 10 ? "0" : "")\(lesson.number)-\(lesson.slug)"
        var verification = LessonVerification(checkedSteps: 0, manualSteps: 0, failure: nil)
        // One trial follows the solutions, the other types what each step shows.
        let solved = try LessonTrial(opener: opener, brokers: lesson.brokers)
        defer { solved.close() }
        let typed = try LessonTrial(opener: opener, brokers: lesson.brokers)
        defer { typed.close() }
        for command in lesson.setup {
            if let error = solved.run(command) {
                verification.failure = LessonFailure(step: nil, line: command.line, "\(name) setup: command `\(command.text)` failed: \(error)")
                return verification
            }
            _ = typed.run(command)
        }
        for (index, step) in lesson.steps.enumerated() {
            if step.isManual {
                verification.manualSteps += 1
                continue
            }
            let stepName = "\(name) step \(index + 1) '\(step.title)'"
            if let failure = try Self.check(step, goals[index], solved: solved, typed: typed)
                ?? resumed(lesson, at: index, goals[index]) {
                verification.failure = LessonFailure(step: index + 1, line: failure.line, "\(stepName): \(failure.message)")
                return verification
            }
            verification.checkedSteps += 1
        }
        return verification
    }

    /// What is wrong with `step`, whose goals are `goals`, taken on both trials: a goal already met
    /// at its start, a solution that fails or falls short, a `Try:` that does too; nil when it works.
    private static func check(_ step: LessonStep, _ goals: [(written: LessonGoal, goal: Goal)], solved: LessonTrial, typed: LessonTrial) -> (line: Int, message: String)? {
        // A command continued over several lines is shown as those lines.
        for command in step.tryCommands {
            for (offset, line) in command.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where line.count > maximumTryWidth {
                return (command.line + offset, "the Try line `\(line)` is \(line.count) characters: a step shows it indented by four, so on an 80-column terminal keep it to \(maximumTryWidth)")
            }
        }
        if let met = solved.first(of: goals, met: true) {
            return (met.written.line, "goal `\(met.goal)` is already met when the step starts: \(met.result.sentence)")
        }
        for command in step.solution {
            if let error = solved.run(command) {
                return (command.line, "solution command `\(command.text)` failed: \(error)")
            }
        }
        if let unmet = solved.first(of: goals, met: false) {
            return (unmet.written.line, "goal `\(unmet.goal)` is not met after its solution runs: \(unmet.result.sentence)")
        }
        guard !step.tryCommands.isEmpty else {
            // With nothing shown to type, a learner works the step out; the typed trial goes on from its solution.
            for command in step.solution { _ = typed.run(command) }
            return nil
        }
        // A Try may show a command failing on purpose, to teach a rule; a failure only matters
        // when the learner ends up stuck, and then it is likely why.
        var failures: [String] = []
        for (index, command) in step.tryCommands.enumerated() {
            // The runner checks the goals after each command that succeeded, as here.
            if let error = typed.run(command) {
                failures.append("`\(command.text)` failed: \(error)")
            } else if index < step.tryCommands.count - 1, typed.meets(goals) {
                return (command.line, "the goals are met after the Try command `\(command.text)`, before the last: the runner moves to the next step there, so the Try commands after it are never typed")
            }
        }
        if let unmet = typed.first(of: goals, met: false) {
            let why = failures.isEmpty ? "" : " (the Try command \(failures.joined(separator: "; the Try command ")))"
            return (step.tryCommands.last?.line ?? step.line, "goal `\(unmet.goal)` is not met after the step's Try commands, so a learner who types what the step shows is stuck: \(unmet.result.sentence)\(why)")
        }
        return nil
    }

    /// What is wrong with the step at `index` taken as `lesson start N --step K` starts it, or as
    /// a lesson left and resumed goes on: the steps before replayed by their solutions, then a new
    /// shell whose flows are restored from what was saved. Its `Try:` commands (its solution when
    /// it has none) must still reach its goals; a goal counting this session's doings across
    /// steps does not, as the counts start again at 0.
    private func resumed(_ lesson: Lesson, at index: Int, _ goals: [(written: LessonGoal, goal: Goal)]) throws -> (line: Int, message: String)? {
        guard lesson.steps.prefix(index).contains(where: { !$0.isManual }) else { return nil }
        let trial = try LessonTrial(opener: opener, brokers: lesson.brokers)
        defer { trial.close() }
        for (command, _) in lesson.replay(before: index) { _ = trial.run(command) }
        trial.resume()
        let step = lesson.steps[index]
        let commands = step.tryCommands.isEmpty ? step.solution : step.tryCommands
        for command in commands { _ = trial.run(command) }
        guard let unmet = trial.first(of: goals, met: false) else { return nil }
        let typed = step.tryCommands.isEmpty ? "its solution" : "its Try commands"
        return (unmet.written.line, "taken as `lesson start \(lesson.number) --step \(index + 1)` takes it (the steps before replayed, the flows restored in a new session), \(typed) do not reach goal `\(unmet.goal)`: \(unmet.result.sentence); a count of what a session did (emitted, accepted, rejected) starts again at 0 there, so such a goal should count only what its own step does")
    }

    /// The widest `Try:` line a step shows on an 80-column terminal, after its indent of four.
    static let maximumTryWidth = 76

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
