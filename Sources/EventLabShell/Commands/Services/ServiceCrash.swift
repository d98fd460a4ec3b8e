import EventLabCore
import EventLabPatterns

/// `service crash NAME --before-commit|--after-commit`.
struct ServiceCrash: ShellCommand {
    static let spec = CommandSpec(
        path: ["service", "crash"], arguments: [ArgumentSpec("SERVICE", .service)],
        options: [
            OptionSpec("--before-commit", help: "crash just before committing the record's offset"),
            OptionSpec("--after-commit", help: "crash just after committing the record's offset"),
        ],
        summary: "Arm a crash that the service's next record sets off, before or after its commit.",
        teaches: "What a crash costs depends on when a consumer commits. With --commit after (at-least-once) the record is handled before its offset is committed, so a crash before the commit hands it over again after a restart: a duplicate downstream. With --commit before (at-most-once) the offset is committed first, so a crash after the commit skips the record: a loss. An idempotent consumer (`service create … --dedupe $.id`) turns at-least-once into exactly-once processing. The crash is a one-off drill: a reopened workspace has none armed.",
        examples: ["service crash billing --before-commit", "service crash shipping --after-commit"])

    let name: String
    let point: CrashPoint

    init(_ words: Invocation) throws(ShellError) {
        name = words.arguments[0]
        switch (words.has("--before-commit"), words.has("--after-commit")) {
        case (true, false): point = .beforeCommit
        case (false, true): point = .afterCommit
        case (true, true): throw ShellError("give --before-commit or --after-commit, not both: a crash hits its record once, on one side of the commit")
        case (false, false): throw ShellError("`service crash` needs --before-commit or --after-commit: where the crash hits, relative to committing the record's offset, e.g. `service crash \(name) --before-commit`")
        }
    }

    func run(in shell: Shell) throws {
        let service = try shell.flows.service(name).service
        try shell.changeFlows { try $0.arm(name, point) }
        shell.say("service \(name) will crash \(point.phrase) on its next record: \(Self.outcome(point, service))")
    }

    /// What the crash will do, given the service's commit mode and dedupe.
    static func outcome(_ point: CrashPoint, _ service: Service) -> String {
        let name = service.name
        switch point.effect(under: service.commit) {
        case .duplicate:
            let dedupe = service.dedupe.map { "; its dedupe on \($0) will skip that replay" } ?? ""
            return "it commits after handling, so the record will be handled but not committed, and `service start \(name)` handles it again: a duplicate (at-least-once)\(dedupe)"
        case .loss:
            return "it commits before handling, so the record will be committed but not handled, and `service start \(name)` reads on after it: a loss (at-most-once)"
        case .none where service.commit == .after:
            return "it commits after handling, so the record will be handled and committed: `service start \(name)` reads on after it, nothing lost, nothing twice"
        case .none:
            return "it commits before handling, so the record will be neither committed nor handled: `service start \(name)` handles it once, nothing lost, nothing twice"
        }
    }
}
