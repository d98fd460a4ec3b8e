import EventLabCore

extension LessonRunner {
    /// After each command that succeeded outside the `lesson` family: when the current step's
    /// goals are all met, a ✓ per goal and the next step.
    func commandSucceeded(_ command: String, in shell: Shell) {
        guard running != nil, !isRunningSolution, (try? Words.split(command))?.first != "lesson" else { return }
        check(in: shell, asked: false)
    }

    /// Checks the current step's goals: when all are met, marks the step done and shows the
    /// next; when asked (`lesson check`), also says for each unmet goal what is missing.
    func check(in shell: Shell, asked: Bool) {
        guard let running, !running.progress.finished else {
            if asked, let running { tell("Lesson \(running.entry.number) is complete: `lesson exit` goes back to your playground.", in: shell) }
            return
        }
        // A manual step's goals, when it has any, are checked as usual: a real client reaching
        // them (a second member joining, say) earns its ✓ at the next command.
        if running.step.isManual && running.goals.isEmpty {
            if asked { tell("Step \(running.progress.step + 1) is manual: the runner cannot check it. When you have done it, `lesson next` moves on.", in: shell) }
            return
        }
        let results = running.goals.map { $0.evaluate(on: shell.goalWorld) }
        if results.allSatisfy(\.met) {
            for result in results { shell.say(shell.style.paint("✓", "32") + " " + result.sentence) }
            advance(in: shell)
        } else if asked {
            for result in results {
                shell.say(result.met ? shell.style.paint("✓", "32") + " " + result.sentence : shell.style.paint("✗", "31") + " " + result.sentence)
            }
            tell(running.step.isManual
                ? "Not yet: this step is manual, so `lesson next` also moves on once you have done it."
                : "Not yet: `lesson hint` gives a hint, `lesson solution` shows the commands. Stuck past the goal (a log keeps every record, so a step cannot be undone)? `lesson start \(running.entry.number) --step \(running.progress.step + 1)` starts this step again.", in: shell)
        }
    }

    /// Marks the current step done (unless `done` is false: moved on from without its goals)
    /// and moves to the next, or ends the lesson after its last.
    func advance(in shell: Shell, done: Bool = true) {
        guard let running else { return }
        if done { running.progress.done.insert(running.progress.step) }
        if running.progress.step + 1 == running.lesson.steps.count {
            running.progress.finished = true
            saveOrSay(running, in: shell)
            shell.say("")
            let count = running.lesson.steps.count
            let steps = running.progress.done.count == count ? "all \(count) steps done" : "\(running.progress.done.count) of \(count) steps done"
            tell("Lesson \(running.entry.number) complete: \(steps). " + whatNext(after: running), in: shell)
            return
        }
        shell.say("Step \(running.progress.step + 1) of \(running.lesson.steps.count) \(done ? "done" : "skipped").\n")
        running.progress.step += 1
        running.hintsGiven = 0
        saveOrSay(running, in: shell)
        show(in: shell)
    }

    /// Shows the current step: its story, the commands to try, its goals.
    func show(in shell: Shell) {
        guard let running else { return }
        let step = running.step
        var blocks = step.story
        if !step.tryCommands.isEmpty {
            blocks += [.paragraph([.text("Try:")]), .code(language: "", lines: step.tryCommands.flatMap { $0.text.split(separator: "\n").map(String.init) })]
        }
        blocks += running.goals.map { .paragraph([.text("Goal: "), .code($0.text)]) }
        if let manual = step.manual { blocks.append(.paragraph([.text("Manual: ")] + MarkdownInlineReader.read(manual))) }
        // A header wider than the terminal wraps under its text, its rules at its two ends.
        let header = Help.wrap("Lesson \(running.entry.number) · \(running.place): \(step.title)", width: max(20, shell.width - 6))
        shell.say(shell.style.paint(header.enumerated().map { ($0.offset == 0 ? "── " : "   ") + $0.element }.joined(separator: "\n") + " ──", "1"))
        shell.say(MarkdownRenderer(width: shell.width, style: shell.style).render(blocks).joined(separator: "\n"))
        let next = step.isManual ? "`lesson next` moves on when you have done it" : "`lesson check` says what is missing"
        shell.say("")
        tell("(`lesson hint` gives a hint; \(next); `lesson exit` goes back to your playground.)", in: shell)
    }

    /// Gives the current step's next hint.
    func hint(in shell: Shell) throws {
        let running = try requireRunning()
        let hints = running.step.hints
        guard running.hintsGiven < hints.count else {
            let given = hints.isEmpty ? "This step has no hints" : "No more hints for this step (\(hints.count) given)"
            return tell("\(given): `lesson solution` shows the commands.", in: shell)
        }
        let text = hints[running.hintsGiven]
        running.hintsGiven += 1
        tell("Hint \(running.hintsGiven) of \(hints.count): " + text, in: shell)
    }

    /// Shows the current step's solution, after asking on a terminal; `run` runs it too.
    func solution(run: Bool, in shell: Shell) throws {
        let running = try requireRunning()
        let step = running.step
        if shell.isInteractive, let confirm = shell.confirm {
            let question = run ? "Run the solution of step \(running.progress.step + 1)?" : "Show the solution of step \(running.progress.step + 1)?"
            guard confirm(question + " (`lesson hint` helps you find it yourself) [y/N] ") else { return shell.say("Not shown.") }
        }
        shell.say("Solution of step \(running.progress.step + 1):")
        shell.say(step.solution.flatMap { $0.text.split(separator: "\n").map { "    " + $0 } }.joined(separator: "\n"))
        guard run else { return }
        shell.say("")
        isRunningSolution = true
        defer { isRunningSolution = false }
        for command in step.solution {
            shell.say(shell.style.paint("» " + command.text, "2"))
            guard shell.execute(command.text) else {
                throw ShellError("the solution stopped at `\(command.text)`: your workspace may differ from the step's start; `lesson reset` rebuilds it")
            }
        }
        // Checked once all of it ran, so a goal met midway does not move on under its last commands.
        isRunningSolution = false
        check(in: shell, asked: false)
    }

    /// Moves to the next step: a manual one, or one whose goals are met.
    func next(in shell: Shell) throws {
        let running = try requireRunning()
        guard !running.progress.finished else { return tell("This was the last step: lesson \(running.entry.number) is complete.", in: shell) }
        if running.step.isManual {
            let unmet = running.goals.map { $0.evaluate(on: shell.goalWorld) }.filter { !$0.met }
            if running.goals.isEmpty {
                tell("Step \(running.progress.step + 1) is manual: the runner cannot check it, so it counts as done.", in: shell)
            } else if unmet.isEmpty {
                return check(in: shell, asked: false)
            } else {
                for result in unmet { shell.say(shell.style.paint("✗", "31") + " " + result.sentence) }
                let goals = unmet.count == 1 ? "goal is" : "goals are"
                tell("Step \(running.progress.step + 1)'s \(goals) not met: it is manual, so it moves on without \(unmet.count == 1 ? "it" : "them"), not done.", in: shell)
                return advance(in: shell, done: false)
            }
            return advance(in: shell)
        }
        guard running.goals.allSatisfy({ $0.evaluate(on: shell.goalWorld).met }) else {
            throw ShellError("step \(running.progress.step + 1)'s goals are not met yet: `lesson check` says what is missing; `lesson skip` moves on without it")
        }
        check(in: shell, asked: false)
    }

    /// Moves on without reaching the step: the workspace is rebuilt to hold what its solution makes.
    func skip(in shell: Shell) throws {
        let running = try requireRunning()
        guard !running.progress.finished else { return tell("This was the last step: lesson \(running.entry.number) is complete.", in: shell) }
        let index = running.progress.step
        guard index + 1 < running.lesson.steps.count else {
            running.progress.finished = true
            try save(running)
            return tell("Skipped the last step: lesson \(running.entry.number) is over. " + whatNext(after: running), in: shell)
        }
        try rebuild(toStep: index + 1, in: shell)
        tell("Skipped step \(index + 1): your lesson workspace now holds what its solution makes (rebuilt from the lesson's setup and solutions).", in: shell)
        shell.say("")
        show(in: shell)
    }

    /// Goes back a step, rebuilding its start state.
    func back(in shell: Shell) throws {
        let running = try requireRunning()
        guard running.progress.step > 0 else { throw ShellError("this is the first step: there is none before it") }
        try rebuild(toStep: running.progress.step - 1, in: shell)
        tell("Back to step \(running.progress.step + 1), from its start: the workspace was rebuilt from the lesson's setup and the solutions of the steps before it.", in: shell)
        shell.say("")
        show(in: shell)
    }

    /// Starts the current step again from its start state.
    func reset(in shell: Shell) throws {
        let running = try requireRunning()
        try rebuild(toStep: running.progress.step, in: shell)
        tell("Step \(running.progress.step + 1) starts again: the workspace was rebuilt from the lesson's setup and the solutions of the steps before it.", in: shell)
        shell.say("")
        show(in: shell)
    }

    /// What to do once `running` is over: start the lesson after it, if there is one, or go back.
    private func whatNext(after running: RunningLesson) -> String {
        guard let next = (try? library.entries())?.first(where: { $0.number > running.entry.number }) else {
            return "That was the last lesson: `lesson exit` goes back to your playground; `lesson list` shows the lessons."
        }
        return "`lesson start \(next.number)` begins the next lesson; `lesson exit` goes back to your playground."
    }

    /// Saves the progress, or says why it could not be: the lesson goes on either way.
    private func saveOrSay(_ running: RunningLesson, in shell: Shell) {
        do {
            try save(running)
        } catch {
            shell.report("could not save the lesson's progress: \(ShellError.message(of: error))", "")
        }
    }
}
