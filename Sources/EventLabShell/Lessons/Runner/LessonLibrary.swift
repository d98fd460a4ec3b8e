import Foundation

/// The lessons in a directory of `NN-slug.md` files, and where that directory was found.
public struct LessonLibrary: Sendable {
    /// The directory lessons are read from; nil when none was found.
    public let directory: String?
    /// Where lessons were looked for, said when none were found.
    let searched: [String]

    /// One lesson file: its number, slug and path.
    struct Entry: Equatable, Sendable {
        let number: Int
        let slug: String
        let path: String

        /// `NN-slug`, the name of its file without `.md`, and of its directory of progress.
        var name: String { String(format: "%02d-%@", number, slug) }
    }

    /// Lessons in `directory`.
    public init(directory: String) {
        self.directory = directory
        searched = [directory]
    }

    private init(directory: String?, searched: [String]) {
        self.directory = directory
        self.searched = searched
    }

    /// Where the lessons are: `$EVENTLAB_LESSONS` when set; else the `lessons/` of the
    /// repository the executable was built in (the first directory up from the executable's
    /// that holds `lessons/` and `Package.swift`); else `./lessons`.
    public static func find(environment: [String: String], executablePath: String?, currentDirectory: String) -> LessonLibrary {
        if let given = environment["EVENTLAB_LESSONS"], !given.isEmpty {
            return LessonLibrary(directory: isDirectory(given) ? given : nil, searched: ["$EVENTLAB_LESSONS (\(given))"])
        }
        var searched: [String] = []
        if let executablePath {
            var directory = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
            while directory.path != "/" {
                let lessons = directory.appendingPathComponent("lessons").path
                if isDirectory(lessons), FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                    return LessonLibrary(directory: lessons, searched: [lessons])
                }
                directory.deleteLastPathComponent()
            }
            searched.append("the repository above \(executablePath)")
        }
        let local = URL(fileURLWithPath: currentDirectory).appendingPathComponent("lessons").path
        searched.append(local)
        return LessonLibrary(directory: isDirectory(local) ? local : nil, searched: searched)
    }

    /// The lesson files, by number.
    ///
    /// - Throws: when no directory was found, or it holds no lesson.
    func entries() throws -> [Entry] {
        guard let directory else {
            throw ShellError("no lessons found (looked in \(searched.joined(separator: ", "))): set EVENTLAB_LESSONS to a directory of lessons such as 01-the-log.md")
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let entries = names.compactMap { name -> Entry? in
            guard let file = try? LessonFileName(name) else { return nil }
            return Entry(number: file.number, slug: file.slug, path: directory + "/" + name)
        }
        guard !entries.isEmpty else {
            throw ShellError("no lessons in \(directory): a lesson is a file named like 01-the-log.md (lessons/README.md describes them)")
        }
        return entries.sorted { $0.number < $1.number }
    }

    /// The lesson `word` names: its number (`1` or `01`) or its slug.
    func entry(_ word: String) throws -> Entry {
        let entries = try entries()
        if let number = Int(word), let entry = entries.first(where: { $0.number == number }) { return entry }
        if let entry = entries.first(where: { $0.slug == word || $0.name == word }) { return entry }
        let known = entries.map { "\($0.number) \($0.slug)" }.joined(separator: ", ")
        throw ShellError("no lesson '\(word)'\(CommandParser.suggestion(word, among: entries.map(\.slug))): the lessons are \(known) (`lesson list` shows them)")
    }

    /// The lesson in `entry`'s file, its goals read.
    ///
    /// - Throws: a ``ShellError`` naming the file and line of the first thing wrong in it.
    func load(_ entry: Entry) throws -> LoadedLesson {
        guard let data = FileManager.default.contents(atPath: entry.path) else {
            throw ShellError("cannot read \(entry.path)")
        }
        do {
            return try LoadedLesson(LessonParser.parse(String(decoding: data, as: UTF8.self), fileName: entry.path), file: entry.path)
        } catch let error as LessonError {
            throw ShellError("lesson \(entry.number) cannot be read: \(error.description)")
        }
    }

    /// What Tab offers after `lesson start`: each lesson's number and slug.
    public func completionNames() -> [String] {
        ((try? entries()) ?? []).flatMap { [String($0.number), $0.slug] }
    }

    /// What Tab offers after `lesson start WORD --step`: the numbers of that lesson's steps.
    public func completionSteps(_ word: String) -> [String] {
        guard let count = (try? entry(word)).flatMap({ try? load($0) })?.lesson.steps.count else { return [] }
        return (1...max(1, count)).map(String.init)
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}

extension Lesson {
    /// Its steps' titles, by which saved progress finds them again.
    var titles: [String] { steps.map(\.title) }
}

/// A lesson with each step's goals read into the goal vocabulary, so a goal that cannot be
/// checked stops the lesson from starting rather than a learner in the middle of it.
struct LoadedLesson {
    let lesson: Lesson
    /// Each step's goals, in the order written.
    let goals: [[Goal]]

    /// `lesson`'s goals read; `file` names it in errors.
    ///
    /// - Throws: ``LessonError`` at the line of the first goal the vocabulary cannot read.
    init(_ lesson: Lesson, file: String) throws(LessonError) {
        self.lesson = lesson
        var goals: [[Goal]] = []
        for step in lesson.steps {
            var stepGoals: [Goal] = []
            for goal in step.goals { stepGoals.append(try LessonVerifier.parse(goal, file: file)) }
            goals.append(stepGoals)
        }
        self.goals = goals
    }
}
