import EventLabShell
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
}
