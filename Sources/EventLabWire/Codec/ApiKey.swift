/// The Kafka APIs this broker answers, the versions it serves and advertises, and from which
/// version each is flexible (KIP-482: compact lengths, and tagged fields in every structure and
/// in the request and response headers).
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
        case .produce: 0...8
        case .fetch: 0...11
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

    /// The versions in which requests and responses are flexible, as in Apache Kafka 2.5.
    public var flexibleVersions: Versions {
        switch self {
        case .produce, .fetch, .listOffsets: .none
        case .metadata: "9+"
        case .offsetCommit: "8+"
        case .offsetFetch: "6+"
        case .findCoordinator: "3+"
        case .joinGroup: "6+"
        case .heartbeat, .leaveGroup, .syncGroup: "4+"
        case .describeGroups: "5+"
        case .listGroups, .apiVersions: "3+"
        case .createTopics: "5+"
        case .deleteTopics: "4+"
        case .initProducerId: "2+"
        }
    }

    /// The request's type, for the APIs described as data.
    var requestType: (any KafkaRequest.Type)? {
        switch self {
        case .produce: ProduceRequest.self
        case .fetch: FetchRequest.self
        default: nil
        }
    }
}
