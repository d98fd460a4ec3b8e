import EventLabCore

/// The topic APIs only the controller answers — CreateTopics, DeleteTopics and CreatePartitions —
/// as Kafka 2.5's KafkaApis answers them, in every version, on a broker that is not the
/// controller: NOT_CONTROLLER for each topic, before any other check, so the client asks the
/// controller Metadata names. A single broker is its own controller.
extension KafkaAPI {
    /// Whether this broker is the cluster's controller now: the controller moves when it stops.
    var isController: Bool {
        broker.cluster().controller == nodeId
    }

    /// CreateTopics answered by a broker that is not the controller: NOT_CONTROLLER per topic
    /// entry, a name given twice in each of its entries, without a message, as Kafka's.
    func notControllerAnswer(_ request: CreateTopicsRequest) -> CreateTopicsResponse {
        CreateTopicsResponse(topics: request.topics.map {
            CreateTopicsResponse.Topic(name: $0.name, errorCode: KafkaErrorCode.notController.rawValue, errorMessage: nil)
        })
    }

    /// DeleteTopics answered by a broker that is not the controller: NOT_CONTROLLER per name.
    func notControllerAnswer(_ request: DeleteTopicsRequest) -> DeleteTopicsResponse {
        DeleteTopicsResponse(responses: request.topicNames.map {
            DeleteTopicsResponse.Result(name: $0, errorCode: KafkaErrorCode.notController.rawValue)
        })
    }

    /// CreatePartitions answered by a broker that is not the controller: NOT_CONTROLLER once
    /// per topic named, since Kafka keys these answers by name, without a message.
    func notControllerAnswer(_ request: CreatePartitionsRequest) -> CreatePartitionsResponse {
        var seen: Set<String> = []
        return CreatePartitionsResponse(results: request.topics.filter { seen.insert($0.name).inserted }.map {
            CreatePartitionsResponse.Result(name: $0.name, errorCode: KafkaErrorCode.notController.rawValue, errorMessage: nil)
        })
    }
}
