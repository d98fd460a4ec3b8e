import EventLabCore
import EventLabStorage
import EventLabTestSupport
import Foundation
import Testing

/// Turns a one-broker workspace written by this EventLab into the format-5 layout: broker 1's
/// `topics/` and `staging/` at the top, no `brokers/` (the caller writes the version it wants).
func makeFormat5(_ directory: String) throws {
    for name in ["topics", "staging"] {
        try FileManager.default.moveItem(atPath: directory + "/brokers/1/" + name, toPath: directory + "/" + name)
    }
    try FileManager.default.removeItem(atPath: directory + "/brokers")
    try "5\n".write(toFile: directory + "/format-version", atomically: true, encoding: .utf8)
}

/// Turns a workspace written by this EventLab into the format-1 layout: topics staged under
/// dot-names inside `topics/`, no `staging/`.
private func makeFormat1(_ directory: String, renaming: [String: String]) throws {
    try makeFormat5(directory)
    for (topic, dotName) in renaming {
        try FileManager.default.moveItem(atPath: directory + "/topics/" + topic, toPath: directory + "/topics/" + dotName)
    }
    try FileManager.default.removeItem(atPath: directory + "/staging")
    try "1\n".write(toFile: directory + "/format-version", atomically: true, encoding: .utf8)
}

private func formatVersion(_ directory: String) throws -> String {
    try String(contentsOfFile: directory + "/format-version", encoding: .utf8)
}

@Suite("Workspace format")
struct WorkspaceFormatTests {
    @Test("a format-1 workspace is migrated: what it staged goes, and topics whose names start with a dot keep their records")
    func migratesFormat1() throws {
        let directory = temporaryDirectory()
        try withReopened(directory) { broker in
            for name in [".events", "kept-as-creating", "staged", "staged-old", "empty-deleted"] { try broker.createTopic(name, partitions: 1) }
            try broker.publishEach(".events", [(nil, "one"), (nil, "two")])
            try broker.publishEach("kept-as-creating", [(nil, "mine")])
            try broker.close()
        }
        try makeFormat1(directory, renaming: [
            "staged": ".creating", "staged-old": ".creating-orders", "empty-deleted": ".deleted-audit", "kept-as-creating": ".creating-x",
        ])
        try withReopened(directory) { broker throws in
            #expect(broker.topics().map(\.name) == [".creating-x", ".events"])
            #expect(try broker.values(".events") == ["one", "two"])
            #expect(try broker.values(".creating-x") == ["mine"])
        }
        #expect(try formatVersion(directory) == "6\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/brokers/1/topics").sorted() == [".creating-x", ".events"])
    }

    @Test("a format-1 staged deletion that holds records is neither deleted nor opened: the refusal names it and the choice")
    func refusesAmbiguousDeletion() throws {
        let directory = temporaryDirectory()
        try withReopened(directory) { broker in
            try broker.createTopic("doomed", partitions: 1)
            try broker.publishEach("doomed", [(nil, "maybe wanted")])
            try broker.close()
        }
        try makeFormat1(directory, renaming: ["doomed": ".deleted"])
        let error = brokerError { _ = try Workspace(directory: directory) }
        #expect(error?.message.contains(directory + "/topics/.deleted holds records") == true)
        #expect(error?.message.contains("Delete the directory to finish the deletion, or rename it") == true)
        #expect(try formatVersion(directory) == "1\n")
        #expect(FileManager.default.fileExists(atPath: directory + "/topics/.deleted/0/00000000000000000000.log"))
    }

    @Test("a workspace written by a newer EventLab, or whose format-version is unreadable, is refused with what to do")
    func refusesUnknownFormats() throws {
        for (text, expected) in [
            ("99\n", "holds workspace format 99, written by a newer EventLab; this one reads formats 1 to 6"),
            ("two\n", "format-version holds 'two', not a format version"),
            ("", "format-version holds '', not a format version"),
        ] {
            let directory = temporaryDirectory()
            try text.write(toFile: directory + "/format-version", atomically: true, encoding: .utf8)
            let error = brokerError { _ = try Workspace(directory: directory) }
            #expect(error?.message.contains(expected) == true, "\(error?.message ?? "no error")")
            #expect(try formatVersion(directory) == text)
        }
    }

    @Test("a format-2 workspace is migrated: its config files, which spelt no limit `none`, read as before and are rewritten in Kafka's spelling")
    func migratesFormat2() throws {
        let directory = temporaryDirectory()
        try withReopened(directory) { broker in
            for name in ["kept", "default", "damaged"] { try broker.createTopic(name, partitions: 2) }
            try broker.publish("kept", [ProducerRecord(key: nil, value: "one", partition: 0)])
            try broker.close()
        }
        // Exactly what format 2 wrote for `--compact --retention 1000records --segment-records 4`,
        // for a default topic, and for one a person damaged by hand.
        let format2 = [
            "kept": "partitions=2\ncleanup.policy=compact\nretention.ms=none\nretention.bytes=none\nretention.records=1000\nsegment.bytes=1073741824\nsegment.records=4\nsegment.ms=none\nmax.message.bytes=1048588\ndelete.retention.ms=86400000\n",
            "default": "partitions=2\ncleanup.policy=delete\nretention.ms=604800000\nretention.bytes=none\nretention.records=none\nsegment.bytes=1073741824\nsegment.records=none\nsegment.ms=604800000\nmax.message.bytes=1048588\ndelete.retention.ms=86400000\n",
            "damaged": "partitions=2\ncleanup.policy=delete\nretention.ms=soon\nretention.bytes=none\n",
        ]
        try makeFormat5(directory)
        for (topic, text) in format2 { try text.write(toFile: directory + "/topics/\(topic)/config", atomically: true, encoding: .utf8) }
        try "2\n".write(toFile: directory + "/format-version", atomically: true, encoding: .utf8)
        try withReopened(directory) { broker throws in
            let kept = try broker.describeTopic("kept").config
            #expect(kept.cleanupPolicy == .compact && kept.retentionMs == nil && kept.retentionBytes == nil)
            #expect(kept.retentionRecords == 1000 && kept.segmentRecords == 4 && kept.segmentMs == Int64.max)
            #expect(try broker.describeTopic("default").config == TopicConfig())
            #expect(try broker.values("kept") == ["one"])
            let offline = broker.unavailableTopics()
            #expect(offline.map(\.name) == ["damaged"])
            #expect(offline.first?.error.message.contains("/topics/damaged/config is damaged: retention.ms=soon is not a whole number") == true)
        }
        #expect(try formatVersion(directory) == "6\n")
        let config = try String(contentsOfFile: directory + "/brokers/1/topics/kept/config", encoding: .utf8)
        #expect(config.contains("retention.ms=-1\n") && config.contains("segment.ms=9223372036854775807\n") && !config.contains("none"))
        #expect(try String(contentsOfFile: directory + "/brokers/1/topics/damaged/config", encoding: .utf8) == "partitions=2\ncleanup.policy=delete\nretention.ms=soon\nretention.bytes=-1\n")
    }

    @Test("a config file that names only some configs keeps the defaults of the rest, so a format-3 workspace, written before message.timestamp.type, reads as CreateTime")
    func configFileKeepsDefaults() throws {
        let directory = temporaryDirectory()
        try withReopened(directory) { broker in
            try broker.createTopic("t", partitions: 2)
            try broker.close()
        }
        try makeFormat5(directory)
        try "partitions=2\nsegment.records=4\n".write(toFile: directory + "/topics/t/config", atomically: true, encoding: .utf8)
        try "3\n".write(toFile: directory + "/format-version", atomically: true, encoding: .utf8)
        try withReopened(directory) { broker throws in
            var expected = TopicConfig()
            expected.segmentRecords = 4
            #expect(try broker.describeTopic("t").config == expected)
            #expect(try broker.describeTopic("t").config.messageTimestampType == .createTime)
            #expect(try broker.describeTopic("t").partitions.count == 2)
        }
        #expect(try formatVersion(directory) == "6\n")
    }

    @Test("a topic's message.timestamp.type is written to its config file, a line a format-3 reader would call damaged: hence format 4")
    func timestampTypeIsStored() throws {
        let directory = temporaryDirectory()
        try withReopened(directory) { broker in
            var config = TopicConfig()
            config.messageTimestampType = .logAppendTime
            try broker.createTopic("t", partitions: 1, config: config)
            try broker.close()
        }
        #expect(try String(contentsOfFile: directory + "/brokers/1/topics/t/config", encoding: .utf8).contains("message.timestamp.type=LogAppendTime\n"))
        #expect(try formatVersion(directory) == "6\n")
        try withReopened(directory) { broker throws in
            #expect(try broker.describeTopic("t").config.messageTimestampType == .logAppendTime)
        }
    }

    @Test("a format-4 group-offsets file, without commit times, is read: its offsets count as committed when the workspace opens, and format 5 is written")
    func migratesFormat4Offsets() throws {
        let directory = temporaryDirectory()
        try withReopened(directory) { broker in
            try broker.createTopic("orders", partitions: 1)
            try broker.close()
        }
        try makeFormat5(directory)
        try "billing\torders\t0\t3\t-\n".write(toFile: directory + "/group-offsets", atomically: true, encoding: .utf8)
        try "4\n".write(toFile: directory + "/format-version", atomically: true, encoding: .utf8)
        let workspace = try Workspace(directory: directory)
        let clock = LogicalClock()
        try clock.advance(by: 3 * 86_400_000)
        var config = BrokerConfig()
        try config.set("offsets.retention.check.interval.ms=60000")
        let broker = try Broker(storage: workspace.makeStorage(), clock: clock, config: config)
        #expect(try formatVersion(directory) == "6\n")
        let opened = clock.now()
        #expect(broker.committedOffsets(groupId: "billing") == [TopicPartition("orders", 0): CommittedOffset(offset: 3, commitTimestamp: opened)])
        try broker.scheduler.advanceClock(by: 7 * 86_400_000 - 60_000)
        #expect(broker.committedOffsets(groupId: "billing").count == 1)
        try broker.scheduler.advanceClock(by: 60_000)
        #expect(broker.committedOffsets(groupId: "billing").isEmpty)
        #expect(try String(contentsOfFile: directory + "/group-offsets", encoding: .utf8) == "")
        try broker.close()
    }

    @Test("a format-4 workspace, written before the cleaner's configs, reads with their defaults and becomes format 5, whose config files name them")
    func cleanerConfigsNeedFormat5() throws {
        let directory = temporaryDirectory()
        try withReopened(directory) { broker in
            try broker.createTopic("t", partitions: 1)
            try broker.close()
        }
        try makeFormat5(directory)
        try "partitions=1\ncleanup.policy=compact\nmessage.timestamp.type=CreateTime\n".write(toFile: directory + "/topics/t/config", atomically: true, encoding: .utf8)
        try "4\n".write(toFile: directory + "/format-version", atomically: true, encoding: .utf8)
        try withReopened(directory) { broker throws in
            let config = try broker.describeTopic("t").config
            #expect(config.minCleanableDirtyRatio == 0.5)
            #expect(config.minCompactionLagMs == 0)
            #expect(config.maxCompactionLagMs == .max)
            try broker.alterConfigs("t", [("min.cleanable.dirty.ratio", "0.25")])
            try broker.close()
        }
        #expect(try formatVersion(directory) == "6\n")
        #expect(try String(contentsOfFile: directory + "/brokers/1/topics/t/config", encoding: .utf8).contains("min.cleanable.dirty.ratio=0.25\n"))
    }
}
