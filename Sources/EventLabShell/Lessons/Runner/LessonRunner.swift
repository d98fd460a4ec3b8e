import EventLabCore
import EventLabPatterns
import Foundation

/// Runs lessons in the shell. Each lesson runs on a workspace of its own under the user's state
/// directory (in memory, keeping nothing after exit, in a session under `--memory`), on the
/// logical clock, with its setup run; while it runs, the shell's commands,
/// pictures, completion and listener act on the lesson's broker. The session's own workspace
/// (the playground) stays open and untouched meanwhile, and `lesson exit` switches back to it.
public final class LessonRunner {
    /// Where lessons are read from.
    public let library: LessonLibrary
    /// Where progress and lesson workspaces are kept; nil when the state directory is unknown.
    let store: LessonStore?
    let opener: TranscriptWorkspaceOpener
    /// The lesson running now.
    var running: RunningLesson?
    /// The session's own broker, clock, flow definitions and summary, kept while a lesson runs.
    var playground: (broker: Broker, logicalClock: LogicalClock?, flowStore: (any FlowStore)?, flows: Flows, summary: String?)?
    /// True while a solution runs, so its goals are checked once, after its last command.
    var isRunningSolution = false

    /// Lessons from `library`, kept under `environment`'s state directory (`XDG_STATE_HOME`,
    /// else `HOME`'s `.local/state`), each workspace opened by `opener` on disk; or, `inMemory`
    /// (a session under `--memory`, which keeps nothing after exit), each workspace opened in
    /// memory, and their progress kept only until the runner ends.
    public init(library: LessonLibrary, environment: [String: String], opener: @escaping TranscriptWorkspaceOpener, inMemory: Bool = false) {
        self.library = library
        store = inMemory ? LessonStore.inMemory() : LessonStore.root(environment: environment).map { LessonStore(root: $0) }
        self.opener = opener
    }

    /// A lesson running: what it says, how far the learner is, and its open workspace.
    final class RunningLesson {
        let entry: LessonLibrary.Entry
        let loaded: LoadedLesson
        var progress: LessonProgress
        var workspace: any TranscriptWorkspace
        /// How many of the current step's hints were given.
        var hintsGiven = 0

        init(entry: LessonLibrary.Entry, loaded: LoadedLesson, progress: LessonProgress, workspace: any TranscriptWorkspace) {
            self.entry = entry
            self.loaded = loaded
            self.progress = progress
            self.workspace = workspace
        }

        var lesson: Lesson { loaded.lesson }
        var step: LessonStep { lesson.steps[progress.step] }
        var goals: [Goal] { loaded.goals[progress.step] }
        /// `step 2 of 5`.
        var place: String { "step \(progress.step + 1) of \(lesson.steps.count)" }
    }

    /// What the banner says when a lesson was left before its end: how to resume it.
    public func resumeNote() -> String? {
        guard let (number, step) = lastLeft() else { return nil }
        return "Lesson \(number) was left at step \(step): `lesson start \(number)` resumes it."
    }

    /// What starts a lesson when none runs: resuming the one left most recently, else the first.
    func startSuggestion() -> String {
        guard let (number, step) = lastLeft() else { return "`lesson start 1` begins the first" }
        return "`lesson start \(number)` resumes lesson \(number) at step \(step)"
    }

    /// The lesson left most recently before its end, and its step counted from 1.
    private func lastLeft() -> (number: Int, step: Int)? {
        guard let (number, saved) = store?.lastUnfinished() else { return nil }
        // Its step as the lesson's file numbers it now, which may have changed since.
        let progress = (try? library.entry(String(number))).flatMap { try? library.load($0) }.map { saved.on($0.lesson.titles).progress } ?? saved
        return (number, progress.step + 1)
    }

    /// Starts lesson `word` (a number or slug): where it was left, at `step` (counted from 1)
    /// with the steps before it replayed, or from its beginning.
    func start(_ word: String, step: Int?, in shell: Shell) throws {
        let store = try requireStore()
        let entry = try library.entry(word)
        let loaded = try library.load(entry)
        let count = loaded.lesson.steps.count
        if let step, !(1...count).contains(step) {
            throw ShellError("lesson \(entry.number) has steps 1 to \(count): --step \(step) is not one of them")
        }
        if let running, running.entry == entry, step == nil {
            tell("You are in lesson \(entry.number), \(running.place), already.", in: shell)
            shell.say("")
            return show(in: shell)
        }
        let mapped = try store.progress(entry).map { $0.on(loaded.lesson.titles) }
        let ours = running?.entry == entry
        if let running { closeRunning(in: shell, announce: running.entry != entry) }
        let (workspace, progress, note): (any TranscriptWorkspace, LessonProgress, String?)
        do {
            (workspace, progress, note) = try open(loaded, entry, saved: mapped?.progress, change: mapped?.change ?? .none, step: step, ours: ours)
        } catch {
            returnToPlayground(in: shell)
            throw error
        }
        do {
            try store.save(progress, of: entry)
        } catch {
            try? workspace.close()
            returnToPlayground(in: shell)
            throw error
        }
        if playground == nil { playground = (shell.broker, shell.logicalClock, shell.flowStore, shell.flows, shell.sessionSummary) }
        let running = RunningLesson(entry: entry, loaded: loaded, progress: progress, workspace: workspace)
        self.running = running
        shell.switchBroker(to: workspace.broker, logicalClock: workspace.logicalClock, flowStore: workspace.flowStore)
        let directory = store.memory == nil ? store.workspace(entry) : nil
        shell.sessionSummary = "lesson \(entry.number) on " + SessionSummary.text(directory: directory, logicalClock: workspace.logicalClock != nil)
            + "; `lesson exit` goes back to your playground"
        let lesson = loaded.lesson
        shell.say(shell.style.paint("Lesson \(lesson.number): \(lesson.title)", "1"))
        tell(lesson.summary, in: shell)
        if let note { tell(note, in: shell) }
        let kept = store.memory == nil ? "" : ", in memory (--memory): nothing of it is kept after you quit"
        tell("It runs on a workspace of its own, on the logical clock\(kept); your playground waits as it was until `lesson exit`.", in: shell)
        shell.say("")
        show(in: shell)
    }

    /// What a replay up to the step at `index` leaves out: the manual steps before it, whose
    /// outside clients only the learner can run again; empty when there are none.
    static func notReplayed(_ lesson: Lesson, before index: Int) -> String {
        let manual = lesson.steps.prefix(index).indices.filter { lesson.steps[$0].isManual }.map { String($0 + 1) }
        guard !manual.isEmpty else { return "" }
        let steps = manual.count == 1 ? "Step \(manual[0]) is manual and was not replayed" : "Steps \(manual.dropLast().joined(separator: ", ")) and \(manual.last!) are manual and were not replayed"
        let them = manual.count == 1 ? "its clients wrote is not here, so do it" : "their clients wrote is not here, so do them"
        return " \(steps): what \(them) again (`lesson start \(lesson.number) --step \(manual[0])`), or start from step 1."
    }

    /// The lesson's workspace and progress: rebuilt for `step` (counted from 1) when given;
    /// else as `saved` left them; else fresh from the first step. With a note saying which.
    /// `saved` is on the lesson's steps now, `change` saying how its step fared if the lesson
    /// changed since. `ours` says the workspace was this runner's, just closed.
    private func open(
        _ loaded: LoadedLesson, _ entry: LessonLibrary.Entry, saved: LessonProgress?, change: LessonProgress.Change, step: Int?, ours: Bool
    ) throws -> (any TranscriptWorkspace, LessonProgress, String?) {
        let titles = loaded.lesson.titles
        if let step {
            let workspace = try build(loaded, entry, upTo: step - 1, ours: ours)
            let note = step > 1 ? "Starting at step \(step): the steps before it were replayed on a fresh workspace." + Self.notReplayed(loaded.lesson, before: step - 1) : nil
            return (workspace, LessonProgress(step: step - 1, done: (saved?.done ?? []).union(0..<(step - 1)), titles: titles), note)
        }
        if let saved, !saved.finished, change == .lost {
            // The workspace holds the work of a step that is gone: the first step not done starts afresh.
            let workspace = try build(loaded, entry, upTo: saved.step, ours: ours)
            return (workspace, saved, "Lesson \(entry.number) changed since you left it, and your step is no longer in it: it goes on at step \(saved.step + 1), the first you have not done, on a fresh workspace with the steps before it replayed.")
        }
        if let saved, !saved.finished, saved.step < loaded.lesson.steps.count, let workspace = try keptWorkspace(entry) {
            let changed = change == .moved ? " (the lesson changed since, so your step has a new number)" : ""
            return (workspace, saved, "You were at lesson \(entry.number), step \(saved.step + 1)\(changed): your lesson workspace is as you left it.")
        }
        let note = saved?.finished == true ? "You finished lesson \(entry.number) before: it starts over on a fresh workspace." : nil
        return (try build(loaded, entry, upTo: 0, ours: ours), LessonProgress(titles: titles), note)
    }

    /// The workspace `entry` was left with, opened; nil when none was kept.
    private func keptWorkspace(_ entry: LessonLibrary.Entry) throws -> (any TranscriptWorkspace)? {
        let store = try requireStore()
        if let memory = store.memory { return memory.workspaces.removeValue(forKey: entry.name) }
        guard FileManager.default.fileExists(atPath: store.workspace(entry)) else { return nil }
        do {
            return try opener(TranscriptSettings(), store.workspace(entry))
        } catch {
            if let holder = Self.holder(in: error) { throw inUse(entry, by: holder) }
            throw error
        }
    }

    /// Leaves the running lesson, its progress saved, and goes back to the playground.
    func exit(in shell: Shell) throws {
        let running = try requireRunning()
        closeRunning(in: shell, announce: false)
        returnToPlayground(in: shell)
        let left = running.progress.finished
            ? "Left lesson \(running.entry.number), which you finished."
            : "Left lesson \(running.entry.number) at \(running.place): `lesson start \(running.entry.number)` resumes it there."
        tell(left + " Back in your playground.", in: shell)
    }

    /// Closes a running lesson's workspace and goes back to the playground without a word, as
    /// leaving EventLab does; its progress is already saved.
    public func end(in shell: Shell) {
        if running != nil {
            closeRunning(in: shell, announce: false)
            returnToPlayground(in: shell)
        }
        store?.memory?.closeAll()
    }

    /// Rebuilds the start state of step `index` (counted from 0) on a fresh workspace — the
    /// setup, then the solutions of the steps before it — and makes it the current step.
    func rebuild(toStep index: Int, in shell: Shell) throws {
        let running = try requireRunning()
        let store = try requireStore()
        closeWorkspace(running)
        do {
            running.workspace = try build(running.loaded, running.entry, upTo: index, ours: true)
        } catch {
            self.running = nil
            returnToPlayground(in: shell)
            throw ShellError("\(ShellError.message(of: error)); you are back in your playground")
        }
        running.progress.step = index
        running.progress.finished = running.progress.finished && index == running.lesson.steps.count - 1
        running.hintsGiven = 0
        try store.save(running.progress, of: running.entry)
        shell.switchBroker(to: running.workspace.broker, logicalClock: running.workspace.logicalClock, flowStore: running.workspace.flowStore)
    }

    /// Saves the running lesson's progress.
    func save(_ running: RunningLesson) throws {
        try requireStore().save(running.progress, of: running.entry)
    }

    /// Forgets every lesson's progress and workspace, leaving a running lesson first, except
    /// the lessons whose workspace another EventLab has open: those are kept whole.
    ///
    /// - Returns: each lesson kept, by its directory's name (`NN-slug`), with the pid holding it.
    func forgetAll(in shell: Shell) throws -> [(name: String, holder: String)] {
        let store = try requireStore()
        let ours = running?.entry.name
        if let running {
            closeRunning(in: shell, announce: false)
            returnToPlayground(in: shell)
            tell("Left lesson \(running.entry.number): back in your playground.", in: shell)
        }
        var kept: [(name: String, holder: String)] = []
        for name in store.lessonNames() where name != ours && store.memory == nil {
            if let holder = holder(of: store.root + "/" + name + "/workspace") { kept.append((name, holder)) }
        }
        try store.forgetAll(except: Set(kept.map(\.name)))
        return kept
    }

    /// The pid of the other EventLab that has the lesson workspace in `directory` open, found by
    /// opening it, which takes its lock, and closing it again; nil when none has it (or it is not
    /// there). A workspace that cannot be opened for another reason is not held, and may go.
    func holder(of directory: String) -> String? {
        guard FileManager.default.fileExists(atPath: directory) else { return nil }
        do {
            let workspace = try opener(TranscriptSettings(), directory)
            try? workspace.close()
            return nil
        } catch {
            return Self.holder(in: error)
        }
    }

    /// The pid an error opening a workspace names as holding it, when that is what went wrong.
    static func holder(in error: any Error) -> String? {
        let message = ShellError.message(of: error)
        guard let range = message.range(of: " is in use by process ") else { return nil }
        return String(message[range.upperBound...].prefix { $0 != ":" })
    }

    /// The error for lesson `entry`'s workspace held by `holder`, which nothing here may delete.
    func inUse(_ entry: LessonLibrary.Entry, by holder: String) -> ShellError {
        ShellError("lesson \(entry.number)'s workspace is in use by another EventLab (process \(holder)): leave the lesson there (`lesson exit`) or quit that EventLab first; nothing changed")
    }

    func requireRunning() throws -> RunningLesson {
        guard let running else {
            throw ShellError("no lesson is running: `lesson list` shows the lessons, \(startSuggestion())")
        }
        return running
    }

    func requireStore() throws -> LessonStore {
        guard let store else { throw ShellError("lessons keep their progress under $XDG_STATE_HOME or $HOME, and neither is set: set one") }
        return store
    }

    /// A fresh workspace for `loaded` with its setup and the solutions of the steps before
    /// `index` run quietly, so it holds what the learner would have made by then. Manual steps'
    /// solutions are left out: what they do (serving clients) is not state a goal checks.
    /// The workspace there is deleted first, unless another EventLab has it open; `ours` says it
    /// was this runner's, closed but perhaps still referred to, so its lock is no one else's.
    private func build(_ loaded: LoadedLesson, _ entry: LessonLibrary.Entry, upTo index: Int, ours: Bool) throws -> any TranscriptWorkspace {
        let store = try requireStore()
        let workspace: any TranscriptWorkspace
        if let memory = store.memory {
            try? memory.workspaces.removeValue(forKey: entry.name)?.close()
            workspace = try opener(TranscriptSettings(brokers: loaded.lesson.brokers), nil)
        } else {
            let directory = store.workspace(entry)
            if !ours, let holder = holder(of: directory) { throw inUse(entry, by: holder) }
            if FileManager.default.fileExists(atPath: directory) { try FileManager.default.removeItem(atPath: directory) }
            try FileManager.default.createDirectory(atPath: store.directory(entry), withIntermediateDirectories: true)
            workspace = try opener(TranscriptSettings(brokers: loaded.lesson.brokers), directory)
        }
        let commands = loaded.lesson.replay(before: index)
        let output = CapturedOutput()
        let quiet = Shell(broker: workspace.broker, logicalClock: workspace.logicalClock, output: output)
        quiet.flowStore = workspace.flowStore
        for command in commands {
            if let error = LessonVerifier.run(command.command, on: quiet, output) {
                try? workspace.close()
                throw ShellError("lesson \(entry.number)'s \(command.part) failed at `\(command.command.text)`: \(error)")
            }
        }
        // The learner's shell runs the services from here on, as members of their groups.
        quiet.leaveGroups()
        return workspace
    }

    /// Closes the running lesson's workspace and forgets it; the shell still points at its broker
    /// until the caller switches.
    private func closeRunning(in shell: Shell, announce: Bool) {
        guard let running else { return }
        closeWorkspace(running)
        self.running = nil
        guard announce else { return }
        tell(running.progress.finished
            ? "Left lesson \(running.entry.number), which you finished."
            : "Left lesson \(running.entry.number) at \(running.place); its progress is kept.", in: shell)
    }

    private func closeWorkspace(_ running: RunningLesson) {
        // In memory, closing would lose it: it waits open for `lesson start` to resume it.
        if let memory = store?.memory { return memory.workspaces[running.entry.name] = running.workspace }
        // The progress is saved with every change; what closing adds is the clock's time, and a
        // lesson whose close failed still resumes from its log.
        try? running.workspace.close()
    }

    private func returnToPlayground(in shell: Shell) {
        guard let playground else { return }
        shell.switchBroker(
            to: playground.broker, logicalClock: playground.logicalClock, flowStore: playground.flowStore, flows: playground.flows)
        shell.sessionSummary = playground.summary
        self.playground = nil
    }
}

extension LessonRunner {
    /// Says `text`, Markdown inline text, wrapped to the shell's width: on a terminal the marks
    /// become bold and italics, without one they stay as written.
    func tell(_ text: String, in shell: Shell) {
        shell.say(MarkdownRenderer(width: shell.width, style: shell.style).render(MarkdownInlineReader.read(text)).joined(separator: "\n"))
    }
}
