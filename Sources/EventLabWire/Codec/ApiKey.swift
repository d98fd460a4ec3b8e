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
    case deleteRecords = 21
    case initProducerId = 22
    case describeConfigs = 32
    case alterConfigs = 33
    case createPartitions = 37
    case deleteGroups = 42
    case incrementalAlterConfigs = 44
    case offsetDelete = 47

    /// The versions this broker accepts.
    public var versions: ClosedRange<Int16> {
        switch self {
        case .produce: 0...8
        case .fetch: 0...11
        case .listOffsets: 0...5
        case .metadata: 0...9
        case .offsetCommit: 0...8
        case .offsetFetch: 0...7
        case .findCoordinator: 0...3
        case .joinGroup: 0...7
        case .heartbeat: 0...4
        case .leaveGroup: 0...4
        case .syncGroup: 0...5
        case .describeGroups: 0...5
        case .listGroups: 0...3
        case .apiVersions: 0...3
        case .createTopics: 0...5
        case .deleteTopics: 0...4
        case .initProducerId: 0...3
        case .describeConfigs: 0...2
        case .alterConfigs: 0...1
        case .createPartitions: 0...2
        case .incrementalAlterConfigs: 0...1
        case .deleteRecords: 0...1
        case .deleteGroups: 0...2
        case .offsetDelete: 0...0
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
        case .describeConfigs, .alterConfigs, .deleteRecords, .offsetDelete: .none
        case .createPartitions: "2+"
        case .incrementalAlterConfigs: "1+"
        case .deleteGroups: "2+"
        }
    }

    /// The request's type: its description as data, which knows its answer's type and how the
    /// broker answers it.
    var requestType: any KafkaRequest.Type {
        switch self {
        case .produce: ProduceRequest.self
        case .offsetCommit: OffsetCommitRequest.self
        case .offsetFetch: OffsetFetchRequest.self
        case .joinGroup: JoinGroupWireRequest.self
        case .heartbeat: HeartbeatRequest.self
        case .leaveGroup: LeaveGroupRequest.self
        case .syncGroup: SyncGroupWireRequest.self
        case .describeGroups: DescribeGroupsRequest.self
        case .listGroups: ListGroupsRequest.self
        case .listOffsets: ListOffsetsRequest.self
        case .metadata: MetadataRequest.self
        case .findCoordinator: FindCoordinatorRequest.self
        case .apiVersions: ApiVersionsRequest.self
        case .createTopics: CreateTopicsRequest.self
        case .deleteTopics: DeleteTopicsRequest.self
        case .initProducerId: InitProducerIdRequest.self
        case .describeConfigs: DescribeConfigsRequest.self
        case .alterConfigs: AlterConfigsRequest.self
        case .createPartitions: CreatePartitionsRequest.self
        case .incrementalAlterConfigs: IncrementalAlterConfigsRequest.self
        case .deleteRecords: DeleteRecordsRequest.self
        case .deleteGroups: DeleteGroupsRequest.self
        case .offsetDelete: OffsetDeleteRequest.self
        case .fetch: FetchRequest.self
        }
    }
}
