import EventLabCore
import Synchronization

/// What a reaction may look up while a drain runs: the tables as they stand in that round, and
/// the queries of the other services, answered while they run and counted per caller.
struct FlowContext: ExpressionTables {
    var tables: [String: Table]
    /// Every service a call may reach, with whether it runs now.
    var callees: [String: (service: Service, isRunning: Bool)]
    /// The service whose reaction is evaluated, to count its calls.
    var caller = ""
    let calls: CallLedger

    func lookup(table: String, key: String) -> TableLookup {
        guard let found = tables[table] else { return .noSuchTable }
        guard let entry = found.get(key) else { return .missing }
        return .found(JSONValue.of(entry.value))
    }

    func call(service: String, query: String, argument: JSON) -> CallAnswer {
        guard let callee = callees[service] else { return .noSuchService }
        let edge = CallEdge(caller: caller, callee: service)
        guard callee.isRunning else {
            calls.count(edge, failed: true)
            return .unavailable(reason: "service \(service) is stopped")
        }
        let answer = callee.service.answer(query: query, argument: argument, tables: self)
        if case .answer = answer { calls.count(edge, failed: false) } else { calls.count(edge, failed: true) }
        return answer
    }
}

/// A call from one service to another.
public struct CallEdge: Hashable, Sendable, Comparable {
    public var caller: String
    public var callee: String

    public init(caller: String, callee: String) {
        self.caller = caller
        self.callee = callee
    }

    public static func < (left: CallEdge, right: CallEdge) -> Bool {
        (left.caller, left.callee) < (right.caller, right.callee)
    }
}

/// How many calls went along an edge, and how many of them failed.
public struct CallCount: Hashable, Sendable {
    public var calls = 0
    public var failed = 0

    public init(calls: Int = 0, failed: Int = 0) {
        self.calls = calls
        self.failed = failed
    }
}

/// The calls a drain made, counted as reactions make them.
final class CallLedger: Sendable {
    private let counts = Mutex<[CallEdge: CallCount]>([:])

    func count(_ edge: CallEdge, failed: Bool) {
        counts.withLock { counts in
            counts[edge, default: CallCount()].calls += 1
            if failed { counts[edge, default: CallCount()].failed += 1 }
        }
    }

    var all: [CallEdge: CallCount] { counts.withLock { $0 } }
}

/// A stored value as the language sees it: its JSON, or its text when it is not JSON.
enum JSONValue {
    static func of(_ bytes: [UInt8]) -> JSON {
        if let json = try? JSONParser.parse(bytes) { return json }
        return .string(String(decoding: bytes, as: UTF8.self))
    }
}
