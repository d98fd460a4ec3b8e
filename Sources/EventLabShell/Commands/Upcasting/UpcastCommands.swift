import EventLabCore
import EventLabPatterns

/// Upcasters: old events read in their new shape, so a schema evolves without rewriting history.
enum UpcastCommands: CommandGroup {
    static let commands: [any ShellCommand.Type] = [
        UpcastAdd.self, UpcastReplace.self, UpcastRemove.self, UpcastList.self, UpcastTry.self, UpcastRule.self, UpcastNext.self,
    ]

    static let completions = [
        Completion(.upcaster) { context in context.flows().upcasters.all.map { String($0.number) } },
    ]

    static let notes = [
        "upcast": "Schema evolution. Events are facts: once written they are never changed, so when their shape changes — a field renamed, an amount now in cents, an event split into versions — the log holds both shapes for good. Rewriting history to the new shape would lose what really happened and break every reader that replays it; instead, as Greg Young teaches, upcast on read: an upcaster maps an old event to the new shape as it is read, and every service, aggregate and projection reads through the same upcasters, so their rules know only the newest shape. Upcasters apply in number order as a chain (v1 → v2, then v2 → v3). An upcaster matches the type where each reader finds it: a field (which its template may change) or, for a reader created with --type-header, the header (which stays; the upcaster rewrites only the value). Tables copy values as the log holds them and are not upcast. What was read before an upcaster was added stays as it was read: rebuild an aggregate or projection, or reset a service's group, to read history through it. A record an upcaster fails on is a service's poison, and an aggregate's or projection's failed record. patterns/UPCASTERS.md describes them.",
    ]
}

extension ValueKind {
    /// An upcaster's number.
    static let upcaster = ValueKind("upcaster", placeholder: "N")
}

/// Parses an upcaster, its error placed by column.
enum UpcasterText {
    static func parse(_ text: String) throws -> Upcaster {
        do throws(RuleSyntaxError) {
            return try Upcaster(text)
        } catch {
            throw ShellError("the upcaster at column \(error.column): \(error.message)")
        }
    }

    /// The upcaster number `text`, for `command`.
    static func number(_ text: String, for command: String) throws(ShellError) -> Int {
        guard let number = Int(text), number > 0 else {
            throw ShellError("`\(command)` needs an upcaster's number, as `upcast list` shows them, not '\(text)'")
        }
        return number
    }

    /// What reading through a new or changed upcaster means for what was read before.
    static let fromNow = "every service, aggregate and projection reads through it from what each reads next; the log keeps the events as written, so to read history through it, rebuild an aggregate or projection, or reset a service's group"
}

/// `upcast list`.
struct UpcastList: ShellCommand {
    static let spec = CommandSpec(
        path: ["upcast", "list"], arguments: [], options: [],
        summary: "List the upcasters, in the order they apply.",
        teaches: "The upcasters are the schema's history written as code: each maps one old shape to a newer one, and they apply in number order, so reading them top to bottom tells how the events evolved.",
        examples: ["upcast list"])

    init(_ words: Invocation) {}

    func run(in shell: Shell) {
        let upcasters = shell.flows.upcasters
        guard !upcasters.isEmpty else { return shell.say("no upcasters: events are read as the log holds them; `upcast on TYPE to TEMPLATE` adds one") }
        for line in upcasters.lines { shell.say(line) }
    }
}

/// `upcast remove N`.
struct UpcastRemove: ShellCommand {
    static let spec = CommandSpec(
        path: ["upcast", "remove"], arguments: [ArgumentSpec("N", .upcaster)], options: [],
        summary: "Remove upcaster N; the others keep their numbers.",
        teaches: "Without the upcaster its old events are read as the log holds them again, so readers whose rules know only the new shape pass them over or fail on them. Its number is not given again.",
        examples: ["upcast remove 2"])

    let number: String

    init(_ words: Invocation) { number = words.arguments[0] }

    func run(in shell: Shell) throws {
        let number = try UpcasterText.number(self.number, for: "upcast remove")
        try shell.changeFlows { flows in try flows.changeUpcasters { upcasters throws(UpcastError) in try upcasters.remove(number) } }
        shell.say("upcaster \(number) removed; its events are read as the log holds them again; the other upcasters keep their numbers")
    }
}

/// `upcast next N`.
struct UpcastNext: ShellCommand {
    static let spec = CommandSpec(
        path: ["upcast", "next"], arguments: [ArgumentSpec("N", .number)], options: [],
        summary: "Make the next upcaster added get at least number N (saved flows use it).",
        teaches: "Upcaster numbers are never given twice, also after the last ones were removed: a workspace's saved flows say where the numbering stands with this line.",
        examples: ["upcast next 4"])

    let number: String

    init(_ words: Invocation) { number = words.arguments[0] }

    func run(in shell: Shell) throws {
        let number = try UpcasterText.number(self.number, for: "upcast next")
        try shell.changeFlows { flows in try flows.changeUpcasters { upcasters throws(UpcastError) in upcasters.numberFrom(number) } }
        shell.say("the next upcaster added gets number \(shell.flows.upcasters.nextNumber)")
    }
}

/// `upcast try JSON`.
struct UpcastTry: ShellCommand {
    static let spec = CommandSpec(
        path: ["upcast", "try"], arguments: [ArgumentSpec("JSON", .text, variadic: true)], options: [],
        summary: "Show what an event becomes through the upcasters, without publishing it.",
        teaches: "The event a reader's rules see is the upcast one; this shows it, with the upcasters that applied in order, for an event whose type is its `type` field.",
        examples: [#"upcast try {"type":"MoneyDeposited","account":"a-1","amount":2}"#],
        takesText: true)

    let text: String

    init(_ words: Invocation) { text = words.text }

    func run(in shell: Shell) throws {
        do throws(JSONError) {
            _ = try JSONParser.parse(text)
        } catch {
            throw ShellError("`upcast try` needs an event as JSON, e.g. {\"type\":\"MoneyDeposited\",\"amount\":2}: \(error)")
        }
        let record = Record(offset: 0, timestamp: 0, key: [UInt8]?.none, value: Array(text.utf8))
        switch shell.flows.upcasters.upcast(record) {
        case .success(let upcast) where upcast.applied.isEmpty:
            shell.say("no upcaster applies: the event is read as it is")
        case .success(let upcast):
            let numbers = upcast.applied.map(String.init).joined(separator: ", then ")
            shell.say("upcaster\(upcast.applied.count == 1 ? "" : "s") \(numbers): \(String(decoding: upcast.record.value ?? [], as: UTF8.self))")
        case .failure(let failure):
            throw ShellError("\(failure): a service would take such a record as poison, an aggregate or a projection as a failed record")
        }
    }
}
