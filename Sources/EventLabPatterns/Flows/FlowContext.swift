import EventLabCore

/// What a reaction may look up while a drain runs: the tables, as they stand in that round.
struct FlowContext: ExpressionTables {
    var tables: [String: Table]

    func lookup(table: String, key: String) -> TableLookup {
        guard let found = tables[table] else { return .noSuchTable }
        guard let entry = found.get(key) else { return .missing }
        return .found(JSONValue.of(entry.value))
    }
}

/// A stored value as the language sees it: its JSON, or its text when it is not JSON.
enum JSONValue {
    static func of(_ bytes: [UInt8]) -> JSON {
        if let json = try? JSONParser.parse(bytes) { return json }
        return .string(String(decoding: bytes, as: UTF8.self))
    }
}
