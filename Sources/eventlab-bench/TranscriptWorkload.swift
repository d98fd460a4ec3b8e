import EventLabShell

/// A transcript of a lesson-like session, for the verify figure: publishes (some with
/// `--repeat`), consumes with and without groups, `show` pictures and group commands, each with
/// the output it prints, as the recorder would write it.
enum TranscriptWorkload {
    /// The transcript's text: `commands` commands and their output.
    static func text(commands count: Int) throws -> String {
        let commands = (0..<count).map(command)
        let session = try TranscriptSession(settings: TranscriptSettings(), onDisk: false, opener: MemoryTranscriptWorkspace.opener)
        defer { session.close() }
        var transcript = Transcript()
        for (index, text) in commands.enumerated() {
            if index % 50 == 0 { transcript.items.append(.narration("Part \(index / 50 + 1) of the session.")) }
            transcript.items.append(.command(TranscriptCommand(text: text, expected: session.run(text).map(ExpectedLine.line))))
        }
        return TranscriptWriter.text(of: transcript)
    }

    /// The command at `index`: topics first, then a cycle of the commands a lesson uses.
    private static func command(_ index: Int) -> String {
        let topics = ["orders", "payments", "shipments"]
        if index < topics.count { return "topic create \(topics[index]) --partitions 3" }
        let topic = topics[index % topics.count], group = "group-\(index % 4)"
        switch index % 10 {
        case 0: return "publish \(topic) --repeat 20 key=k-{n} {\"type\":\"OrderPlaced\",\"n\":{n}}"
        case 1: return "publish \(topic) key=k-\(index) {\"type\":\"OrderPaid\",\"n\":\(index)}"
        case 2: return "consume \(topic) --group \(group) --max 5"
        case 3: return "show \(topic)"
        case 4: return "group describe \(group)"
        case 5: return "consume \(topic) --from -1 --max 3"
        case 6: return "show group \(group)"
        case 7: return "group list"
        case 8: return "publish \(topic) key=k-\(index % 7) v\(index)"
        default: return "clock advance 1m"
        }
    }
}
