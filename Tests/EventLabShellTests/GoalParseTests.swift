import EventLabShell
import Foundation
import Testing

/// A goal's text that must be refused, and where and with what words.
private struct BadGoal: CustomTestStringConvertible, Sendable {
    let text: String
    let column: Int
    let message: String
    var testDescription: String { text.isEmpty ? "(empty)" : text }
}

private let badGoals: [BadGoal] = [
    ("", 1, "a goal is empty: start it with topic, group, service, table, aggregate, command, projection, flow, broker or cluster, such as `group billing lag == 0`"),
    ("topik orders exists", 1, "'topik' is not something a goal checks (did you mean 'topic'?): a goal starts with topic, group, service, table, aggregate, command, projection, flow, broker or cluster"),
    ("lesson 1 done", 1, "'lesson' is not something a goal checks: a goal starts with topic, group, service, table, aggregate, command, projection, flow, broker or cluster"),
    ("topic", 6, "`topic` needs a name next: a topic name, such as orders, as in `topic orders exists`"),
    ("topic a/b exists", 7, "topic name 'a/b' contains '/': only a-z A-Z 0-9 . _ - are allowed"),
    ("topic orders partitons == 3", 14,
     "unexpected 'partitons' after `topic orders` (did you mean 'partitions'?): expected one of exists, absent, partitions, records, a partition such as p0, segments, tombstones, key or config"),
    ("topic orders", 13,
     "`topic orders` ends too soon: next comes exists, absent, partitions, records, a partition such as p0, segments, tombstones, key or config"),
    ("topic orders partitions", 24, "`topic orders partitions` ends too soon: next comes an operator (==, !=, <, <=, >, >=)"),
    ("topic orders partitions = 3", 25, "'=' is not an operator: write one of == != < <= > >="),
    ("topic orders partitions == three", 28, "'three' is not a whole number of 0 or more, such as 3"),
    ("topic orders partitions >= -1", 28, "'-1' is not a whole number of 0 or more, such as 3"),
    ("topic orders exists now", 21, "unexpected 'now' after `topic orders exists`: expected the end of the goal"),
    ("topic orders p0 start-ofset > 0", 17,
     "unexpected 'start-ofset' after `topic orders p0` (did you mean 'start-offset'?): expected one of records, start-offset, end-offset, segments, leader, replicas, isr or high-watermark"),
    ("topic orders 0 records == 1", 14,
     "unexpected '0' after `topic orders`: expected one of exists, absent, partitions, records, a partition such as p0, segments, tombstones, key or config"),
    ("topic orders key 'o 1 records == 1", 18, "the quote ' is not closed: close it with '"),
    ("topic users config cleanup.polcy == compact", 20, "cleanup.polcy is not a topic config: did you mean cleanup.policy?"),
    ("topic users config cleanup.policy == purge", 38, "cleanup.policy=purge has 'purge': give delete, compact or compact,delete"),
    ("topic users config cleanup.policy > compact", 35, "'>' does not compare words: write == or !="),
    ("group billing lag == 0 now", 24, "unexpected 'now' after `group billing lag == 0`: expected the end of the goal"),
    ("group billing lag on", 21, "`group billing lag on` ends too soon: next comes a topic name, such as orders"),
    ("group billing lag on orders p0", 31, "`group billing lag on orders p0` ends too soon: next comes an operator (==, !=, <, <=, >, >=)"),
    ("group billing state == stabel", 24,
     "'stabel' is not a group state (did you mean 'Stable'?): write Empty, PreparingRebalance, CompletingRebalance or Stable"),
    ("group billing idle == 1", 20, "unexpected '==' after `group billing idle`: expected members"),
    ("group billing lagg == 0", 15,
     "unexpected 'lagg' after `group billing` (did you mean 'lag'?): expected one of exists, absent, state, members, idle, lag or offset"),
].map { BadGoal(text: $0.0, column: $0.1, message: $0.2) }

@Suite("Goals: a teacher's line of text read as a goal, or refused saying where and what would be right")
struct GoalParseTests {
    @Test("every form's example reads as a goal and keeps its text")
    func examplesParse() throws {
        for subject in GoalVocabulary.standard.subjects {
            for form in subject.forms {
                #expect(try Goal.parse(form.example).text == form.example)
            }
        }
    }

    @Test("a bad goal is refused at the word that is wrong, saying what would fit there", arguments: badGoals)
    fileprivate func refused(_ bad: BadGoal) {
        #expect(throws: GoalError(column: bad.column, bad.message)) { try Goal.parse(bad.text) }
    }

    @Test("spaces around and between words do not matter; quotes hold a key with spaces; states read in any case")
    func spellings() throws {
        #expect(try Goal.parse("  topic   orders  exists ").text == "  topic   orders  exists ")
        _ = try Goal.parse("topic orders key 'with space' records == 1")
        _ = try Goal.parse("topic orders key \"\" records == 0")
        _ = try Goal.parse("group billing state != empty")
        _ = try Goal.parse("topic orders PARTITIONS == 3")
    }

    @Test("an error's description names its column")
    func description() {
        #expect(GoalError(column: 7, "x").description == "column 7: x")
    }

    @Test("lessons/GOALS.md shows every form and its example")
    func documented() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("lessons/GOALS.md"), encoding: .utf8)
        for subject in GoalVocabulary.standard.subjects {
            for form in subject.forms {
                let shown = "`\(subject.word) \(subject.name.map { "\($0.placeholder) " } ?? "")\(form.pattern)`"
                #expect(text.contains(shown), "GOALS.md lacks \(shown)")
                #expect(text.contains("`\(form.example)`"), "GOALS.md lacks \(form.example)")
            }
        }
    }
}
