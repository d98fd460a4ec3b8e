/// Every command of the language, in the order `help` lists them.
public enum Catalog {
    static let topicConfigOptions: [OptionSpec] = [
        OptionSpec("--retention", .retention, help: "keep records for a time (7d), a size (10MB) or a count (1000records); `forever` keeps all"),
        OptionSpec("--cleanup", .choice(["delete", "compact", "compact,delete"]), help: "what cleaning does: delete old segments, keep the last record per key, or both"),
        OptionSpec("--segment-records", .number, help: "roll a segment after this many records (small values let you watch cleaning)"),
        OptionSpec("--segment-bytes", .size, help: "roll a segment before it passes this size"),
        OptionSpec("--segment-age", .duration, help: "roll a segment once it is this old"),
        OptionSpec("--delete-retention", .duration, help: "how long compaction keeps a tombstone"),
        OptionSpec("--max-message-bytes", .size, help: "the largest batch the topic accepts"),
    ]

    /// All commands.
    public static let commands: [CommandSpec] = CommandRegistry.standard.specs + [
        CommandSpec(
            path: ["publish"], arguments: [ArgumentSpec("TOPIC", .topic), ArgumentSpec("[key=KEY] VALUE", .text, optional: true, variadic: true)],
            options: [OptionSpec("--partition", .partition, help: "write to this partition instead of the key's"),
                      OptionSpec("--header", .keyValue, repeatable: true, help: "add a header (repeatable)"),
                      OptionSpec("--tombstone", help: "write a null value: on a compacted topic it deletes the key"),
                      OptionSpec("--repeat", .number, help: "publish N records (at most 10000000, 1GB in all); {n} in the key and value counts from 1")],
            summary: "Append a record and say where it landed.",
            teaches: "A record with a key goes to partition murmur2(key) mod partitions, as Java's producer does, so one key always lands in one partition and stays in order. A record without a key goes to the partitions in turn.",
            examples: [#"publish orders key=o-1 {"type":"OrderPlaced","total":42}"#, "publish orders --repeat 100 key=o-{n} {\"n\":{n}}"]),
        CommandSpec(
            path: ["consume"], arguments: [ArgumentSpec("TOPIC", .topic)],
            options: [OptionSpec("--group", .group, help: "read as a member of this consumer group, then commit and leave"),
                      OptionSpec("--from", .startPosition, help: "where to start (default: the group's committed offset, else beginning)"),
                      OptionSpec("--max", .number, help: "stop after this many records"),
                      OptionSpec("--partition", .partition, help: "read only this partition"),
                      OptionSpec("--follow", help: "keep waiting for new records until Ctrl-C (on a terminal)"),
                      OptionSpec("--headers", help: "print each record's headers")],
            summary: "Read records; --group reads as a member and commits.",
            teaches: "Reading never removes a record: a consumer only moves its own position. A group shares the partitions among its members and remembers where it stopped (the committed offset); lag is how far behind that is. Records are bytes from anyone: a newline, tab or control character in them is printed as \\n, \\t or \\x1b, a bidi control as \\u{202e}, a byte that is not UTF-8 as \\xff, so one record is always one line.",
            examples: ["consume orders --from beginning", "consume orders --group billing --max 10"]),
        CommandSpec(
            path: ["group", "list"], arguments: [], options: [],
            summary: "List consumer groups with their state, members and total lag.",
            teaches: "Each group keeps its own committed offsets, so two groups read the same topic independently.",
            examples: ["group list", "consume orders --group billing; group list"]),
        CommandSpec(
            path: ["group", "describe"], arguments: [ArgumentSpec("GROUP", .group)], options: [],
            summary: "Show a group's offsets and lag per partition.",
            teaches: "LAG = LOG-END-OFFSET − CURRENT-OFFSET: how many records the group has not processed yet.",
            examples: ["group describe billing", "group describe shipping"]),
        CommandSpec(
            path: ["group", "reset"], arguments: [ArgumentSpec("GROUP", .group)],
            options: [OptionSpec("--to", .resetTarget, help: "where to move the committed offsets"),
                      OptionSpec("--topic", .topic, help: "only this topic's offsets"),
                      OptionSpec("--execute", help: "apply the change (without it, only show it, as Kafka's tool does)")],
            summary: "Move a group's offsets to replay or skip records.",
            teaches: "Replaying is moving a position back: the records are still in the log. Kafka only lets you move an idle group's offsets, so a running member does not overwrite them.",
            examples: ["group reset billing --to earliest", "group reset billing --to shift -2 --execute"]),
        CommandSpec(
            path: ["show", "topic"], arguments: [ArgumentSpec("TOPIC", .topic)], options: [],
            summary: "Draw a topic: offsets, segments, groups and lag.",
            teaches: "Offsets are per partition; each group's marker shows where it would read next, and the gap to the end is its lag.",
            examples: ["show topic orders", "show orders"]),
        CommandSpec(
            path: ["show", "group"], arguments: [ArgumentSpec("GROUP", .group)], options: [],
            summary: "Draw a group: members, partitions, offsets, lag.",
            teaches: "Each partition belongs to one member of the group at a time; that is how a group shares work without reading a record twice.",
            examples: ["show group billing", "show billing"]),
        CommandSpec(
            path: ["show", "log"], arguments: [ArgumentSpec("TOPIC", .topic), ArgumentSpec("PARTITION", .partition, optional: true)], options: [],
            summary: "Draw a partition's segments, gaps and retention.",
            teaches: "A partition is a list of segment files. Retention deletes whole old segments; compaction rewrites them keeping the last record per key; the active (last) segment is never cleaned.",
            examples: ["show log orders 0", "show log customers"]),
        CommandSpec(
            path: ["retention", "run"], arguments: [ArgumentSpec("TOPIC", .topic, optional: true)], options: [],
            summary: "Run retention now: delete closed segments past the limits.",
            teaches: "Retention works on whole closed segments only, so a record can outlive its retention time until its segment closes.",
            examples: ["retention run orders", "clock advance 8d; retention run"]),
        CommandSpec(
            path: ["compaction", "run"], arguments: [ArgumentSpec("TOPIC", .topic, optional: true)], options: [],
            summary: "Run compaction now: keep the last record per key.",
            teaches: "Compaction keeps each key's latest value and drops older ones, but keeps offsets, so gaps appear. Tombstones (null values) delete a key after delete.retention.",
            examples: ["compaction run customers", "compaction run"]),
        CommandSpec(
            path: ["clock"], arguments: [], options: [],
            summary: "Show the broker clock.",
            teaches: "Record timestamps, retention and compaction all read this clock; in lessons it is logical and moves only when you say so.",
            examples: ["clock", "clock advance 8d"]),
        CommandSpec(
            path: ["clock", "advance"], arguments: [ArgumentSpec("DURATION", .duration)], options: [],
            summary: "Move the logical clock forward; due cleaning runs after.",
            teaches: "Time-based retention only acts when time passes and a cleaning runs. The clock goes up to 9999-12-31T23:59:59.999Z, the last time ISO 8601 writes with four digits.",
            examples: ["clock advance 8d", "clock advance 1h30m"]),
        CommandSpec(
            path: ["explain", "key"], arguments: [ArgumentSpec("KEY", .text), ArgumentSpec("TOPIC", .topic)], options: [],
            summary: "Show which partition a key goes to, and why.",
            teaches: "The partition is murmur2(key bytes) & 0x7fffffff mod the partition count: the same in EventLab and in Kafka's Java producer.",
            examples: ["explain key o-1 orders", "explain key customer-42 customers"]),
        CommandSpec(
            path: ["listen"], arguments: [ArgumentSpec("PORT", .number, optional: true)], options: [],
            summary: "Serve this broker to real Kafka clients on 127.0.0.1.",
            teaches: "EventLab speaks Kafka's wire protocol: kcat, kafka-python, confluent-kafka and your own apps can produce and consume here while you watch their topics, groups and lag with `show`.",
            examples: ["listen", "listen 19092"]),
        CommandSpec(
            path: ["listen", "stop"], arguments: [], options: [],
            summary: "Stop serving Kafka clients.",
            teaches: "Clients lose their connection; their committed offsets stay.",
            examples: ["listen stop", "listen; listen stop"]),
        CommandSpec(
            path: ["workspace", "reset"], arguments: [], options: [OptionSpec("--yes", help: "do not ask for confirmation (needed without a terminal)")],
            summary: "Delete every topic and group offset in this workspace.",
            teaches: "A fresh start: nothing else in Kafka resets this way.",
            examples: ["workspace reset", "workspace reset --yes"]),
        CommandSpec(
            path: ["source"], arguments: [ArgumentSpec("FILE", .file)], options: [],
            summary: "Run the commands in a file, stopping at the first error.",
            teaches: "Scripts make a session repeatable.",
            examples: ["source examples/orders.txt", "source examples/orders.txt; show orders"]),
        CommandSpec(
            path: ["help"], arguments: [ArgumentSpec("COMMAND", .text, optional: true, variadic: true)], options: [],
            summary: "List the commands, or explain one with examples.",
            teaches: "Every command says what it teaches.",
            examples: ["help", "help publish"]),
        CommandSpec(
            path: ["exit"], arguments: [], options: [],
            summary: "Leave EventLab (Ctrl-D does the same).",
            teaches: "The workspace keeps everything for next time.",
            examples: ["exit", "quit"]),
    ]

    /// Old words that still run the command that replaced them, with a note saying the new
    /// words: `broker` is kept free for naming one broker of a cluster (`broker stop N`).
    static let renamed: [(old: [String], new: [String])] = [
        (["broker", "listen"], ["listen"]),
        (["broker", "stop"], ["listen", "stop"]),
    ]

    /// `show`'s rule for names, which `help show` states.
    static let showNames = "`show NAME` draws the topic or group called NAME. A word `show` takes as a subcommand (topic, group, log, and those added later) always means the subcommand, so for a topic or group with such a name say `show topic NAME` or `show group NAME`: those always work, whatever the name."

    /// The first words of all commands, sorted.
    public static var commandWords: [String] {
        Array(Set(commands.map { $0.path[0] } + ["quit"])).sorted()
    }

    /// The commands whose first word is `word`.
    static func family(_ word: String) -> [CommandSpec] {
        commands.filter { $0.path[0] == word }
    }
}
