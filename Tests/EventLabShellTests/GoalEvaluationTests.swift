import EventLabCore
import EventLabShell
import EventLabTestSupport
import Testing

@Suite("Goals: checked against the broker's live state, saying what it holds and what the goal wants")
struct GoalEvaluationTests {
    @Test("on a fresh broker every example goal but the absent ones is unmet, with a sentence")
    func freshBroker() throws {
        let (broker, _) = makeBroker()
        for subject in GoalVocabulary.standard.subjects {
            for form in subject.forms {
                let result = try Goal.parse(form.example).evaluate(on: GoalWorld(broker: broker))
                #expect(result.met == (form.pattern == "absent"), "\(form.example): \(result.sentence)")
                let aboutExistence = form.pattern == "absent" || form.pattern == "exists"
                #expect(result.sentence.contains("; the goal is ") != aboutExistence, "\(form.example): \(result.sentence)")
                #expect(result.sentence.hasPrefix("\(subject.word) "), "\(form.example): \(result.sentence)")
            }
        }
    }

    @Test("a topic exists or is absent, and has its partitions", arguments: Backend.allCases)
    func topics(_ backend: Backend) throws {
        let state = try GoalState(backend)
        try state.unmet("topic orders exists", "topic orders does not exist")
        try state.met("topic orders absent", "topic orders does not exist")
        try state.unmet("topic orders partitions >= 3", "topic orders does not exist; the goal is at least 3 partitions")
        state.run("topic create orders --partitions 2")
        try state.met("topic orders exists", "topic orders exists")
        try state.unmet("topic orders absent", "topic orders exists; the goal is that it does not")
        try state.unmet("topic orders partitions >= 3", "topic orders has 2 partitions; the goal is at least 3")
        state.run("topic alter orders --partitions 3")
        try state.met("topic orders partitions >= 3", "topic orders has 3 partitions")
        try state.met("topic orders partitions == 3", "topic orders has 3 partitions")
        try state.unmet("topic orders partitions != 3", "topic orders has 3 partitions; the goal is anything but 3")
        try state.unmet("topic orders partitions < 3", "topic orders has 3 partitions; the goal is less than 3")
        try state.unmet("topic orders partitions > 3", "topic orders has 3 partitions; the goal is more than 3")
        try state.met("topic orders partitions <= 3", "topic orders has 3 partitions")
        state.run("topic delete orders")
        try state.met("topic orders absent", "topic orders does not exist")
    }

    @Test("records, per topic and per partition, and each partition's offsets", arguments: Backend.allCases)
    func records(_ backend: Backend) throws {
        let state = try GoalState(backend, "topic create orders --partitions 3")
        try state.unmet("topic orders records >= 1", "topic orders has 0 records; the goal is at least 1")
        state.run("publish orders key=o-1 one")
        try state.met("topic orders records >= 1", "topic orders has 1 record")
        state.run("publish orders key=o-4 two; publish orders key=o-3 three")
        try state.met("topic orders records == 3", "topic orders has 3 records")
        try state.met("topic orders p1 records == 2", "topic orders p1 has 2 records")
        try state.unmet("topic orders p2 records == 1", "topic orders p2 has 0 records; the goal is 1")
        try state.unmet("topic orders p7 records == 1", "topic orders has no p7: it has 3 partitions; the goal is 1 record in p7")
        try state.met("topic orders p1 end-offset == 2", "topic orders p1 ends at offset 2")
        try state.unmet("topic orders p1 start-offset > 0", "topic orders p1 starts at offset 0; the goal is more than 0")
        try state.unmet("topic nope p0 end-offset == 0", "topic nope does not exist; the goal is end offset 0 on p0")
    }

    @Test("retention removes whole segments: records, segments and the log start follow", arguments: Backend.allCases)
    func retention(_ backend: Backend) throws {
        let state = try GoalState(backend, "topic create events --segment-records 2 --retention 1h")
        state.run("publish events e0; publish events e1; publish events e2; publish events e3; publish events e4")
        try state.met("topic events segments >= 3", "topic events has 3 segments")
        try state.met("topic events p0 segments == 3", "topic events p0 has 3 segments")
        try state.unmet("topic events p0 start-offset > 0", "topic events p0 starts at offset 0; the goal is more than 0")
        state.run("clock advance 2h; retention run events")
        try state.met("topic events p0 start-offset > 0", "topic events p0 starts at offset 5")
        try state.met("topic events records == 0", "topic events has 0 records")
        try state.met("topic events segments == 1", "topic events has 1 segment")
    }

    @Test("keys: how many records a key has and how many partitions hold them, before and after adding partitions", arguments: Backend.allCases)
    func keys(_ backend: Backend) throws {
        let state = try GoalState(backend, "topic create orders --partitions 2")
        try state.unmet("topic orders key o-2 records >= 3", "topic orders has 0 records with key o-2; the goal is at least 3")
        try state.unmet("topic orders key o-2 partitions == 1", "topic orders has no records with key o-2; the goal is 1")
        state.run("publish orders key=o-2 a; publish orders key=o-2 b; publish orders key=o-2 c; publish orders key='o 2' d")
        try state.met("topic orders key o-2 records >= 3", "topic orders has 3 records with key o-2")
        try state.met("topic orders key 'o 2' records == 1", "topic orders has 1 record with key o 2")
        try state.met("topic orders key o-2 partitions == 1", "topic orders has key o-2 in 1 partition (p1)")
        // murmur2 puts o-2 on p1 of two partitions and on p0 of three.
        state.run("topic alter orders --partitions 3; publish orders key=o-2 d")
        try state.met("topic orders key o-2 partitions == 2", "topic orders has key o-2 in 2 partitions (p0, p1)")
        try state.unmet("topic orders key o-2 partitions == 1", "topic orders has key o-2 in 2 partitions (p0, p1); the goal is 1")
    }

    @Test("compaction: tombstones, one record per key, and the cleaner removing tombstones", arguments: Backend.allCases)
    func compaction(_ backend: Backend) throws {
        let state = try GoalState(
            backend, "topic create customers --compact --segment-records 2 --delete-retention 0s",
            "publish customers key=c-1 Ann; publish customers key=c-2 Bob; publish customers key=c-1 'Ann B.'",
            "publish customers key=c-2 --tombstone; publish customers key=c-3 Cy")
        try state.unmet("topic customers key c-1 records == 1", "topic customers has 2 records with key c-1; the goal is 1")
        try state.unmet("topic customers tombstones == 0", "topic customers has 1 tombstone; the goal is 0")
        state.run("compaction run customers")
        try state.met("topic customers key c-1 records == 1", "topic customers has 1 record with key c-1")
        try state.met("topic customers records == 3", "topic customers has 3 records")
        try state.unmet("topic customers tombstones == 0", "topic customers has 1 tombstone; the goal is 0")
        state.run("compaction run customers --force")
        try state.met("topic customers tombstones == 0", "topic customers has 0 tombstones")
        try state.met("topic customers key c-2 records == 0", "topic customers has 0 records with key c-2")
        // A lesson resumes on its workspace: the goals read the same log after a restart.
        try state.reopen()
        try state.met("topic customers records == 2", "topic customers has 2 records")
        try state.met("topic customers key c-1 records == 1", "topic customers has 1 record with key c-1")
    }

    @Test("a topic config, compared in the spelling the topic reads back", arguments: Backend.allCases)
    func configs(_ backend: Backend) throws {
        let state = try GoalState(backend, "topic create users")
        try state.unmet("topic users config cleanup.policy == compact", "topic users has cleanup.policy delete; the goal is compact")
        try state.met("topic users config cleanup.policy != compact", "topic users has cleanup.policy delete")
        state.run("topic alter users --cleanup compact,delete")
        try state.met("topic users config cleanup.policy == delete,compact", "topic users has cleanup.policy compact,delete")
        try state.unmet("topic users config cleanup.policy != compact,delete", "topic users has cleanup.policy compact,delete; the goal is anything but compact,delete")
        try state.met("topic users config retention.ms == 604800000", "topic users has retention.ms 604800000")
        try state.unmet("topic none config retention.ms == -1", "topic none does not exist; the goal is retention.ms -1")
    }

    @Test("a group: existing, its committed offsets and lag, in total, per topic and per partition", arguments: Backend.allCases)
    func lag(_ backend: Backend) throws {
        let state = try GoalState(backend, "topic create orders --partitions 2", "publish orders --repeat 6 --partitioner round-robin v{n}")
        try state.unmet("group billing exists", "group billing does not exist")
        try state.met("group billing absent", "group billing does not exist")
        try state.unmet("group billing lag == 0", "group billing does not exist; the goal is lag 0")
        state.run("consume orders --group billing --max 2")
        try state.met("group billing exists", "group billing exists")
        try state.unmet("group billing absent", "group billing exists; the goal is that it does not")
        try state.unmet("group billing lag == 0", "group billing has lag 4; the goal is 0")
        try state.met("group billing lag on orders > 0", "group billing has lag 4 on orders")
        try state.unmet("group billing lag on payments == 0", "group billing has committed no offsets on payments yet; the goal is lag 0")
        try state.met("group billing offset on orders p0 == 2", "group billing has committed offset 2 on orders p0")
        try state.unmet("group billing lag on orders p0 == 0", "group billing has lag 1 on orders p0; the goal is 0")
        state.run("consume orders --group billing")
        try state.met("group billing lag == 0", "group billing has lag 0")
        try state.met("group billing offset on orders p1 >= 3", "group billing has committed offset 3 on orders p1")
        state.run("group reset billing --topic orders:1 --to earliest --execute")
        try state.unmet("group billing offset on orders p1 > 0", "group billing has committed offset 0 on orders p1; the goal is more than 0")
        try state.met("group billing lag on orders p1 == 3", "group billing has lag 3 on orders p1")
        try state.unmet("group audit offset on orders p0 == 0", "group audit does not exist; the goal is committed offset 0 on orders p0")
    }

    @Test("a group's state and members, and an idle member when members outnumber partitions", arguments: Backend.allCases)
    func members(_ backend: Backend) throws {
        let state = try GoalState(backend, "topic create orders --partitions 2")
        try state.unmet("group billing state == Stable", "group billing does not exist; the goal is state Stable")
        try state.members(3, group: "billing", topic: "orders")
        try state.met("group billing state == stable", "group billing is Stable")
        try state.unmet("group billing state != Stable", "group billing is Stable; the goal is anything but Stable")
        try state.met("group billing members == 3", "group billing has 3 members")
        try state.met("group billing idle members == 1", "group billing has 1 idle member (3 members, 2 partitions assigned)")
        try state.unmet("group billing idle members == 0", "group billing has 1 idle member (3 members, 2 partitions assigned); the goal is 0")
        try state.unmet("group billing lag == 0", "group billing has committed no offsets yet; the goal is lag 0")
        state.run("consume orders --group audit")
        try state.met("group audit state == Empty", "group audit is Empty")
        try state.unmet("group audit state == Stable", "group audit is Empty; the goal is Stable")
        try state.unmet("group audit members >= 1", "group audit has 0 members; the goal is at least 1")
        try state.met("group audit lag == 0", "group audit has lag 0")
    }
}
