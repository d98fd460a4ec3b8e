/// The Kafka APIs this broker answers, and the versions it advertises: non-flexible versions
/// only (plus ApiVersions v3), chosen so librdkafka and kafka-python use RecordBatch v2 and never
/// need tagged fields: flexible versions (KIP-482) add tagged fields to every header and body,
/// and the clients we serve fall back to the non-flexible ones when those are all we list.
public enum ApiKey: Int16, CaseIterable, Sendable {
    case produce = 0
    case fetch = 1
    case listOffsets = 2
    case metadata = 3
    case offsetCommit = 8
    case offsetFetch = 9
    case findCoordinator = 10
    case joinGroup = 11
    case heartbeat = 12
    case leaveGroup = 13
    case syncGroup = 14
    case describeGroups = 15
    case listGroups = 16
    case apiVersions = 18
    case createTopics = 19
    case deleteTopics = 20
    case initProducerId = 22

    /// The versions this broker accepts.
    public var versions: ClosedRange<Int16> {
        switch self {
        case .produce: 3...7
        case .fetch: 4...11
        case .listOffsets: 1...2
        case .metadata: 0...4
        case .offsetCommit: 2...7
        case .offsetFetch: 1...5
        case .findCoordinator: 0...2
        case .joinGroup: 0...5
        case .heartbeat: 0...3
        case .leaveGroup: 0...1
        case .syncGroup: 0...3
        case .describeGroups: 0...4
        case .listGroups: 0...2
        case .apiVersions: 0...3
        case .createTopics: 0...4
        case .deleteTopics: 0...3
        case .initProducerId: 0...1
        }
    }
}

/// The header every request starts with (v1; v2 adds tagged fields for flexible requests).
public struct RequestHeader: Equatable, Sendable {
    public var apiKey: Int16
    public var apiVersion: Int16
    public var correlationId: Int32
    public var clientId: String?
}
