/// Where `eventlab replay --from` starts: at a section heading, named by its text or the start
/// of it (case aside), or at a command, by its number.
public enum ReplayStart {
    /// The index in `transcript.items` where a replay from `from` starts.
    ///
    /// - Throws: when `from` names no section or command, or more than one section; the error
    ///   lists the sections there are.
    public static func index(of from: String, in transcript: Transcript) throws(ShellError) -> Int {
        guard !from.trimmingSpaces.isEmpty else {
            throw ShellError("--from needs a section heading (its text, or the start of it) or a command number")
        }
        if from.allSatisfy(\.isASCIIDigit) {
            return try command(from, in: transcript)
        }
        let headings = transcript.items.indices.compactMap { index -> (index: Int, text: String)? in
            if case .heading(let text) = transcript.items[index] { (index, text) } else { nil }
        }
        let wanted = from.lowercased()
        let exact = headings.filter { $0.text.lowercased() == wanted }
        if exact.count == 1 { return exact[0].index }
        let matching = exact.isEmpty ? headings.filter { $0.text.lowercased().hasPrefix(wanted) } : exact
        if matching.count == 1 { return matching[0].index }
        // Two sections with one heading cannot be told apart by name; their numbers can.
        let named = Set(headings.map(\.text))
        let sections = headings.isEmpty
            ? "this transcript has no sections; give a command number from 1 to \(transcript.commands.count)"
            : "the sections are: " + headings.map { "\"\($0.text)\"" }.joined(separator: ", ")
                + (named.count < headings.count ? " (a heading used twice: start at a command number instead)" : "")
        if matching.isEmpty {
            throw ShellError("--from \(from): no section starts with it; \(sections)")
        }
        throw ShellError("--from \(from): \(matching.count) sections start with it, give more of the heading; \(sections)")
    }

    private static func command(_ text: String, in transcript: Transcript) throws(ShellError) -> Int {
        let commands = transcript.items.indices.filter { if case .command = transcript.items[$0] { true } else { false } }
        guard let number = Int(text), (1...max(1, commands.count)).contains(number), !commands.isEmpty else {
            throw ShellError("--from \(text): the transcript has \(commands.count) command\(commands.count == 1 ? "" : "s"); give a number from 1 to \(commands.count), or a section")
        }
        return commands[number - 1]
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
