import Foundation

/// How far a learner got in one lesson: saved after every change beside the lesson's
/// workspace, so a lesson resumes where it was left, in this process or the next.
struct LessonProgress: Codable, Equatable {
    /// The step the learner is on, counted from 0.
    var step: Int
    /// The steps whose goals the learner reached (or, for a manual step, moved on from),
    /// counted from 0.
    var done: Set<Int>
    /// Whether the lesson was walked to its end.
    var finished: Bool
    /// The titles of the lesson's steps when this was saved, by which the steps are found again
    /// after the lesson's file changed; nil in a file saved before they were kept.
    var titles: [String]?

    /// A lesson at `step`, the steps before it done when they were replayed to get there.
    init(step: Int = 0, done: Set<Int> = [], finished: Bool = false, titles: [String]? = nil) {
        self.step = step
        self.done = done
        self.finished = finished
        self.titles = titles
    }

    /// Where the learner's step went when the lesson changed since its progress was saved.
    enum Change: Equatable {
        /// The step is where it was.
        case none
        /// The step is there under its title, at another number.
        case moved
        /// No step has its title any more: the learner goes on at the first step not done.
        case lost
    }

    /// This progress on a lesson whose steps are now `titles`: each step found by its title
    /// (a title no longer there drops that step's ✓), and how the learner's step fared. Progress
    /// saved without titles is taken by number.
    func on(_ titles: [String]) -> (progress: LessonProgress, change: Change) {
        guard let saved = self.titles, saved != titles else {
            return (LessonProgress(step: step, done: done, finished: finished, titles: titles), .none)
        }
        func now(_ index: Int) -> Int? { index < saved.count ? titles.firstIndex(of: saved[index]) : nil }
        var progress = LessonProgress(step: 0, done: Set(done.compactMap(now)), finished: finished, titles: titles)
        if let step = now(step) {
            progress.step = step
            return (progress, step == self.step ? .none : .moved)
        }
        progress.step = titles.indices.first { !progress.done.contains($0) } ?? 0
        return (progress, .lost)
    }
}

/// Where lessons keep their progress and workspaces: `lessons/NN-slug/progress.json` and
/// `lessons/NN-slug/workspace/` under the user's state directory.
///
/// A store ``inMemory()`` (lessons under `--memory`) keeps both in this process instead, and
/// nothing on disk: progress until EventLab quits, a lesson left with `lesson exit` waiting open.
struct LessonStore {
    /// `.../eventlab/lessons`; empty for a store in memory.
    let root: String
    /// What a store in memory keeps; nil for one on disk.
    let memory: LessonMemory?

    init(root: String) {
        self.root = root
        memory = nil
    }

    private init(memory: LessonMemory) {
        root = ""
        self.memory = memory
    }

    /// A store keeping progress and workspaces in this process only.
    static func inMemory() -> LessonStore { LessonStore(memory: LessonMemory()) }

    /// The state directory's lessons: `$XDG_STATE_HOME/eventlab/lessons`, else
    /// `~/.local/state/eventlab/lessons`; nil when neither can be told.
    static func root(environment: [String: String]) -> String? {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/eventlab/lessons" }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.local/state/eventlab/lessons"
    }

    func directory(_ entry: LessonLibrary.Entry) -> String { root + "/" + entry.name }

    /// The lesson's workspace directory.
    func workspace(_ entry: LessonLibrary.Entry) -> String { directory(entry) + "/workspace" }

    private func progressPath(_ entry: LessonLibrary.Entry) -> String { directory(entry) + "/progress.json" }

    /// The saved progress of `entry`, if any.
    ///
    /// - Throws: when the file is there but holds no progress this EventLab can read.
    func progress(_ entry: LessonLibrary.Entry) throws -> LessonProgress? {
        if let memory { return memory.progress[entry.name]?.progress }
        let path = progressPath(entry)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard let progress = try? JSONDecoder().decode(LessonProgress.self, from: data) else {
            throw ShellError("\(path) holds no progress this EventLab can read: delete it (or `lesson forget`) to start lesson \(entry.number) afresh")
        }
        return progress
    }

    /// Saves `progress` of `entry`, replacing the file whole so a crash leaves the old or the new.
    func save(_ progress: LessonProgress, of entry: LessonLibrary.Entry) throws {
        if let memory { return memory.save(progress, of: entry.name) }
        try FileManager.default.createDirectory(atPath: directory(entry), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(progress).write(to: URL(fileURLWithPath: progressPath(entry)), options: .atomic)
    }

    /// The lesson left most recently before its end, by its directory's name (`NN-slug`) and
    /// progress; nil when none is.
    func lastUnfinished() -> (number: Int, progress: LessonProgress)? {
        if let memory {
            let left = memory.progress.filter { !$0.value.progress.finished }.max { $0.value.saved < $1.value.saved }
            return left.flatMap { name, kept in (try? LessonFileName(name + ".md")).map { ($0.number, kept.progress) } }
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        let candidates = names.compactMap { name -> (Int, LessonProgress, Date)? in
            let path = root + "/" + name + "/progress.json"
            guard let file = try? LessonFileName(name + ".md"), let data = FileManager.default.contents(atPath: path),
                  let progress = try? JSONDecoder().decode(LessonProgress.self, from: data), !progress.finished,
                  let modified = try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
            else { return nil }
            return (file.number, progress, modified)
        }
        return candidates.max { $0.2 < $1.2 }.map { ($0.0, $0.1) }
    }

    /// The names (`NN-slug`) of the lesson directories kept here.
    func lessonNames() -> [String] {
        if let memory { return memory.progress.keys.sorted() }
        return ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter { (try? LessonFileName($0 + ".md")) != nil }.sorted()
    }

    /// Forgets every lesson's progress and workspace but those of the lessons named in `kept`.
    func forgetAll(except kept: Set<String>) throws {
        if let memory { return memory.forget() }
        guard FileManager.default.fileExists(atPath: root) else { return }
        guard !kept.isEmpty else { return try FileManager.default.removeItem(atPath: root) }
        for name in try FileManager.default.contentsOfDirectory(atPath: root) where !kept.contains(name) {
            try FileManager.default.removeItem(atPath: root + "/" + name)
        }
    }
}

/// What lessons keep under `--memory`, in this process only: each lesson's progress, and the
/// workspace of each lesson left before its end, open, so `lesson start` resumes it as it was.
final class LessonMemory {
    /// Each lesson's progress by its name (`NN-slug`), with when it was saved, counted.
    var progress: [String: (progress: LessonProgress, saved: Int)] = [:]
    /// The workspaces of lessons left, by name.
    var workspaces: [String: any TranscriptWorkspace] = [:]
    private var saves = 0

    func save(_ progress: LessonProgress, of name: String) {
        saves += 1
        self.progress[name] = (progress, saves)
    }

    /// Forgets every lesson's progress and closes the workspaces kept.
    func forget() {
        progress = [:]
        closeAll()
    }

    /// Closes the workspaces kept, as leaving EventLab does.
    func closeAll() {
        for workspace in workspaces.values { try? workspace.close() }
        workspaces = [:]
    }
}
