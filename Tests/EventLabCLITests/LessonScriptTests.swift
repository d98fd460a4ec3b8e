import EventLabTestSupport
import Foundation
import Testing

@Suite("Lessons in the eventlab program: found from the repository, taken in a script, resumed in the next run")
struct LessonScriptTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/lessons/runner").path

    @Test("a piped script takes a lesson on its own workspace; the next run resumes it with its state, the playground untouched")
    func resumedInNextRun() throws {
        let home = temporaryDirectory("eventlab-lesson-home")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let environment = ["EVENTLAB_LESSONS": Self.fixtures, "XDG_STATE_HOME": home + "/state"]
        let arguments = ["--data", home + "/playground"]
        let first = try EventLabRun.run(arguments, input: "topic create mine\nlesson start 1\ntopic create orders --partitions 3\n", environment: environment)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("✓ topic orders has 3 partitions\nStep 1 of 4 done."))
        let second = try EventLabRun.run(arguments, input: "lesson start 1\ntopic list\nlesson exit\ntopic list\n", environment: environment)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("You were at lesson 1, step 2: your lesson workspace is as you left it."))
        let lists = second.stdout.components(separatedBy: "Left lesson 1 at step 2")
        #expect(lists.count == 2)
        #expect(lists[0].contains("orders") && lists[0].contains("audit") && !lists[0].contains("mine"))
        #expect(lists[1].contains("mine") && !lists[1].contains("orders"))
    }

    @Test("without EVENTLAB_LESSONS the lessons are the repository's, found from the executable")
    func repositoryLessons() throws {
        let result = try EventLabRun.run(["--memory", "-c", "lesson list"])
        #expect(result.status == 0, "\(result.stderr)")
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        #expect(result.stdout.contains("Lessons in \(repository.path)/lessons"))
        #expect(result.stdout.contains("1  the-log"))
    }

    @Test("no lessons found is said, naming where they were looked for")
    func noneFound() throws {
        let result = try EventLabRun.run(["--memory", "-c", "lesson list"], environment: ["EVENTLAB_LESSONS": "/nonexistent/lessons"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("error at line 1: no lessons found (looked in $EVENTLAB_LESSONS (/nonexistent/lessons)): set EVENTLAB_LESSONS"))
    }
}
