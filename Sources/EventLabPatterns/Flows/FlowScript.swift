/// The flows as the commands that define them, one per line: what a workspace keeps of them and
/// what `flow export` prints. Running the lines in a new workspace builds the same services and
/// tables; their positions are their consumer groups' committed offsets, which the log keeps.
public enum FlowScript {
    /// Starts the comment giving why the line after it was left out when the workspace opened.
    public static let leftOutHeading = "# left out when the workspace opened: "

    /// The first line, saying what the text is.
    public static let heading = "# EventLab flows: the commands that define this workspace's services and tables"

    /// The lines defining `flows`: the upcasters, then tables (services look values up in
    /// them), then each service with its rules under their numbers, then the services stopped
    /// by hand, then the flow mode when manual.
    public static func lines(_ flows: Flows) -> [String] {
        var lines = upcasterLines(flows.upcasters)
        for name in flows.tables.keys.sorted() {
            let table = flows.tables[name]!
            lines.append("table create \(table.name) --from \(table.topic)")
        }
        for name in flows.services.keys.sorted() {
            let service = flows.services[name]!.service
            lines.append(create(service))
            for numbered in service.rules {
                lines.append("service \(service.name) rule \(numbered.number) \(numbered.rule.source)")
            }
            for query in service.queries {
                lines.append("service \(service.name) answers \(query.source)")
            }
        }
        for name in flows.services.keys.sorted() where !flows.services[name]!.isRunning {
            lines.append("service stop \(name)")
        }
        lines += aggregateLines(flows)
        lines += projectionLines(flows)
        lines += commandLines(flows)
        if flows.mode == .manual { lines.append("flow manual") }
        return lines
    }

    /// The ``heading`` and ``lines(_:)`` as one text, each line ended by a line break: what a
    /// workspace keeps.
    public static func text(_ flows: Flows) -> String {
        let leftOut = flows.leftOut.flatMap { [leftOutHeading + $0.reason, "# \($0.line)"] }
        return ([heading] + lines(flows) + leftOut).map { $0 + "\n" }.joined()
    }

    /// Each upcaster under its number, first, since they shape what every definition reads; then
    /// where the numbering stands when the last upcasters were removed.
    private static func upcasterLines(_ upcasters: Upcasters) -> [String] {
        var lines = upcasters.all.map { "upcast rule \($0.number) \($0.rule.source)" }
        if upcasters.nextNumber != (upcasters.all.last?.number ?? 0) + 1 { lines.append("upcast next \(upcasters.nextNumber)") }
        return lines
    }

    private static func create(_ service: Service) -> String {
        var words = ["service create", service.name, "--from", service.sources.joined(separator: ",")]
        if case .header(let header) = service.typeSource { words += ["--type-header", header] }
        if case .field(let field) = service.typeSource, field != "type" { words += ["--type-field", field] }
        if service.commit != .after { words += ["--commit", service.commit.rawValue] }
        if let deadLetter = service.deadLetter { words += ["--dead-letter", deadLetter] }
        // Rules removed from the end leave numbers the next rule must not take again.
        if service.nextNumber != (service.rules.map(\.number).max() ?? 0) + 1 { words += ["--next-rule", String(service.nextNumber)] }
        if let dedupe = service.dedupe { words += ["--dedupe", word(dedupe.source)] }
        return words.joined(separator: " ")
    }

    /// `text` as one word of a command line: bare when it is plain, else quoted so that the
    /// shell's word splitting gives it back whole (single quotes take everything up to the next).
    static func word(_ text: String) -> String {
        let plain = !text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber || "$._-".contains($0) }
        if plain { return text }
        if !text.contains("'") { return "'\(text)'" }
        var quoted = "\""
        for character in text {
            if character == "\\" || character == "\"" { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted + "\""
    }
}
