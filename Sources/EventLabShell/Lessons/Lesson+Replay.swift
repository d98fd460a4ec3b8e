extension Lesson {
    /// What starting at the step at `index` replays first, as `lesson start N --step K` does:
    /// the setup, then the solutions of the steps before it, each with the part it comes from
    /// (`setup`, `step 2's solution`). Manual steps' solutions are left out: what they do
    /// (serving outside clients) is not state a goal checks, and only the learner can redo it.
    func replay(before index: Int) -> [(command: ScriptLines.Command, part: String)] {
        var commands = setup.map { (command: $0, part: "setup") }
        for (number, step) in steps.prefix(index).enumerated() where !step.isManual {
            commands += step.solution.map { (command: $0, part: "step \(number + 1)'s solution") }
        }
        return commands
    }
}
