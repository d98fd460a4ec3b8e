import EventLabCore

/// A service's or table's name follows a topic's rule (a service's is its group's name, and both
/// stay one plain word in scripts): why a name breaks it, in the words of the thing named.
enum FlowName {
    /// Why `name` cannot name `what` ("a service"), or nil when it can; `example` follows the
    /// characters allowed.
    static func problem(_ name: String, naming what: String, example: String = "") -> String? {
        guard (try? TopicName(name)) == nil else { return nil }
        let shown = name.count > 40 ? "\(name.prefix(40))…" : name
        if name.utf8.count > TopicName.maxLength {
            return "'\(shown)' cannot name \(what): it is \(name.utf8.count) characters long, and the limit is \(TopicName.maxLength)"
        }
        if name == "." || name == ".." {
            return "'\(name)' cannot name \(what): '.' and '..' are reserved"
        }
        return "'\(shown)' cannot name \(what): use letters, digits, '.', '_' and '-'\(example)"
    }
}
