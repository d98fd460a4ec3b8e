@testable import EventLabShell
import Foundation
import Testing

@Suite("The lessons in lessons/ read, and their goals are in the goal vocabulary")
struct LessonFilesTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("lessons")

    /// The lesson files: every `NN-….md`, so a misnamed lesson (`1-x.md`) is refused rather than skipped.
    static let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
        .filter { $0.hasSuffix(".md") && $0.first?.isNumber == true }.sorted()

    @Test("there are lessons to read")
    func someLessons() {
        #expect(Self.files.contains("01-the-log.md"))
    }

    @Test("each lesson reads, and each goal is one the runner can check", arguments: files)
    func lessonReads(file: String) throws {
        let lesson = try LessonParser.parse(String(contentsOf: Self.directory.appendingPathComponent(file), encoding: .utf8), fileName: file)
        for goal in lesson.steps.flatMap(\.goals) {
            do {
                _ = try Goal.parse(goal.text)
            } catch {
                Issue.record("\(file):\(goal.line): goal `\(goal.text)`: \(error)")
            }
        }
    }

    @Test("each step's Try reaches its goals at its last command, so none runs after the step is done", arguments: files)
    func tryEndsAtItsGoals(file: String) throws {
        let lesson = try LessonParser.parse(String(contentsOf: Self.directory.appendingPathComponent(file), encoding: .utf8), fileName: file)
        let workspace = try MemoryTranscriptWorkspace.opener(TranscriptSettings(), nil)
        defer { try? workspace.close() }
        let shell = Shell(broker: workspace.broker, logicalClock: workspace.logicalClock, output: CapturedOutput(), width: 80)
        for command in lesson.setup { _ = shell.execute(command.text) }
        // A manual step's goals need outside clients; the steps after one start where it left off.
        for step in lesson.steps where !step.isManual {
            let goals = try step.goals.map { try Goal.parse($0.text) }
            for (index, command) in step.tryCommands.enumerated() {
                _ = shell.execute(command.text)
                let met = goals.allSatisfy { $0.evaluate(on: shell.goalWorld).met }
                let last = index == step.tryCommands.count - 1
                #expect(met == last, "\(file) step '\(step.title)': goals \(met ? "met" : "unmet") after `\(command.text)`")
                if met { break }
            }
        }
    }

    @Test("each title fits its 80-column `lesson list` row, and each Try line fits 80 columns as a step shows it")
    func fitsATerminal() throws {
        let lessons = try Self.files.map { file in
            try LessonParser.parse(String(contentsOf: Self.directory.appendingPathComponent(file), encoding: .utf8), fileName: file)
        }
        let slugWidth = lessons.map(\.slug.count).max() ?? 0
        let numberWidth = lessons.map { String($0.number).count }.max() ?? 0
        for lesson in lessons {
            // `lesson list` writes a mark, the number and the slug in columns, then the title.
            let row = 4 + numberWidth + 2 + slugWidth + 2 + lesson.title.count
            #expect(row <= 80, "lesson \(lesson.number)'s title makes a \(row)-column row: \(lesson.title)")
            // A step shows its Try commands indented by four.
            for step in lesson.steps {
                for command in step.tryCommands {
                    #expect(4 + command.text.count <= 80, "lesson \(lesson.number) step '\(step.title)': \(command.text)")
                }
            }
        }
    }
}
