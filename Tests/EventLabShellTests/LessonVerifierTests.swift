import EventLabShell
import Foundation
import Testing

@Suite("A lesson verified: each step's goals unmet at its start and met after its solution")
struct LessonVerifierTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/lessons").path

    /// The fixture lesson at `path` under Tests/Fixtures/lessons, verified.
    func verify(_ path: String) throws -> LessonVerification {
        let file = Self.directory + "/" + path
        let lesson = try LessonParser.parse(try String(contentsOfFile: file, encoding: .utf8), fileName: file)
        return try LessonVerifier().verify(lesson, file: file)
    }

    @Test("a lesson whose steps work passes on the logical clock (its setup advances it), its manual step skipped and counted, twice from a fresh state")
    func passes() throws {
        for _ in 1...2 {
            let verification = try verify("good/01-topics.md")
            #expect(verification.failure == nil)
            #expect(verification.summary == "3 steps checked, 1 manual skipped")
        }
    }

    @Test("goals over services, aggregates, projections and tables are checked on the lesson's flows")
    func flowGoals() throws {
        let verification = try verify("flows/01-notification.md")
        #expect(verification.failure == nil)
        #expect(verification.summary == "3 steps checked")
    }

    @Test("a goal already met when its step starts fails, naming the lesson, the step and the goal")
    func alreadyMet() throws {
        let verification = try verify("bad/01-already-met.md")
        #expect(verification.checkedSteps == 1)
        #expect(verification.failure == LessonFailure(
            step: 2, line: 17,
            "lesson 01-already-met step 2 'Three partitions': goal `topic orders partitions == 3` is already met when the step starts: topic orders has 3 partitions"))
    }

    @Test("a solution that does not reach its goal fails with what the broker holds and what the goal wants")
    func notReached() throws {
        let verification = try verify("bad/02-not-reached.md")
        #expect(verification.checkedSteps == 0)
        #expect(verification.failure == LessonFailure(
            step: 1, line: 7,
            "lesson 02-not-reached step 1 'Publish': goal `topic orders records >= 3` is not met after its solution runs: topic orders has 2 records; the goal is at least 3"))
    }

    @Test("a Try whose goals hold before its last command fails at that command: the runner would move on there")
    func tryStopsEarly() throws {
        let verification = try verify("bad/07-try-stops-early.md")
        #expect(verification.failure == LessonFailure(
            step: 1, line: 11,
            "lesson 07-try-stops-early step 1 'Publish': the goals are met after the Try command `publish orders one`, before the last: the runner moves to the next step there, so the Try commands after it are never typed"))
    }

    @Test("a Try that does not reach the goals its solution reaches fails, with what a learner is left with and the command that failed")
    func tryFallsShort() throws {
        let verification = try verify("bad/08-try-falls-short.md")
        #expect(verification.failure == LessonFailure(
            step: 1, line: 11,
            "lesson 08-try-falls-short step 1 'Publish': goal `topic orders records >= 1` is not met after the step's Try commands, so a learner who types what the step shows is stuck: topic orders has 0 records; the goal is at least 1 (the Try command `publish order one` failed: topic 'order' does not exist (topics: orders))"))
    }

    @Test("a Try line wider than a step shows it on an 80-column terminal fails, with its width and the limit")
    func longTry() throws {
        let failure = try #require(try verify("bad/09-long-try.md").failure)
        #expect(failure.line == 10)
        #expect(failure.message.hasSuffix("topic create orders --partitions 1 --config retention.ms=604800000 --config segment.bytes=1048576` is 97 characters: a step shows it indented by four, so on an 80-column terminal keep it to 76"))
    }

    @Test("a step taken as `lesson start N --step K` takes it, in a new session, must still reach its goals: a count of this session across steps does not")
    func sessionCount() throws {
        let verification = try verify("bad/10-session-count.md")
        #expect(verification.checkedSteps == 1)
        #expect(verification.failure == LessonFailure(
            step: 2, line: 38,
            "lesson 10-session-count step 2 'Two': taken as `lesson start 10 --step 2` takes it (the steps before replayed, the flows restored in a new session), its Try commands do not reach goal `service billing emitted == 2`: service billing has emitted 1 record; the goal is 2; a count of what a session did (emitted, accepted, rejected) starts again at 0 there, so such a goal should count only what its own step does"))
    }

    @Test("a solution command that fails names the command and its error")
    func failingCommand() throws {
        let failure = try #require(try verify("bad/03-failing-command.md").failure)
        #expect(failure.step == 1)
        #expect(failure.line == 12)
        #expect(failure.message.hasPrefix("lesson 03-failing-command step 1 'Publish': solution command `publish orders one` failed: topic 'orders' does not exist"))
    }

    @Test("a setup command that fails names the command and its error, before any step")
    func failingSetup() throws {
        let failure = try #require(try verify("bad/04-failing-setup.md").failure)
        #expect(failure == LessonFailure(
            step: nil, line: 8,
            "lesson 04-failing-setup setup: command `topic create orders --partitions 0` failed: --partitions must be at least 1, not 0"))
    }

    @Test("a goal outside the vocabulary is an error with the file and the goal's line, before anything runs")
    func badGoal() throws {
        let file = Self.directory + "/bad/05-bad-goal.md"
        #expect {
            try verify("bad/05-bad-goal.md")
        } throws: { error in
            guard let error = error as? LessonError else { return false }
            return error.file == file && error.line == 9
                && error.message.hasPrefix("in the goal `topic orders partition == 3`, at its column 14: unexpected 'partition'")
        }
    }

    @Test("manual steps are never run: a lesson of only a manual step checks none and passes")
    func onlyManual() throws {
        let lesson = try LessonParser.parse("""
            # Outside

            Only a client outside.

            ## Listen

            Manual: run kcat.

            Solution:

            ```
            topic delete nothing-here
            ```
            """, fileName: "07-outside.md")
        let verification = try LessonVerifier().verify(lesson, file: "07-outside.md")
        #expect(verification.failure == nil)
        #expect(verification.summary == "0 steps checked, 1 manual skipped")
    }
}
