import EventLabCore
@testable import EventLabStorage
import EventLabTestSupport
import Foundation
import Testing

@Suite("Hosting some of a topic's partitions")
struct SparseHostingTests {
    func config(_ fixture: StorageFixture) throws -> String {
        try String(contentsOfFile: fixture.path("config"), encoding: .utf8)
    }

    func directories(_ fixture: StorageFixture) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: fixture.path("")).filter { $0 != "config" }.sorted()
    }

    @Test("a broker hosts the partitions it is given, in order, and records in each stay there across reopening", arguments: Backend.allCases)
    func createSome(_ backend: Backend) throws {
        let fixture = try StorageFixture(backend, partitions: 3, hosting: [0, 2])
        #expect(fixture.partitions.count == 2)
        try append([batch(0)], to: fixture.partition(2))
        try fixture.reopen(clean: false)
        #expect(fixture.indexes == [0, 2])
        #expect(try recordOffsets(fixture.partition(2)) == [0])
        #expect(try recordOffsets(fixture.partition(0)) == [])
        if backend == .disk {
            let topic = try #require(fixture.loaded?.topics.first)
            #expect(topic.partitionCount == 3)
            #expect(try directories(fixture) == ["0", "2"])
            #expect(try config(fixture).hasPrefix("partitions=3\nhosted=0,2\ncleanup.policy=delete\n"))
        }
    }

    @Test("a topic hosted whole keeps format 5's config: no hosted line")
    func allHostedHasNoLine() throws {
        let fixture = try StorageFixture(.disk, partitions: 2)
        #expect(try config(fixture).hasPrefix("partitions=2\ncleanup.policy=delete\n"))
        try fixture.reopen(clean: true)
        #expect(fixture.loaded?.topics.first?.indexes == [0, 1])
    }

    @Test("partitions are added, hosted or not; copies are added and removed; the config says which, across reopening", arguments: Backend.allCases)
    func addAndRemove(_ backend: Backend) throws {
        let fixture = try StorageFixture(backend, partitions: 3, hosting: [0, 2])
        let added = try fixture.storage.addPartitions(StorageFixture.topic, config: TopicConfig(), indexes: 3..<5, hosting: [4])
        #expect(added.count == 1)
        try fixture.addReplica(1, of: 5)
        try append([batch(0, 3)], to: fixture.partition(1))
        try fixture.removeReplica(0)
        #expect(fixture.indexes == [1, 2])
        try fixture.reopen(clean: true)
        guard backend == .disk else { return }
        #expect(fixture.indexes == [1, 2, 4])
        #expect(fixture.loaded?.topics.first?.partitionCount == 5)
        #expect(try recordOffsets(fixture.partition(1)) == [0, 1, 2])
        #expect(try directories(fixture) == ["1", "2", "4"])
        #expect(try config(fixture).hasPrefix("partitions=5\nhosted=1,2,4\n"))

        var changed = TopicConfig()
        changed.segmentRecords = 7
        try fixture.storage.saveConfig(changed, for: StorageFixture.topic)
        #expect(try config(fixture).hasPrefix("partitions=5\nhosted=1,2,4\n"))
        #expect(try config(fixture).contains("segment.records=7\n"))
    }

    @Test("the topic's directory goes with its last copy, and a copy added to a topic the broker does not hold brings the topic", arguments: Backend.allCases)
    func lastCopy(_ backend: Backend) throws {
        let fixture = try StorageFixture(backend, partitions: 2, hosting: [1])
        try fixture.removeReplica(1)
        try fixture.reopen(clean: true)
        if backend == .disk {
            #expect(fixture.loaded?.topics.isEmpty == true)
            #expect(!FileManager.default.fileExists(atPath: fixture.path("")))
        }
        try fixture.addReplica(0, of: 2)
        try append([batch(0)], to: fixture.partition(0))
        try fixture.reopen(clean: false)
        if backend == .disk {
            #expect(fixture.indexes == [0])
            #expect(fixture.loaded?.topics.first?.partitionCount == 2)
            #expect(try config(fixture).hasPrefix("partitions=2\nhosted=0\n"))
        }
        #expect(try recordOffsets(fixture.partition(0)) == [0])
    }

    @Test("a broker that hosts none of a topic's partitions stores nothing for it, until partitions added to the topic land on it", arguments: Backend.allCases)
    func hostsNone(_ backend: Backend) throws {
        let fixture = try StorageFixture(backend, partitions: 1)
        let other = try TopicName("elsewhere")
        #expect(try fixture.storage.createTopic(other, config: TopicConfig(), partitions: 3, hosting: []).isEmpty)
        #expect(try fixture.storage.addPartitions(other, config: TopicConfig(), indexes: 3..<4, hosting: []).isEmpty)
        try fixture.storage.saveConfig(TopicConfig(), for: other)
        try fixture.storage.removeTopic(other)
        var config = TopicConfig()
        config.segmentRecords = 9
        let added = try fixture.storage.addPartitions(other, config: config, indexes: 4..<6, hosting: [5])
        #expect(added.count == 1)
        guard backend == .disk else { return }
        #expect(try String(contentsOfFile: fixture.directory! + "/brokers/1/topics/elsewhere/config", encoding: .utf8).hasPrefix("partitions=6\nhosted=5\n"))
        try fixture.reopen(clean: true)
        let topic = try #require(fixture.loaded?.topics.first { $0.name == other })
        #expect(topic.indexes == [5] && topic.partitionCount == 6 && topic.config.segmentRecords == 9)
    }

    @Test("a hosted partition's missing directory is damage, as before; a copy not hosted that holds records is refused, an empty one is removed")
    func damage() throws {
        let fixture = try StorageFixture(.disk, partitions: 3, hosting: [0, 2])
        try append([batch(0)], to: fixture.partition(2))
        try fixture.reopen(clean: true)
        try FileManager.default.moveItem(atPath: fixture.path("2"), toPath: fixture.path("1"))
        try fixture.reopen(clean: false)
        let missing = fixture.loaded?.unavailable[StorageFixture.topic]
        #expect(missing?.message.contains("/brokers/1/topics/t/1 holds records, but the topic's config says this broker hosts only partitions 0,2") == true)

        try FileManager.default.moveItem(atPath: fixture.path("1"), toPath: fixture.path("2"))
        try FileManager.default.createDirectory(atPath: fixture.path("1"), withIntermediateDirectories: false)
        try fixture.reopen(clean: false)
        #expect(fixture.indexes == [0, 2])
        #expect(!FileManager.default.fileExists(atPath: fixture.path("1")))

        try FileManager.default.removeItem(atPath: fixture.path("2"))
        try fixture.reopen(clean: false)
        #expect(fixture.loaded?.unavailable[StorageFixture.topic] != nil)
    }

    @Test("a partition count the config says went down is refused as before, and a bad hosted line is named")
    func refusedConfigs() throws {
        let fixture = try StorageFixture(.disk, partitions: 3, hosting: [0, 2])
        try append([batch(0)], to: fixture.partition(2))
        try fixture.reopen(clean: true)
        let original = try config(fixture)
        try original.replacingOccurrences(of: "partitions=3\nhosted=0,2\n", with: "partitions=2\nhosted=0\n").write(toFile: fixture.path("config"), atomically: true, encoding: .utf8)
        try fixture.reopen(clean: false)
        #expect(fixture.loaded?.unavailable[StorageFixture.topic]?.message.contains("a topic's partitions can only grow") == true)
        for bad in ["hosted=2,0", "hosted=0,3", "hosted=", "hosted=a"] {
            try original.replacingOccurrences(of: "hosted=0,2", with: bad).write(toFile: fixture.path("config"), atomically: true, encoding: .utf8)
            try fixture.reopen(clean: false)
            #expect(fixture.loaded?.unavailable[StorageFixture.topic]?.message.contains("\(bad) is not a list of partition indexes") == true, "\(bad)")
        }
    }

    @Test("a removal a kill interrupted is undone while the config still names the copy, and finished once it does not")
    func interruptedRemoval() throws {
        let fixture = try StorageFixture(.disk, partitions: 3, hosting: [0, 2])
        try append([batch(0)], to: fixture.partition(2))
        try fixture.reopen(clean: true)
        try FileManager.default.moveItem(atPath: fixture.path("2"), toPath: fixture.path("2.removing"))
        try fixture.reopen(clean: false)
        #expect(fixture.indexes == [0, 2])
        #expect(try recordOffsets(fixture.partition(2)) == [0])

        for changes in 0..<20 {
            FileFaults.crash(under: fixture.directory!, afterChanges: changes)
            let finished = (try? fixture.removeReplica(2)) != nil
            FileFaults.clear(fixture.directory!)
            try fixture.reopen(clean: false)
            if finished {
                #expect(fixture.indexes == [0])
                #expect(try directories(fixture) == ["0"])
                return
            }
            if fixture.indexes == [0] { return }
            #expect(try recordOffsets(fixture.partition(2)) == [0], "after \(changes) changes")
        }
        Issue.record("the removal never finished")
    }
}
