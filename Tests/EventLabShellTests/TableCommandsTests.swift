import EventLabCore
import EventLabShell
import EventLabTestSupport
import Synchronization
import Testing

/// A flow store in memory: what a workspace would keep on disk.
private final class KeptFlows: FlowStore {
    private let text = Mutex<String?>(nil)

    func load() -> String? { text.withLock { $0 } }
    func save(_ text: String) { self.text.withLock { $0 = text } }
}

/// A shell on `test`'s broker and clock, and what it printed.
private func shell(_ test: TestBroker, width: Int = 80, store: KeptFlows? = nil) -> (Shell, CapturedOutput) {
    let output = CapturedOutput()
    let shell = Shell(broker: test.broker, logicalClock: test.clock, output: output, width: width)
    shell.flowStore = store
    return (shell, output)
}

/// Runs `line`, expecting it to succeed, and returns the lines it printed.
private func run(_ shell: Shell, _ output: CapturedOutput, _ line: String) -> [String] {
    output.clear()
    #expect(shell.execute(line), "\(line): \(output.text)")
    return output.text.split(separator: "\n").map(String.init)
}

/// Runs `line`, expecting it to fail, and returns its error.
private func fail(_ shell: Shell, _ output: CapturedOutput, _ line: String) -> String {
    output.clear()
    #expect(!shell.execute(line), "\(line) should fail: \(output.text)")
    return output.errors.joined(separator: "\n")
}

/// Customers c-1 (updated), c-2 (deleted by a tombstone) and c-3, on a compacted topic of
/// two-record segments.
private let customers = [
    "topic create customers --compact --segment-records 2",
    #"publish customers key=c-1 {"name":"Ada","city":"Paris"}"#,
    #"publish customers key=c-2 {"name":"Bo","city":"Oslo"}"#,
    #"publish customers key=c-1 {"name":"Ada","city":"Lyon"}"#,
    "publish customers key=c-2 --tombstone",
    #"publish customers key=c-3 {"name":"Cy"}"#,
].joined(separator: "; ")

@Suite("table commands: event-carried state transfer")
struct TableCommandsTests {
    @Test("create builds the table at once and says what it read; show, get, list, rebuild and delete", arguments: Backend.allCases)
    func lifecycle(backend: Backend) throws {
        let test = try TestBroker(backend)
        let (shell, output) = shell(test)
        #expect(shell.execute(customers))
        #expect(run(shell, output, "table create customer-view --from customers") == [
            "table customer-view built from customers: read 5 records, keeps 2 keys",
            "  read: 4 values, 1 tombstone",
            "  customers is compacted, but the cleaner has removed nothing yet:",
            "  `compaction run customers` keeps the last record per key in closed segments",
        ])
        #expect(run(shell, output, "table show customer-view") == [
            "KEY  FROM   VALUE",
            #"c-1  p0 @2  {"name":"Ada","city":"Lyon"}"#,
            #"c-3  p0 @4  {"name":"Cy"}"#,
            "customer-view has caught up with customers: it has read to its end (p0 up to @4)",
            "  its last record is from 2024-01-01T00:00:00Z; a change not yet published to",
            "  customers cannot show here",
        ])
        #expect(run(shell, output, "table get customer-view c-1") == [
            #"{"name":"Ada","city":"Lyon"}"#, "set by customers p0 @2 at 2024-01-01T00:00:00Z",
        ])
        #expect(run(shell, output, "table get customer-view c-2") == [
            "customer-view has no key c-2: the tombstone at customers p0 @3 deleted it",
        ])
        #expect(run(shell, output, "table get customer-view c-9") == [
            "customer-view has no key c-9: no record it read from customers has that key",
        ])
        #expect(run(shell, output, "table list") == [
            "TABLE          TOPIC      KEYS  BEHIND",
            "customer-view  customers  2     0",
        ])
        #expect(shell.execute("compaction run customers"))
        #expect(run(shell, output, "table rebuild customer-view") == [
            "table customer-view rebuilt from customers: read 3 records, keeps 2 keys",
            "  read: 2 values, 1 tombstone",
            "  compaction had removed 2 older records: the rebuild read 3 of 5 offsets",
        ])
        #expect(run(shell, output, "table show customer-view").count == 6)
        #expect(run(shell, output, "table delete customer-view") == [
            "table customer-view deleted; customers keeps the records to build it again",
        ])
        #expect(run(shell, output, "table list") == ["no tables yet: `table create NAME --from TOPIC` creates one"])
    }

    @Test("rebuilding from a plain topic reads every update; from a compacted one, little more than the last per key")
    func compactedAndPlain() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute("topic create plain --segment-records 2; topic create compacted --compact --segment-records 2"))
        for topic in ["plain", "compacted"] {
            for update in 1...4 { #expect(shell.execute("publish \(topic) key=c-1 \(update); publish \(topic) key=c-2 \(update)")) }
        }
        #expect(shell.execute("compaction run compacted; table create plain-view --from plain; table create compacted-view --from compacted"))
        #expect(run(shell, output, "table rebuild plain-view") == [
            "table plain-view rebuilt from plain: read 8 records, keeps 2 keys",
            "  read: 8 values, 0 tombstones",
            "  plain is not compacted, so a rebuild reads every update it keeps; a compacted",
            "  topic (`topic create plain --compact`) keeps only the last per key",
        ])
        #expect(run(shell, output, "table rebuild compacted-view") == [
            "table compacted-view rebuilt from compacted: read 4 records, keeps 2 keys",
            "  read: 4 values, 0 tombstones",
            "  compaction had removed 4 older records: the rebuild read 4 of 8 offsets",
        ])
        #expect(run(shell, output, "table get plain-view c-2") == ["4", "set by plain p0 @7 at 2024-01-01T00:00:00Z"])
        #expect(run(shell, output, "table get compacted-view c-2") == ["4", "set by compacted p0 @7 at 2024-01-01T00:00:00Z"])
    }

    @Test("records deleted before the log start are said: a key last written among them is missing")
    func deletedBeforeLogStart() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute("topic create plain --segment-records 2 --retention 2records"))
        #expect(shell.execute("publish plain key=a 1; publish plain key=b 2; publish plain key=c 3; publish plain key=d 4; retention run plain"))
        #expect(run(shell, output, "table create view --from plain") == [
            "table view built from plain: read 2 records, keeps 2 keys",
            "  read: 2 values, 0 tombstones",
            "  plain is not compacted, so a rebuild reads every update it keeps; a compacted",
            "  topic (`topic create plain --compact`) keeps only the last per key",
            "  2 earlier records had been deleted before the log start: a key last written",
            "  among them is not in the table",
        ])
    }

    @Test("a rule looks values up in a table and keeps working while the service filling it is stopped, with a stale copy", arguments: Backend.allCases)
    func lookupSurvivesStoppedSource(backend: Backend) throws {
        let test = try TestBroker(backend)
        let (shell, output) = shell(test)
        #expect(shell.execute("topic create customer-changes; topic create customers --compact; topic create orders; topic create shipments"))
        #expect(shell.execute("service create crm --from customer-changes"))
        #expect(shell.execute(#"service crm on AddressChanged emit customers {"city":$.city} key=$.id"#))
        #expect(shell.execute("table create customer-view --from customers; service create shipping --from orders"))
        #expect(shell.execute(#"service shipping on OrderPlaced emit shipments {"order":$.id,"city":table("customer-view", $.customer).city} key=$.id"#))
        #expect(shell.execute(#"publish customer-changes {"type":"AddressChanged","id":"c-1","city":"Paris"}"#))

        #expect(run(shell, output, "service stop crm").count == 1)
        #expect(run(shell, output, #"publish customer-changes {"type":"AddressChanged","id":"c-1","city":"Lyon"}"#).count == 1)
        #expect(run(shell, output, #"publish orders {"type":"OrderPlaced","id":"o-1","customer":"c-1"}"#) == [
            "orders p0 @0  (the only partition)",
            "shipping ← orders p0 @0 OrderPlaced → shipments p0 @0",
        ])
        #expect(output.errors.isEmpty, "the lookup answers while crm is stopped")
        let shipped = run(shell, output, "consume shipments --group check")
        #expect(shipped.contains { $0.contains(#"{"order":"o-1","city":"Paris"}"#) }, "the copy is stale: \(shipped)")

        #expect(shell.execute("service start crm"))
        #expect(shell.execute(#"publish orders {"type":"OrderPlaced","id":"o-2","customer":"c-1"}"#))
        let later = run(shell, output, "consume shipments --group check")
        #expect(later.contains { $0.contains(#"{"order":"o-2","city":"Lyon"}"#) }, "\(later)")
    }

    @Test("in manual flow a table lags until step, and show and list say how far behind it is")
    func staleInManualFlow() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute(customers + "; table create customer-view --from customers; flow manual; clock advance 90s"))
        #expect(shell.execute(#"publish customers key=c-4 {"name":"Di"}; publish customers key=c-1 --tombstone"#))
        let stale = [
            "customer-view is 2 records behind customers (it has read p0 up to @4 of @6)",
            "  its newest value is 1m30s older than the topic's newest record",
            "  flow is manual: `step` brings tables up to date",
        ]
        let shown = run(shell, output, "table show customer-view")
        #expect(Array(shown.suffix(3)) == stale)
        #expect(shown.contains(#"c-1  p0 @2  {"name":"Ada","city":"Lyon"}"#), "show does not catch the table up")
        #expect(run(shell, output, "table list").last == "customer-view  customers  2     2")
        #expect(run(shell, output, "table get customer-view c-4") == [
            "customer-view has no key c-4: no record it read from customers has that key",
        ] + stale)
        // The step delivered the records to the table: it does not say it had nothing to deliver.
        #expect(run(shell, output, "step") == ["table customer-view ← customers p0 @5…@6"])
        #expect(run(shell, output, "table show customer-view") == [
            "KEY  FROM   VALUE",
            #"c-3  p0 @4  {"name":"Cy"}"#,
            #"c-4  p0 @5  {"name":"Di"}"#,
            "customer-view has caught up with customers: it has read to its end (p0 up to @6)",
            "  its last record is from 2024-01-01T00:01:30Z; a change not yet published to",
            "  customers cannot show here",
        ])
        #expect(run(shell, output, "step") == ["nothing to deliver: every running service has read all its records"])
    }

    @Test("a table whose producer is stopped says it caught up with its topic and when its last record was written, not that it is up to date")
    func producerStopped() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute("topic create changes; topic create clients --compact; service create crm --from changes"))
        #expect(shell.execute(#"service crm on Moved emit clients {"city":$.city} key=$.id"#))
        #expect(shell.execute(#"publish changes {"type":"Moved","id":"c-1","city":"Paris"}"#))
        #expect(shell.execute("table create view --from clients; service stop crm; clock advance 5m"))
        #expect(shell.execute(#"publish changes {"type":"Moved","id":"c-1","city":"Nice"}"#))
        // The move waits upstream, in crm's lag: the table cannot know of it.
        #expect(run(shell, output, "table show view") == [
            "KEY  FROM   VALUE",
            #"c-1  p0 @0  {"city":"Paris"}"#,
            "view has caught up with clients: it has read to its end (p0 up to @0)",
            "  its last record is from 2024-01-01T00:00:00Z; a change not yet published to",
            "  clients cannot show here",
        ])
        #expect(run(shell, output, "show flow").contains("clients ══▶ table view (caught up)"))
    }

    @Test("in automatic flow a table catches up after every command")
    func currentInAutoFlow() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute(customers + "; table create customer-view --from customers"))
        #expect(shell.execute(#"publish customers key=c-4 {"name":"Di"}"#))
        #expect(run(shell, output, "table get customer-view c-4") == [#"{"name":"Di"}"#, "set by customers p0 @5 at 2024-01-01T00:00:00Z"])
    }

    @Test("show cuts values to the shell's width and lists at most --max keys")
    func showFitsWidth() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test, width: 38)
        #expect(shell.execute(customers + "; table create customer-view --from customers"))
        #expect(run(shell, output, "table show customer-view --max 1") == [
            "KEY  FROM   VALUE",
            #"c-1  p0 @2  {"name":"Ada","city":"Lyo…"#,
            "… 1 more key: `table show customer-view --max 2` shows all",
            "customer-view has caught up with customers: it has read to its end (p0 up to @4)",
            "  its last record is from", "  2024-01-01T00:00:00Z; a change not", "  yet published to customers cannot", "  show here",
        ])
    }

    @Test("errors say what was wrong and what would be right, and change nothing")
    func errors() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(fail(shell, output, "table show customer-view") == "error: there is no table named customer-view: there are no tables yet; create one with `table create customer-view --from TOPIC`")
        #expect(fail(shell, output, "table create customer-view") == "error: `table create` needs --from TOPIC: the topic the table copies, e.g. `table create customer-view --from customers`")
        #expect(fail(shell, output, "table create customer-view --from customers") == "error: topic 'customers' does not exist (there are no topics yet); create it, compacted so a rebuild reads little more than the last value per key: `topic create customers --compact`")
        #expect(fail(shell, output, "table create bad/name --from customers") == "error: 'bad/name' cannot name a table: use letters, digits, '.', '_' and '-'")
        #expect(shell.execute(customers + "; table create customer-view --from customers; service create billing --from customers"))
        #expect(fail(shell, output, "table create customer-view --from customers") == "error: there is already a table named customer-view: pick another name, or `table delete customer-view` first")
        #expect(fail(shell, output, "table create billing --from customers") == "error: there is already a service named billing: pick another name, or `service delete billing` first")
        for command in ["table show", "table get", "table rebuild", "table delete"] {
            let line = command == "table get" ? "\(command) customers c-1" : "\(command) customers"
            #expect(fail(shell, output, line) == "error: there is no table named customers: the tables are customer-view")
        }
        #expect(fail(shell, output, "table show customer-view --max 0") == "error: --max must be at least 1, not 0")
        #expect(run(shell, output, "table list") == ["TABLE          TOPIC      KEYS  BEHIND", "customer-view  customers  2     0"])
    }

    @Test("deleting a table a rule looks values up in warns that those lookups fail")
    func deleteWarnsUsers() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute(customers + "; table create customer-view --from customers; topic create orders; topic create shipments"))
        #expect(shell.execute("service create shipping --from orders"))
        #expect(shell.execute(#"service shipping on OrderPlaced emit shipments {"city":table("customer-view", $.customer).city}"#))
        #expect(run(shell, output, "table delete customer-view") == [
            "table customer-view deleted; customers keeps the records to build it again",
            "warning: shipping looks values up in customer-view: those lookups now fail",
        ])
    }

    @Test("the definitions keep the table: after a restart it is rebuilt from its topic", arguments: Backend.allCases)
    func restored(backend: Backend) throws {
        let test = try TestBroker(backend)
        let store = KeptFlows()
        do {
            let (first, _) = shell(test, store: store)
            #expect(first.execute(customers + "; topic create plain; publish plain key=k v"))
            #expect(first.execute("table create customer-view --from customers; table create plain-view --from plain"))
            #expect(store.load() == """
                # EventLab flows: the commands that define this workspace's services, tables, aggregates, projections and commands
                table create customer-view --from customers
                table create plain-view --from plain

                """)
            #expect(first.execute("topic delete plain"))
        }
        try test.reopen(clean: true)

        let (second, output) = shell(test, store: store)
        second.restoreFlows()
        // The table whose topic is gone stays defined, empty, and says why it reads nothing.
        #expect(output.lines == [
            "warning: table plain-view could not read its topic: topic 'plain' does not exist (topics: customers); create the topic again, or `table delete plain-view`",
        ])
        #expect(run(second, output, "table get customer-view c-1") == [#"{"name":"Ada","city":"Lyon"}"#, "set by customers p0 @2 at 2024-01-01T00:00:00Z"])
        #expect(run(second, output, "table list") == ["TABLE          TOPIC      KEYS  BEHIND", "customer-view  customers  2     0", "plain-view     plain      0     ?"])
    }

    @Test("table names complete where a table is expected, and a table's keys after its name")
    func completion() throws {
        let test = try TestBroker(.memory)
        let (shell, _) = shell(test)
        #expect(shell.execute(customers + "; table create customer-view --from customers"))
        let completer = Completer(broker: test.broker, flows: { shell.flows })
        #expect(completer.complete("table show c").candidates == ["customer-view"])
        #expect(completer.complete("table rebuild ").candidates == ["customer-view"])
        #expect(completer.complete("table get customer-view c-").candidates == ["c-1", "c-3"])
        #expect(completer.complete("table create customer-view --from c").candidates == ["customers"])
    }
}
