@testable import EventLabShell
import Foundation
import Testing

@Suite("lesson start N --step K says which manual steps before it were not replayed")
struct LessonReplayNoteTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/lessons/good/01-topics.md").path

    @Test("a manual step before the start is named, with how to take it again; none before, nothing is said")
    func manualStepsNamed() throws {
        let lesson = try LessonParser.parse(String(contentsOfFile: Self.fixture, encoding: .utf8), fileName: "01-topics.md")
        #expect(lesson.steps[2].isManual)
        #expect(LessonRunner.notReplayed(lesson, before: 3)
            == " Step 3 is manual and was not replayed: what its clients wrote is not here, so do it again (`lesson start 1 --step 3`), or start from step 1.")
        #expect(LessonRunner.notReplayed(lesson, before: 2) == "")
    }
}
