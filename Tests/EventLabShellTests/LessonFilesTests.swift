@testable import EventLabShell
import EventLabTestSupport
import Foundation
import Testing

@Suite("The lessons in lessons/ verify, and fit a terminal")
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

    @Test("each lesson verifies: its goals unmet at each step's start, met after its solution and exactly at its Try's last command", arguments: files)
    func verifies(file: String) throws {
        let lesson = try LessonParser.parse(String(contentsOf: Self.directory.appendingPathComponent(file), encoding: .utf8), fileName: file)
        let verification = try LessonVerifier().verify(lesson, file: file)
        #expect(verification.failure == nil, "\(verification.failure?.message ?? "")")
    }

    @Test("help about lessons names none of them, which `lesson list` shows as they are, so it cannot go stale")
    func helpNamesNoLesson() throws {
        let output = CapturedOutput()
        let shell = Shell(broker: makeBroker(.memory).0, logicalClock: nil, output: output)
        #expect(shell.execute("help lesson list"))
        #expect(shell.execute("help lesson"))
        let help = output.text.lowercased()
        for file in Self.files {
            // `01-the-log.md` is "the log", which help may say of Kafka itself.
            let topic = file.dropFirst(3).dropLast(3).split(separator: "-").filter { $0 != "the" }.joined(separator: " ")
            guard topic.contains(" ") || topic.count > 3 else { continue }
            #expect(!help.contains(topic), "help names lesson \(file)'s topic, \(topic): \(output.text)")
        }
    }

    @Test("each title fits its 80-column `lesson list` row")
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
        }
    }
}
