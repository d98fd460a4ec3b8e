import EventLabCore
import EventLabShell
import EventLabTestSupport
import Testing

/// A subject as a later module would add one, without touching the goal reader: a service
/// counts as running while its topic `NAME-events` exists.
private enum ServiceGoals: GoalSubject {
    static let word = "service"
    static let name = GoalSlot("NAME", expects: "a service name, such as billing") { word throws(GoalWordProblem) in word }
    static let forms = [
        GoalForm(["running"], meaning: "The service runs.", example: "service billing running") { goal, broker in
            broker.topics().contains { $0.name == "\(goal.name)-events" }
                ? GoalResult(met: true, "service \(goal.name) is running")
                : GoalResult(met: false, "service \(goal.name) is not running")
        },
    ]
}

@Suite("Goals: a vocabulary that later subjects extend")
struct GoalVocabularyTests {
    let extended = GoalVocabulary(subjects: GoalVocabulary.standardSubjects + [ServiceGoals.self])

    @Test("a subject added to the vocabulary is read, listed and checked beside the standard ones")
    func addedSubject() throws {
        let (broker, _) = makeBroker()
        let goal = try Goal.parse("service billing running", vocabulary: extended)
        #expect(goal.evaluate(on: broker) == GoalResult(met: false, "service billing is not running"))
        try broker.createTopic("billing-events", partitions: 1)
        #expect(goal.evaluate(on: broker) == GoalResult(met: true, "service billing is running"))
        #expect(try Goal.parse("topic billing-events exists", vocabulary: extended).evaluate(on: broker).met)
        #expect(throws: GoalError(column: 1, "'servise' is not something a goal checks (did you mean 'service'?): a goal starts with topic, group or service")) {
            try Goal.parse("servise billing running", vocabulary: extended)
        }
        #expect(throws: GoalError(column: 17, "unexpected 'runing' after `service billing` (did you mean 'running'?): expected running")) {
            try Goal.parse("service billing runing", vocabulary: extended)
        }
    }

    @Test("without it, the standard vocabulary refuses the subject")
    func standardRefuses() {
        #expect(throws: GoalError(column: 1, "'service' is not something a goal checks: a goal starts with topic or group")) {
            try Goal.parse("service billing running")
        }
    }

    @Test("a subject's word reads in any case, and goals of the same text are equal")
    func sameGoals() throws {
        #expect(try Goal.parse("Topic orders exists").text == "Topic orders exists")
        #expect(try Goal.parse("group billing lag == 0") == Goal.parse("group billing lag == 0"))
        #expect(try Goal.parse("group billing lag == 0") != Goal.parse("group billing lag == 1"))
    }
}
