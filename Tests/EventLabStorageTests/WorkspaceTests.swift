import EventLabCore
import EventLabStorage
import EventLabTestSupport
import Foundation
import Testing

@Suite("Workspace on disk")
struct WorkspaceTests {
    @Test("topics, configs, records, segments and committed offsets survive a restart")
    func survivesRestart() throws {
        for clean in [true, false] {
            let test = try TestBroker(.disk)
            var config = TopicConfig()
            config.segmentRecords = 2
            config.cleanupPolicy = [.compact, .delete]
            try test.broker.createTopic("orders", partitions: 2, config: config)
            try test.broker.createTopic("audit", partitions: 1)
            try test.broker.publish("orders", (0..<7).map { ProducerRecord(key: "o-\($0 % 3)", value: "v\($0)") })
            _ = test.broker.commitOffsets(groupId: "billing team", offsets: [TopicPartition("orders", 1): CommittedOffset(offset: 2, metadata: "tab\there")])
            let before = (try test.broker.topics(), try test.broker.values("orders", partition: 0), try test.broker.values("orders", partition: 1))
            try test.reopen(clean: clean)
            let after = (try test.broker.topics(), try test.broker.values("orders", partition: 0), try test.broker.values("orders", partition: 1))
            #expect(after.0 == before.0)
            #expect(after.1 == before.1 && after.2 == before.2)
            #expect(test.broker.committedOffsets(groupId: "billing team") == [TopicPartition("orders", 1): CommittedOffset(offset: 2, metadata: "tab\there", commitTimestamp: test.clock.now())])
            try test.broker.publishEach("audit", [(nil, "after restart")])
            #expect(try test.broker.values("audit") == ["after restart"])
        }
    }

    @Test("deleted topics and altered configs stay so after a restart")
    func deleteAndAlterPersist() throws {
        let test = try TestBroker(.disk)
        try test.broker.createTopic("gone", partitions: 1)
        try test.broker.createTopic("kept", partitions: 1)
        var config = TopicConfig()
        config.retentionMs = nil
        try test.broker.alterTopic("kept", config: config)
        try test.broker.addPartitions("kept", to: 3)
        try test.broker.deleteTopic("gone")
        try test.reopen(clean: false)
        #expect(test.broker.topics().map(\.name) == ["kept"])
        #expect(try test.broker.describeTopic("kept").config.retentionMs == nil)
        #expect(try test.broker.describeTopic("kept").partitions.count == 3)
    }

    @Test("topics whose names start with a dot keep their records across a restart, as Kafka serves them", arguments: [true, false])
    func dotNamedTopicsSurvive(clean: Bool) throws {
        let test = try TestBroker(.disk)
        let names = [".events", ".creating", ".deleted", ".deleting"]
        for name in names {
            try test.broker.createTopic(name, partitions: 2)
            try test.broker.publishEach(name, [("k", "\(name) one"), ("k", "\(name) two")])
        }
        try test.broker.deleteTopic(".deleting")
        try test.reopen(clean: clean)
        #expect(test.broker.topics().map(\.name) == [".creating", ".deleted", ".events"])
        for name in names.dropLast() {
            let partition = try test.broker.publish(name, [ProducerRecord(key: "k", value: "\(name) three")])[0].partition
            #expect(try test.broker.values(name, partition: partition) == ["\(name) one", "\(name) two", "\(name) three"])
        }
    }

    @Test("what an interrupted create or delete left in staging/ is cleared on opening, and no topic is touched")
    func stagingLeftoversCleared() throws {
        let test = try TestBroker(.disk)
        try test.broker.createTopic("creating", partitions: 1)
        try test.broker.publishEach("creating", [(nil, "kept")])
        let directory = try #require(test.directory)
        for leftover in ["creating/0", "deleting/0"] {
            try FileManager.default.createDirectory(atPath: directory + "/brokers/1/staging/" + leftover, withIntermediateDirectories: true)
            try Data("stale".utf8).write(to: URL(fileURLWithPath: directory + "/brokers/1/staging/" + leftover + "/00000000000000000000.log"))
        }
        try test.reopen(clean: false)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/brokers/1/staging").isEmpty)
        #expect(test.broker.topics().map(\.name) == ["creating"])
        #expect(try test.broker.values("creating") == ["kept"])
    }

    @Test("the files follow Kafka's layout: a directory per partition, segments named by base offset")
    func layout() throws {
        let test = try TestBroker(.disk)
        var config = TopicConfig()
        config.segmentRecords = 2
        try test.broker.createTopic("orders", partitions: 1, config: config)
        try test.broker.publishEach("orders", (0..<5).map { (nil, "v\($0)") })
        let directory = try #require(test.directory) + "/brokers/1/topics/orders/0"
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(files.contains("00000000000000000000.log"))
        #expect(files.contains("00000000000000000000.index"))
        #expect(files.contains("00000000000000000000.timeindex"))
        #expect(files.contains("00000000000000000002.log"))
        #expect(files.contains("00000000000000000004.log"))
        #expect(FileManager.default.fileExists(atPath: try #require(test.directory) + "/format-version"))
    }

    @Test("a segment file holds the RecordBatch v2 bytes exactly as the core encoded them")
    func segmentBytesAreBatches() throws {
        let test = try TestBroker(.disk)
        try test.broker.createTopic("t", partitions: 1)
        let batch = try RecordBatch(validating: fixture("record-batch-single.hex"))
        _ = try test.broker.append(batch, topic: "t", partition: 0)
        let log = try Data(contentsOf: URL(fileURLWithPath: try #require(test.directory) + "/brokers/1/topics/t/0/00000000000000000000.log"))
        #expect(Array(log) == batch.encoded())
    }

    @Test("a second owner in the same process is refused with the holder's pid")
    func lockedInProcess() throws {
        let test = try TestBroker(.disk)
        let error = brokerError { _ = try Workspace(directory: test.directory!) }
        #expect(error?.code == .kafkaStorageError)
        #expect(error?.message.contains("in use by process \(ProcessInfo.processInfo.processIdentifier)") == true)
        #expect(error?.message.contains("--data") == true)
    }

    @Test("deleting the lock file does not release the workspace: a second owner is still refused with the holder's pid")
    func lockSurvivesDeletedLockFile() throws {
        let test = try TestBroker(.disk)
        let directory = try #require(test.directory)
        try FileManager.default.removeItem(atPath: directory + "/lock")
        let error = brokerError { _ = try Workspace(directory: directory) }
        #expect(error?.message.contains("in use by process \(ProcessInfo.processInfo.processIdentifier)") == true)
        try "999999\n".write(toFile: directory + "/lock", atomically: true, encoding: .utf8)
        let replaced = brokerError { _ = try Workspace(directory: directory) }
        #expect(replaced?.message.contains("in use by process \(ProcessInfo.processInfo.processIdentifier)") == true)
    }

    @Test("the storage holds the workspace's lock: dropping the Workspace does not let a second owner in while the storage can write")
    func storageHoldsTheLock() throws {
        let directory = temporaryDirectory()
        var broker: Broker? = try {
            let workspace = try Workspace(directory: directory)
            return try Broker(storage: workspace.makeStorage())
        }()
        try broker?.createTopic("t", partitions: 1)
        let error = brokerError { _ = try Workspace(directory: directory) }
        #expect(error?.message.contains("in use by process \(ProcessInfo.processInfo.processIdentifier)") == true)
        try broker?.publishEach("t", [(nil, "written after the Workspace was dropped")])
        broker = nil
        try withReopened(directory) { broker throws in
            #expect(try broker.values("t") == ["written after the Workspace was dropped"])
        }
    }

    @Test("the logical clock's time is saved in the workspace")
    func clockSaved() throws {
        let directory = temporaryDirectory()
        do {
            let workspace = try Workspace(directory: directory)
            #expect(try workspace.savedClockTime() == nil)
            try workspace.saveClockTime(LogicalClock.start + 86_400_000)
        }
        #expect(try Workspace(directory: directory).savedClockTime() == LogicalClock.start + 86_400_000)
    }

    @Test("the default workspace follows XDG_DATA_HOME, else ~/.local/share")
    func defaultDirectory() {
        #expect(Workspace.defaultDirectory(environment: ["XDG_DATA_HOME": "/data", "HOME": "/home/a"]) == "/data/eventlab")
        #expect(Workspace.defaultDirectory(environment: ["HOME": "/home/a"]) == "/home/a/.local/share/eventlab")
        #expect(Workspace.defaultDirectory(environment: ["XDG_DATA_HOME": "relative", "HOME": "/home/a"]) == "/home/a/.local/share/eventlab")
    }

    @Test("a damaged topic config is reported with its path, and the topic is offline")
    func damagedConfig() throws {
        let test = try TestBroker(.disk)
        try test.broker.createTopic("t", partitions: 1)
        let path = test.directory! + "/brokers/1/topics/t/config"
        try "partitions=1\ncleanup.policy=sometimes\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = try test.openingError()
        #expect(error?.message.contains(path) == true)
        #expect(error?.message.contains("cleanup.policy") == true)
    }
}
