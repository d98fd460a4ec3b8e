import EventLabCore
import EventLabShell
import EventLabTestSupport
import Testing

/// A subject as a later module would add one, without touching the goal reader: a connector
/// counts as running while its topic `NAME-events` exists.
private enum ConnectorGoals: GoalSubject {
    static let word = "connector"
    static let name: GoalSlot? = GoalSlot("NAME", expects: "a connector name, such as billing") { word throws(GoalWordProblem) in word }
    static let forms = [
        GoalForm(["running"], meaning: "The service runs.", example: "connector billing running") { goal, broker in
            broker.topics().contains { $0.name == "\(goal.name)-events" }
                ? GoalResult(met: true, "connector \(goal.name) is running")
                : GoalResult(met: false, "connector \(goal.name) is not running")
        },
    ]
}

@Suite("Goals: a vocabulary that later subjects extend")
struct GoalVocabularyTests {
    let extended = GoalVocabulary(subjects: GoalVocabulary.standardSubjects + [ConnectorGoals.self])

    @Test("a subject added to the vocabulary is read, listed and checked beside the standard ones")
    func addedSubject() throws {
        let (broker, _) = makeBroker()
        let goal = try Goal.parse("connector billing running", vocabulary: extended)
        #expect(goal.evaluate(on: GoalWorld(broker: broker)) == GoalResult(met: false, "connector billing is not running"))
        try broker.createTopic("billing-events", partitions: 1)
        #expect(goal.evaluate(on: GoalWorld(broker: broker)) == GoalResult(met: true, "connector billing is running"))
        #expect(try Goal.parse("topic billing-events exists", vocabulary: extended).evaluate(on: GoalWorld(broker: broker)).met)
        #expect(throws: GoalError(column: 1, "'conector' is not something a goal checks (did you mean 'connector'?): a goal starts with topic, group, service, table, aggregate, command, projection, flow, broker, cluster or connector")) {
            try Goal.parse("conector billing running", vocabulary: extended)
        }
        #expect(throws: GoalError(column: 19, "unexpected 'runing' after `connector billing` (did you mean 'running'?): expected running")) {
            try Goal.parse("connector billing runing", vocabulary: extended)
        }
    }

    @Test("without it, the standard vocabulary refuses the subject")
    func standardRefuses() {
        #expect(throws: GoalError(column: 1, "'connector' is not something a goal checks: a goal starts with topic, group, service, table, aggregate, command, projection, flow, broker or cluster")) {
            try Goal.parse("connector billing running")
        }
    }

    @Test("a subject's word reads in any case, and goals of the same text are equal")
    func sameGoals() throws {
        #expect(try Goal.parse("Topic orders exists").text == "Topic orders exists")
        #expect(try Goal.parse("group billing lag == 0") == Goal.parse("group billing lag == 0"))
        #expect(try Goal.parse("group billing lag == 0") != Goal.parse("group billing lag == 1"))
    }
}
