import EventLabPatterns
import Testing

@Suite("show flow's picture of event sourcing and CQRS: commands, aggregates, projections")
struct FlowPictureCQRSTests {
    typealias S = FlowModel.Service
    typealias A = FlowModel.Aggregate
    typealias C = FlowModel.Command
    typealias P = FlowModel.Projection

    /// The loop of the golden: two commands on one aggregate, a service, and two projections,
    /// one of them paused and behind.
    static let loop = FlowModel(
        topics: ["account-snapshots", "accounts", "audit-log", "spare"],
        services: [S(name: "auditor", reads: ["accounts"], writes: ["audit-log"], lag: ["accounts": 1], processed: 3, emitted: 1)],
        aggregates: [A(name: "account", topic: "accounts", keys: 2, events: 3, behind: 1, snapshots: "account-snapshots")],
        commands: [
            C(name: "withdraw", aggregate: "account", writes: ["accounts"]),
            C(name: "deposit", aggregate: "account", writes: ["accounts"]),
        ],
        projections: [
            P(name: "movements", reads: ["accounts"], lag: ["accounts": 0], rows: 1, isInline: true),
            P(name: "balances", reads: ["accounts"], lag: ["accounts": 2], rows: 2, isRunning: false),
        ])

    @Test("commands come first, then services, aggregates and projections, each line a step of the loop")
    func loop() {
        #expect(FlowPicture.render(Self.loop, width: 100) == [
            "command deposit (validates against account) ──▶ accounts",
            "command withdraw (validates against account) ──▶ accounts",
            "accounts ──▶ auditor (lag 1, 3 in, 1 out) ──▶ audit-log",
            "accounts ━━▶ aggregate account (2 keys, 3 events, 1 behind) ──▶ account-snapshots",
            "accounts ──▶ projection balances (lag 2, paused, 2 rows) ──▶ `query balances`",
            "accounts ──▶ projection movements (lag 0, inline, 1 row) ──▶ `query movements`",
            "idle topics: spare",
            "",
            "legend: ──▶ reads/writes ━━▶ folds",
        ])
    }

    @Test("an aggregate alone is drawn, without the hint to create a service; up to date, one key, no snapshots")
    func aggregateAlone() {
        let model = FlowModel(topics: ["accounts"], aggregates: [A(name: "account", topic: "accounts", keys: 1, events: 1, behind: 0)])
        #expect(FlowPicture.render(model) == [
            "accounts ━━▶ aggregate account (1 key, 1 event, up to date)",
            "",
            "legend: ──▶ reads/writes ━━▶ folds",
        ])
    }

    @Test("a command alone, or a projection alone, is drawn; a projection of several topics gives each its lag")
    func aloneEach() {
        #expect(FlowPicture.render(FlowModel(commands: [C(name: "open", aggregate: "account", writes: ["accounts"])])) == [
            "command open (validates against account) ──▶ accounts", "", "legend: ──▶ reads/writes",
        ])
        let several = P(name: "report", reads: ["orders", "returns"], lag: ["orders": 3], rows: 0)
        #expect(FlowPicture.render(FlowModel(projections: [several])) == [
            "orders (lag 3), returns ──▶ projection report (0 rows) ──▶ `query report`", "", "legend: ──▶ reads/writes",
        ])
    }

    @Test("a command built from a definition validates against its aggregate and writes its emits' topics once")
    func commandFromDefinition() throws {
        let command = try Command(name: "withdraw", #"--aggregate account when state.balance >= $.amount emit accounts {"type":"Withdrawn"} emit accounts {"type":"Noted"} else reject "no""#)
        #expect(C(command) == C(name: "withdraw", aggregate: "account", writes: ["accounts"]))
    }

    @Test("the loop at width 40 wraps every line within the width, no line ending in an arrow")
    func narrow() {
        let lines = FlowPicture.render(Self.loop, width: 40)
        #expect(lines.allSatisfy { $0.count <= 40 })
        #expect(!lines.contains { $0.hasSuffix("▶") })
        #expect(lines.contains("accounts ━━▶ aggregate account (2 keys,"))
        #expect(lines.contains("    paused, 2 rows) ──▶ `query balances`"))
        #expect(lines.contains("    ──▶ `query movements`"))
    }

    @Test("at every width from 1 to 120 no line passes it, and the same model draws the same lines")
    func everyWidth() {
        for width in 1...120 {
            let lines = FlowPicture.render(Self.loop, width: width)
            #expect(lines.allSatisfy { $0.count <= width }, "width \(width)")
            #expect(FlowPicture.render(Self.loop, width: width) == lines)
        }
    }
}
