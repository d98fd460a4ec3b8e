/// What a synchronous call of another service's query (`call customers.address($.customer)`)
/// came back with.
public enum CallAnswer: Sendable, Equatable {
    /// The query's answer.
    case answer(JSON)
    /// The service exists but cannot answer now, e.g. because it is stopped; `reason` says why.
    /// The caller cannot go on with this record until the service is back, so its service is
    /// blocked at the record rather than given up on it.
    case unavailable(reason: String)
    /// There is no service of that name.
    case noSuchService
    /// The service answers no query of that name; `known` are the queries it does answer.
    case noSuchQuery(known: [String])
    /// The query's answer failed to evaluate; the error's column is in the query's definition.
    case failed(EvaluationError)
}
