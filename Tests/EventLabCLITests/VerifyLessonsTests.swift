import Foundation
import Testing

/// `eventlab verify` on the lessons in Tests/Fixtures/lessons: `good/` passes, each of `bad/`
/// fails one way.
@Suite("eventlab verify on lessons")
struct VerifyLessonsTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").path
    static let good = fixtures + "/lessons/good"
    static let bad = fixtures + "/lessons/bad"

    @Test("a directory of lessons passes with exit 0; its README.md is skipped")
    func passes() throws {
        let result = try EventLabRun.run(["verify", Self.good])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr == "")
        #expect(result.stdout == """
            passed   \(Self.good)/01-topics.md  (3 steps checked, 1 manual skipped)
            1 passed, 0 failed

            """)
    }

    @Test("a lesson whose goals are over services, aggregates, projections and tables passes")
    func flowGoals() throws {
        let lesson = Self.fixtures + "/lessons/flows/01-notification.md"
        let result = try EventLabRun.run(["verify", lesson])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout == "passed   \(lesson)  (3 steps checked)\n1 passed, 0 failed\n")
    }

    @Test("transcripts and lessons verify together, under one summary")
    func withTranscripts() throws {
        let result = try EventLabRun.run(["verify", Self.fixtures + "/transcripts", Self.good + "/01-topics.md"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("passed   \(Self.good)/01-topics.md  (3 steps checked, 1 manual skipped)\n"))
        #expect(result.stdout.hasSuffix("3 passed, 0 failed\n"))
    }

    @Test("a goal already met when its step starts is exit 1, naming the file, line, lesson, step and goal")
    func alreadyMet() throws {
        let file = Self.bad + "/01-already-met.md"
        let result = try EventLabRun.run(["verify", file])
        #expect(result.status == 1)
        #expect(result.stdout == """
            \(file):17: lesson 01-already-met step 2 'Three partitions': goal `topic orders partitions == 3` is already met when the step starts: topic orders has 3 partitions
            FAILED   \(file)  (step 2 of 2 failed; 1 step checked before it)
            0 passed, 1 failed

            """)
    }

    @Test("a solution that does not reach its goal is exit 1, saying what the broker holds")
    func notReached() throws {
        let file = Self.bad + "/02-not-reached.md"
        let result = try EventLabRun.run(["verify", file])
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("""
            \(file):7: lesson 02-not-reached step 1 'Publish': goal `topic orders records >= 3` is not met after its solution runs: topic orders has 2 records; the goal is at least 3
            FAILED   \(file)  (step 1 of 1 failed; 0 steps checked before it)
            """))
    }

    @Test("a failing setup command is exit 1 naming it")
    func failingSetup() throws {
        let file = Self.bad + "/04-failing-setup.md"
        let result = try EventLabRun.run(["verify", file])
        #expect(result.status == 1)
        #expect(result.stdout.contains("\(file):8: lesson 04-failing-setup setup: command `topic create orders --partitions 0` failed: --partitions must be at least 1, not 0\n"))
        #expect(result.stdout.contains("FAILED   \(file)  (its setup failed; 0 steps checked before it)\n"))
    }

    @Test("a goal that does not parse and a malformed lesson are exit 2, with the file and line")
    func malformed() throws {
        let goal = try EventLabRun.run(["verify", Self.bad + "/05-bad-goal.md"])
        #expect(goal.status == 2)
        #expect(goal.stderr.hasPrefix("error: \(Self.bad)/05-bad-goal.md:9: in the goal `topic orders partition == 3`, at its column 14:"))
        let lesson = try EventLabRun.run(["verify", Self.bad + "/06-malformed.md"])
        #expect(lesson.status == 2)
        #expect(lesson.stderr == "error: \(Self.bad)/06-malformed.md:5: step `Make a topic` has no solution: add `Solution:` and a fence holding the commands that reach its goals\n")
        #expect(lesson.stdout == "0 passed, 1 failed\n")
    }

    @Test("a directory of bad lessons verifies every one: exit 2 when one is malformed, every failure counted")
    func everyBadLesson() throws {
        let result = try EventLabRun.run(["verify", Self.bad])
        #expect(result.status == 2)
        #expect(result.stdout.components(separatedBy: "FAILED   ").count == 9)
        #expect(result.stdout.hasSuffix("0 passed, 10 failed\n"))
    }

    @Test("--update with only lessons says it rewrites transcripts only, and verifies them as they are")
    func updateOnlyLessons() throws {
        let result = try EventLabRun.run(["verify", "--update", Self.good])
        #expect(result.status == 0)
        #expect(result.stderr == "note: --update rewrites transcripts only; lessons are verified as they are, never rewritten\n")
        #expect(result.stdout.hasSuffix("1 passed, 0 failed, 0 updated\n"))
        let mixed = try EventLabRun.run(["verify", "--update", Self.fixtures + "/transcripts", Self.good])
        #expect(mixed.status == 0)
        #expect(mixed.stderr == "")
    }

    @Test("a directory with neither transcripts nor lessons is a bad argument")
    func emptyDirectory() throws {
        let result = try EventLabRun.run(["verify", Self.fixtures + "/lessons"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("holds no transcripts (*.txt files) or lessons (NN-slug.md files): nothing to verify there"))
    }
}
