import EventLabCore
import EventLabPatterns

/// `upcast on TYPE [when CONDITION] to TEMPLATE`.
struct UpcastAdd: ShellCommand {
    static let spec = CommandSpec(
        path: ["upcast", "on"], arguments: [ArgumentSpec("UPCASTER", .text, variadic: true)], options: [],
        summary: "Read old events of TYPE in a new shape: `upcast on TYPE [when COND] to TEMPLATE`.",
        teaches: "Schema evolution without rewriting history: the log keeps every event as written, and the upcaster maps the old shape to the new one as services, aggregates and projections read it, so their rules know only the new shape. TEMPLATE is a JSON template reading the old event as `$`, as a service's `emit` template, and it must give a JSON object; it may change the type, so `v1` becomes `v2`. It prints the upcaster's number.",
        examples: [
            #"upcast on MoneyDeposited to {"type":"Deposited","account":$.account,"cents":$.amount * 100}"#,
            #"upcast on Registered when default($.version, 1) == 1 to {"type":"Registered","version":2,"name":$.first + " " + $.last}"#,
        ],
        takesText: true)

    let text: String

    init(_ words: Invocation) { text = words.text }

    func run(in shell: Shell) throws {
        let upcaster = try UpcasterText.parse("on " + text)
        var number = 0
        try shell.changeFlows { flows in try flows.changeUpcasters { upcasters throws(UpcastError) in number = try upcasters.add(upcaster) } }
        shell.say("upcaster \(number) added: \(upcaster.eventType) events are read in the new shape; \(UpcasterText.fromNow)")
    }
}

/// `upcast replace N on …`.
struct UpcastReplace: ShellCommand {
    static let spec = CommandSpec(
        path: ["upcast", "replace"], arguments: [ArgumentSpec("N", .upcaster), ArgumentSpec("UPCASTER", .text, variadic: true)],
        options: [],
        summary: "Put a new upcaster in place of upcaster N, which keeps its number and place in the chain.",
        teaches: "An upcaster is code, not data: changing it changes how every old event of its type is read, while the log stays as it was. Aggregates' fingerprints change with it, so snapshots taken under the old one are not reused.",
        examples: [#"upcast replace 1 on MoneyDeposited to {"type":"Deposited","account":$.account,"cents":round($.amount * 100)}"#],
        takesText: true)

    let number: String
    let text: String

    init(_ words: Invocation) {
        number = words.arguments[0]
        text = Words.text(of: words.text, after: 1)
    }

    func run(in shell: Shell) throws {
        let number = try UpcasterText.number(self.number, for: "upcast replace")
        let upcaster = try UpcasterText.parse(text)
        try shell.changeFlows { flows in try flows.changeUpcasters { upcasters throws(UpcastError) in try upcasters.replace(number, with: upcaster) } }
        shell.say("upcaster \(number) replaced; \(UpcasterText.fromNow)")
    }
}

/// `upcast rule N on …`: an upcaster under the number it had, as saved flows give it.
struct UpcastRule: ShellCommand {
    static let spec = CommandSpec(
        path: ["upcast", "rule"], arguments: [ArgumentSpec("N", .number), ArgumentSpec("UPCASTER", .text, variadic: true)],
        options: [],
        summary: "Add an upcaster under number N (saved flows use it): `upcast rule N on TYPE … to TEMPLATE`.",
        teaches: "Upcasters keep their numbers for good, so saved flows and `flow export` give each its own; a number an upcaster has is refused.",
        examples: [#"upcast rule 3 on MoneyDeposited to {"type":"Deposited","cents":$.amount * 100}"#],
        takesText: true)

    let number: String
    let text: String

    init(_ words: Invocation) {
        number = words.arguments[0]
        text = Words.text(of: words.text, after: 1)
    }

    func run(in shell: Shell) throws {
        let number = try UpcasterText.number(self.number, for: "upcast rule")
        let upcaster = try UpcasterText.parse(text)
        try shell.changeFlows { flows in try flows.changeUpcasters { upcasters throws(UpcastError) in try upcasters.add(upcaster, number: number) } }
        shell.say("upcaster \(number) added: \(upcaster.eventType) events are read in the new shape; \(UpcasterText.fromNow)")
    }
}
