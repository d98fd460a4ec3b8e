import EventLabPatterns
import Testing

@Suite("show flow's picture: who reads and writes what, lag, calls, stopped services and dead letters")
struct FlowPictureTests {
    typealias S = FlowModel.Service

    @Test("an empty model says how to start")
    func empty() {
        #expect(FlowPicture.render(FlowModel(topics: ["orders"])) == [
            "no services or tables yet: `service create NAME --from TOPIC` starts one"
        ])
    }

    @Test("a single service: its source with lag, its counts, and what its rules write")
    func single() {
        let model = FlowModel(topics: ["orders", "payments"], services: [
            S(name: "billing", reads: ["orders"], writes: ["payments"], lag: ["orders": 0], processed: 12, emitted: 10)
        ])
        #expect(FlowPicture.render(model) == [
            "orders ──▶ billing (lag 0, 12 in, 10 out) ──▶ payments",
            "",
            "legend: ──▶ reads/writes",
        ])
    }

    @Test("a service built from a definition writes its rules' topics once each")
    func fromDefinition() throws {
        var service = Service(name: "billing", sources: ["orders"], deadLetter: "billing-dlq")
        try service.add(ServiceRule("on placed emit payments {}"))
        try service.add(ServiceRule("on placed emit payments {}"))
        try service.add(ServiceRule("on refunded emit fraud-checks {}"))
        let drawn = FlowModel.Service(service)
        #expect(drawn.reads == ["orders"])
        #expect(drawn.writes == ["payments", "fraud-checks"])
        #expect(drawn.deadLetter == "billing-dlq")
    }

    @Test("a chain draws upstream first, whatever the names")
    func chain() {
        let model = FlowModel(services: [
            S(name: "a-shipping", reads: ["payments"], writes: ["shipments"], lag: ["payments": 2]),
            S(name: "billing", reads: ["orders"], writes: ["payments"], lag: ["orders": 0]),
        ])
        #expect(FlowPicture.render(model) == [
            "orders ──▶ billing (lag 0) ──▶ payments",
            "payments ──▶ a-shipping (lag 2) ──▶ shipments",
            "",
            "legend: ──▶ reads/writes",
        ])
    }

    @Test("a fan-out lists every target sorted, and several sources each with its lag")
    func fanOut() {
        let model = FlowModel(services: [
            S(name: "billing", reads: ["returns", "orders"], writes: ["payments", "fraud-checks", "audit"],
              lag: ["orders": 0, "returns": 3])
        ])
        #expect(FlowPicture.render(model) == [
            "returns (lag 3), orders (lag 0) ──▶ billing ──▶ audit, fraud-checks, payments",
            "",
            "legend: ──▶ reads/writes",
        ])
    }

    @Test("a table shows the topic it copies and how far behind it is")
    func table() {
        let model = FlowModel(topics: ["customers", "spare"], tables: [
            FlowModel.Table(name: "customer-view", topic: "customers", behind: 2),
            FlowModel.Table(name: "addresses", topic: "customers", behind: 0),
        ])
        #expect(FlowPicture.render(model) == [
            "customers ══▶ table addresses (caught up)",
            "customers ══▶ table customer-view (2 behind)",
            "idle topics: spare",
            "",
            "legend: ──▶ reads/writes ══▶ table",
        ])
    }

    @Test("a table lists the services that look values up in it")
    func tableReaders() {
        let model = FlowModel(services: [
            S(name: "shipping", reads: ["orders"], writes: [], lookups: ["customer-view"]),
            S(name: "billing", reads: ["orders"], writes: [], lookups: ["customer-view", "prices"]),
        ], tables: [FlowModel.Table(name: "customer-view", topic: "customers", behind: 1)])
        #expect(FlowPicture.render(model) == [
            "orders ──▶ billing",
            "orders ──▶ shipping",
            "customers ══▶ table customer-view (1 behind) ──▶ billing, shipping",
            "",
            "legend: ──▶ reads/writes ══▶ table",
        ])
    }

    @Test("a service built from a definition looks up the tables its rules and queries name")
    func lookupsFromDefinition() throws {
        var service = Service(name: "billing", sources: ["orders"])
        try service.add(ServiceRule(#"on placed when table("limits", $.customer) > 0 emit payments {"to":table("customer-view", $.customer).address}"#))
        try service.add(ServiceRule(#"on placed emit audit {} key=table("keys", $.id)"#))
        try service.add(ServiceQuery(#"tier(id) = table("tiers", id)"#))
        #expect(FlowModel.Service(service).lookups == ["customer-view", "keys", "limits", "tiers"])
    }

    @Test("stopped and poisoned services say so")
    func stopped() {
        let model = FlowModel(services: [
            S(name: "billing", reads: ["orders"], writes: [], state: .stopped, lag: ["orders": 5]),
            S(name: "audit", reads: ["orders"], writes: [], state: .poisoned(topic: "orders", partition: 1, offset: 17)),
        ])
        #expect(FlowPicture.render(model) == [
            "orders ──▶ audit (poisoned at orders p1 @17)",
            "orders ──▶ billing (lag 5, stopped)",
            "",
            "legend: ──▶ reads/writes",
        ])
    }

    @Test("a caller held by a failed call says where it waits, beside its failed calls")
    func waiting() {
        let model = FlowModel(services: [
            S(name: "billing", reads: ["orders"], writes: ["payments"],
              state: .waiting(topic: "orders", partition: 0, offset: 4), lag: ["orders": 3], processed: 4, emitted: 4),
            S(name: "customers", reads: ["customer-events"], writes: [], state: .stopped, lag: ["customer-events": 0]),
        ], calls: [FlowModel.Call(from: "billing", to: "customers", count: 6, failed: 2)])
        #expect(FlowPicture.render(model) == [
            "orders ──▶ billing (lag 3, waiting at orders p0 @4, 4 in, 4 out) ──▶ payments",
            "customer-events ──▶ customers (lag 0, stopped)",
            "billing ··▶ customers (6 calls, 2 failed)",
            "",
            "legend: ──▶ reads/writes ··▶ calls",
        ])
    }

    @Test("a dead-letter topic hangs under its service with its count")
    func deadLetter() {
        let model = FlowModel(services: [
            S(name: "billing", reads: ["orders"], writes: ["payments"], deadLetter: "billing-dlq", deadLettered: 3),
            S(name: "audit", reads: ["orders"], writes: [], deadLetter: "audit-dlq"),
        ])
        #expect(FlowPicture.render(model) == [
            "orders ──▶ audit",
            "  └─✗▶ audit-dlq",
            "orders ──▶ billing ──▶ payments",
            "  └─✗▶ billing-dlq (3 dead)",
            "",
            "legend: ──▶ reads/writes └─✗▶ dead letters",
        ])
    }

    @Test("calls between services show their counts and failures")
    func calls() {
        let model = FlowModel(services: [
            S(name: "billing", reads: ["orders"], writes: []),
        ], calls: [
            FlowModel.Call(from: "billing", to: "customers", count: 12, failed: 1),
            FlowModel.Call(from: "audit", to: "billing", count: 1),
        ])
        #expect(FlowPicture.render(model) == [
            "orders ──▶ billing",
            "audit ··▶ billing (1 call, 0 failed)",
            "billing ··▶ customers (12 calls, 1 failed)",
            "",
            "legend: ──▶ reads/writes ··▶ calls",
        ])
    }

    @Test("a cycle is entered at its first name and each service still drawn once")
    func cycle() {
        let model = FlowModel(services: [
            S(name: "b", reads: ["t1"], writes: ["t2"]),
            S(name: "a", reads: ["t2"], writes: ["t1"]),
            S(name: "c", reads: ["t2"], writes: []),
        ])
        #expect(FlowPicture.render(model) == [
            "t2 ──▶ a ──▶ t1",
            "t1 ──▶ b ──▶ t2",
            "t2 ──▶ c",
            "",
            "legend: ──▶ reads/writes",
        ])
    }

    static let handful = FlowModel(
        topics: ["orders", "returns", "payments", "fraud-checks", "shipments", "customers", "billing-dlq", "audit-log"],
        services: [
            S(name: "billing", reads: ["orders", "returns"], writes: ["payments", "fraud-checks"],
              lag: ["orders": 0, "returns": 4], processed: 1_204, emitted: 1_180,
              deadLetter: "billing-dlq", deadLettered: 3),
            S(name: "shipping", reads: ["payments"], writes: ["shipments"], state: .stopped,
              lag: ["payments": 27], processed: 310, emitted: 305),
            S(name: "fraud", reads: ["fraud-checks"], writes: ["audit-log"],
              state: .poisoned(topic: "fraud-checks", partition: 0, offset: 88), lag: ["fraud-checks": 9]),
            S(name: "notifier", reads: ["shipments"], writes: [], lag: ["shipments": 0], processed: 305),
        ],
        tables: [FlowModel.Table(name: "customer-view", topic: "customers", behind: 2)],
        calls: [
            FlowModel.Call(from: "billing", to: "fraud", count: 12, failed: 1),
            FlowModel.Call(from: "shipping", to: "notifier", count: 305),
        ])

    @Test("a handful of services at width 80")
    func width80() {
        let lines = FlowPicture.render(Self.handful, width: 80)
        #expect(lines == [
            "orders (lag 0), returns (lag 4) ──▶ billing (1204 in, 1180 out)",
            "    ──▶ fraud-checks, payments",
            "  └─✗▶ billing-dlq (3 dead)",
            "fraud-checks ──▶ fraud (lag 9, poisoned at fraud-checks p0 @88) ──▶ audit-log",
            "payments ──▶ shipping (lag 27, stopped, 310 in, 305 out) ──▶ shipments",
            "shipments ──▶ notifier (lag 0, 305 in, 0 out)",
            "customers ══▶ table customer-view (2 behind)",
            "billing ··▶ fraud (12 calls, 1 failed)",
            "shipping ··▶ notifier (305 calls, 0 failed)",
            "",
            "legend: ──▶ reads/writes ══▶ table ··▶ calls └─✗▶ dead letters",
        ])
        #expect(lines.allSatisfy { $0.count <= 80 })
    }

    @Test("at width 40 lines wrap with an indent and none passes the width")
    func width40() {
        let lines = FlowPicture.render(Self.handful, width: 40)
        #expect(lines == [
            "orders (lag 0), returns (lag 4)",
            "    ──▶ billing (1204 in, 1180 out)",
            "    ──▶ fraud-checks, payments",
            "  └─✗▶ billing-dlq (3 dead)",
            "fraud-checks ──▶ fraud (lag 9, poisoned",
            "    at fraud-checks p0 @88)",
            "    ──▶ audit-log",
            "payments ──▶ shipping (lag 27, stopped,",
            "    310 in, 305 out) ──▶ shipments",
            "shipments ──▶ notifier (lag 0, 305 in,",
            "    0 out)",
            "customers ══▶ table customer-view",
            "    (2 behind)",
            "billing ··▶ fraud (12 calls, 1 failed)",
            "shipping ··▶ notifier (305 calls,",
            "    0 failed)",
            "",
            "legend: ──▶ reads/writes ══▶ table",
            "    ··▶ calls └─✗▶ dead letters",
        ])
        #expect(lines.allSatisfy { $0.count <= 40 })
        #expect(!lines.contains { $0.hasSuffix("▶") })
        #expect(FlowPicture.render(FlowModel(), width: 40) == [
            "no services or tables yet:",
            "    `service create NAME --from TOPIC`",
            "    starts one",
        ])
    }

    @Test("at every width from 1 to 100 no line passes it")
    func everyWidth() {
        for width in 1...100 {
            #expect(FlowPicture.render(Self.handful, width: width).allSatisfy { $0.count <= width }, "width \(width)")
        }
    }

    @Test("a name too long for the width is cut with an ellipsis")
    func longName() {
        let long = String(repeating: "x", count: 60)
        let model = FlowModel(services: [S(name: long, reads: [long], writes: [])])
        let lines = FlowPicture.render(model, width: 30)
        #expect(lines.allSatisfy { $0.count <= 30 })
        #expect(lines[0] == String(repeating: "x", count: 29) + "…")
    }
}
