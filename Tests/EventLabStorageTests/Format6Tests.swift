import EventLabCore
@testable import EventLabStorage
import EventLabTestSupport
import Foundation
import Testing

/// What a learner sees of a workspace: topics, descriptions, records, committed offsets.
private struct Seen: Equatable {
    var topics: [TopicDescription]
    var values: [[String?]]
    var offsets: [TopicPartition: CommittedOffset]

    init(_ broker: Broker) throws {
        topics = try broker.topics().map { try broker.describeTopic($0.name) }
        values = try [("orders", 0), ("orders", 1), ("audit", 0)].map { try broker.values($0.0, partition: $0.1) }
        offsets = broker.committedOffsets(groupId: "billing")
    }
}

private func entries(_ path: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: path).sorted()
}

@Suite("Workspace format 6: brokers/<id>")
struct Format6Tests {
    /// A format-5 workspace: a compacted topic with a cleaner checkpoint, a plain one, and a
    /// group's committed offsets, in format 5's layout. Returns what it showed.
    private func format5Workspace() throws -> (String, Seen) {
        let directory = temporaryDirectory()
        let seen = try withReopened(directory) { broker in
            var config = TopicConfig()
            config.cleanupPolicy = .compact
            config.segmentRecords = 2
            try broker.createTopic("orders", partitions: 2, config: config)
            try broker.createTopic("audit", partitions: 1)
            for index in 0..<12 { try broker.publish("orders", [ProducerRecord(key: "o-\(index % 3)", value: "v\(index)", partition: Int32(index % 2))]) }
            try broker.publishEach("audit", [(nil, "one")])
            _ = try broker.runCompaction(topic: "orders")
            _ = broker.commitOffsets(groupId: "billing", offsets: [TopicPartition("orders", 1): CommittedOffset(offset: 2, metadata: "m")])
            let seen = try Seen(broker)
            try broker.close()
            return seen
        }
        try makeFormat5(directory)
        #expect(FileManager.default.fileExists(atPath: directory + "/topics/orders/0/" + DiskPartition.checkpointFile))
        #expect(try entries(directory) == ["format-version", "group-offsets", "lock", "staging", "topics"])
        return (directory, seen)
    }

    @Test("a format-5 workspace becomes broker 1's: topics and staging move to brokers/1, and it reads as before")
    func migratesFormat5() throws {
        let (directory, before) = try format5Workspace()
        #expect(before.topics[1].partitions.contains { $0.cleanerCheckpoint > 0 })
        try withReopened(directory) { broker in
            #expect(try Seen(broker) == before)
            try broker.close()
        }
        #expect(try String(contentsOfFile: directory + "/format-version", encoding: .utf8) == "6\n")
        #expect(try entries(directory) == ["brokers", "format-version", "group-offsets", "lock"])
        #expect(try entries(directory + "/brokers") == ["1"])
        #expect(try entries(directory + "/brokers/1") == ["staging", "topics"])
        #expect(try entries(directory + "/brokers/1/topics") == ["audit", "orders"])
    }

    @Test("a kill after any step of the migration reopens to the same result")
    func crashDuringMigration() throws {
        for changes in 0..<20 {
            let (directory, before) = try format5Workspace()
            FileFaults.crash(under: directory, afterChanges: changes)
            let finished = (try? Workspace(directory: directory)) != nil
            FileFaults.clear(directory)
            try withReopened(directory) { broker throws in #expect(try Seen(broker) == before, "after \(changes) changes") }
            #expect(try entries(directory) == ["brokers", "format-version", "group-offsets", "lock"], "after \(changes) changes")
            if finished {
                #expect(changes > 0)
                return
            }
        }
        Issue.record("the migration never finished")
    }

    @Test("a workspace holding both format 5's topics/ and format 6's brokers/1/topics is refused, naming both, and nothing is merged")
    func refusesBoth() throws {
        let (directory, _) = try format5Workspace()
        try FileManager.default.createDirectory(atPath: directory + "/brokers/1/topics/other", withIntermediateDirectories: true)
        let error = brokerError { _ = try Workspace(directory: directory) }
        #expect(error?.message.contains("holds both \(directory)/topics (workspace format 5) and \(directory)/brokers/1/topics (format 6)") == true, "\(error?.message ?? "")")
        #expect(try String(contentsOfFile: directory + "/format-version", encoding: .utf8) == "5\n")
        #expect(try entries(directory + "/topics") == ["audit", "orders"])
    }

    @Test("a new workspace's cluster gets the brokers asked for; an existing one keeps its own, and adds one on demand")
    func diskCluster() throws {
        let directory = temporaryDirectory()
        do {
            let cluster = try Workspace(directory: directory).makeCluster(newBrokers: 3)
            let brokers = try cluster.loadBrokers()
            #expect(brokers.keys.sorted() == [1, 2, 3])
            _ = try brokers[2]!.createTopic(try TopicName("t"), config: TopicConfig(), partitions: 2, hosting: [1])
            #expect(try cluster.loadImage() == nil)
            try cluster.saveImage("cluster.id=x\n")
            try cluster.committedOffsets.save(StoredGroupOffsets(offsets: [TopicPartition("t", 1): CommittedOffset(offset: 4)]), group: "g")
            // Every storage holds the one lock.
            #expect(brokerError { _ = try Workspace(directory: directory) }?.message.contains("in use by process") == true)
            try cluster.close()
        }
        #expect(try entries(directory + "/brokers") == ["1", "2", "3"])
        do {
            let cluster = try Workspace(directory: directory).makeCluster(newBrokers: 5)
            let brokers = try cluster.loadBrokers()
            #expect(brokers.keys.sorted() == [1, 2, 3])
            let t = try #require(brokers[2]!.loadTopics().topics.first)
            #expect(t.indexes == [1] && t.partitionCount == 2)
            #expect(try brokers[1]!.loadTopics().topics.isEmpty)
            #expect(try cluster.loadImage() == "cluster.id=x\n")
            #expect(try cluster.committedOffsets.load()["g"]?.offsets == [TopicPartition("t", 1): CommittedOffset(offset: 4)])
            _ = try cluster.addBroker(4)
            #expect(try cluster.loadBrokers().keys.sorted() == [1, 2, 3, 4])
            try cluster.close()
        }
        #expect(try entries(directory + "/brokers") == ["1", "2", "3", "4"])
        #expect(try entries(directory).contains("cluster"))
    }

    @Test("a migrated workspace is a cluster of broker 1 with every topic, and no image yet")
    func migratedCluster() throws {
        let (directory, _) = try format5Workspace()
        let cluster = try Workspace(directory: directory).makeCluster(newBrokers: 3)
        let brokers = try cluster.loadBrokers()
        #expect(brokers.keys.sorted() == [1])
        #expect(try brokers[1]!.loadTopics().topics.map(\.name.rawValue) == ["audit", "orders"])
        #expect(try cluster.loadImage() == nil)
        #expect(try cluster.committedOffsets.load()["billing"] != nil)
    }

    @Test("anything under brokers/ but a broker's directory is refused, naming it", arguments: ["0", "100", "01", "x", "notes.txt"])
    func strayUnderBrokers(name: String) throws {
        let directory = temporaryDirectory()
        _ = try Workspace(directory: directory)
        try FileManager.default.createDirectory(atPath: directory + "/brokers/" + name, withIntermediateDirectories: true)
        let cluster = try Workspace(directory: directory).makeCluster(newBrokers: 1)
        let error = brokerError { _ = try cluster.loadBrokers() }
        #expect(error?.message.contains("\(directory)/brokers/\(name) is not a broker's directory") == true)
    }

    @Test("the memory twin: brokers 1…N, one added on demand, the image kept")
    func memoryCluster() throws {
        let cluster = MemoryCluster(brokers: 3)
        #expect(cluster.loadBrokers().keys.sorted() == [1, 2, 3])
        _ = cluster.addBroker(4)
        #expect(cluster.loadBrokers().keys.sorted() == [1, 2, 3, 4])
        #expect(cluster.loadImage() == nil)
        cluster.saveImage("x")
        #expect(cluster.loadImage() == "x")
        #expect(MemoryCluster().loadBrokers().keys.sorted() == [1])
    }
}
