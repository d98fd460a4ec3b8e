/// Why an expression reads only its own input — its event or payload, and the value bound beside
/// it — and never a table or a service: what is replayed from the log (a fold, a projection, an
/// upcaster) must give the same result each time, and a table's contents and a service's answers
/// change over time. The parser refuses a lookup or a call with this reason and its advice.
struct SelfContained: Sendable {
    /// What the expression belongs to, as "a fold".
    let owner: String
    /// Why, and what to do instead.
    let reason: String

    /// The refusal of `what` ("look up a table", "call a service").
    func refusal(_ what: String) -> String { "\(owner) cannot \(what): \(reason)" }

    /// An aggregate's rules, which fold the key's events into `state`.
    static let fold = SelfContained(
        owner: "a fold",
        reason: "replaying the log must give the same `state` every time, so it reads only the event and `state`; "
            + "a table or a service changes over time, so carry the value in the event (a service can add it when the event is made)")

    /// A projection's rules, which build a read model from the log.
    static let projection = SelfContained(
        owner: "a projection",
        reason: "rebuilding it from the log must give the same read model every time, so it reads only the event; "
            + "a table or a service changes over time, so carry the value in the event (a service can add it when the event is made)")

    /// A command's key, conditions and templates, decided before any event is written.
    static let command = SelfContained(
        owner: "a command",
        reason: "it is decided on its payload and its aggregate's state alone; send the value in the payload instead")

    /// An upcaster's condition and template, applied to every old record read.
    static let upcaster = SelfContained(
        owner: "an upcaster",
        reason: "it reads only its event, so that replaying the log always gives the same events; carry the value in the event")
}
