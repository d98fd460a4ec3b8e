import EventLabCore
import EventLabShell
@testable import EventLabStorage
import EventLabTestSupport
@testable import EventLabWire
import Testing

/// A config value and what it must read as, or nil when it must be refused.
private struct Case: CustomTestStringConvertible, Sendable {
    let name: String
    let value: String
    let accepted: String?
    var testDescription: String { "\(name)=\(value)" }
}

/// Every registry entry with values it must take and values it must refuse; a config added to
/// the registry without cases here fails `everyConfigHasCases`.
private let cases: [Case] = [
    ("cleanup.policy", "delete", "delete"), ("cleanup.policy", "compact", "compact"),
    ("cleanup.policy", "compact,delete", "compact,delete"), ("cleanup.policy", "delete,compact", "compact,delete"),
    ("cleanup.policy", "compact, delete", "compact,delete"), ("cleanup.policy", "", nil),
    ("cleanup.policy", "purge", nil), ("cleanup.policy", "compact,,delete", nil),
    ("delete.retention.ms", "0", "0"), ("delete.retention.ms", "-1", nil), ("delete.retention.ms", "1d", nil),
    ("max.message.bytes", "61", "61"), ("max.message.bytes", "60", nil), ("max.message.bytes", "2147483648", nil),
    ("retention.bytes", "-1", "-1"), ("retention.bytes", "0", "0"), ("retention.bytes", "-2", nil), ("retention.bytes", "10MB", nil),
    ("retention.ms", "-1", "-1"), ("retention.ms", "0", "0"), ("retention.ms", "86400000", "86400000"),
    ("retention.ms", "-2", nil), ("retention.ms", "forever", nil), ("retention.ms", "9223372036854775808", nil),
    ("retention.records", "-1", "-1"), ("retention.records", "1000", "1000"), ("retention.records", "-5", nil),
    ("segment.bytes", "14", "14"), ("segment.bytes", "2147483647", "2147483647"), ("segment.bytes", "13", nil),
    ("segment.bytes", "2147483648", nil),
    ("segment.ms", "1", "1"), ("segment.ms", "0", nil),
    ("segment.records", "1", "1"), ("segment.records", "-1", "-1"), ("segment.records", "0", nil),
    ("message.timestamp.type", "CreateTime", "CreateTime"), ("message.timestamp.type", " LogAppendTime", "LogAppendTime"),
    ("message.timestamp.type", "logappendtime", nil), ("message.timestamp.type", "", nil),
    ("min.cleanable.dirty.ratio", "0.01", "0.01"), ("min.cleanable.dirty.ratio", "1", "1.0"), ("min.cleanable.dirty.ratio", "1.5", nil),
    ("min.cleanable.dirty.ratio", "half", nil), ("min.cleanable.dirty.ratio", "nan", nil),
    ("min.compaction.lag.ms", "0", "0"), ("min.compaction.lag.ms", "-1", nil),
    ("max.compaction.lag.ms", "1", "1"), ("max.compaction.lag.ms", "0", nil),
    ("min.insync.replicas", "2", "2"), ("min.insync.replicas", "0", nil), ("min.insync.replicas", "two", nil),
    ("unclean.leader.election.enable", "true", "true"), ("unclean.leader.election.enable", "FALSE", "false"),
    ("unclean.leader.election.enable", "yes", nil),
    ("retention.msx", "1", nil), ("compression.type", "gzip", nil),
].map { Case(name: $0.0, value: $0.1, accepted: $0.2) }

/// The three ways a topic config is set: CreateTopics from a client, the topic's config file,
/// and `--config` in the shell. Each returns the value it reads back, or the error it gives.
private enum Path: CaseIterable, CustomTestStringConvertible {
    case wire, file, shell
    var testDescription: String { "\(self)" }

    func apply(_ name: String, _ value: String) throws -> Result<String, BrokerError> {
        switch self {
        case .wire:
            do throws(BrokerError) {
                return .success(try TopicConfigs.parse([name: value], over: TopicConfig()).value(of: name))
            } catch { return .failure(error) }
        case .file:
            do throws(BrokerError) {
                let config = try TopicConfigFile.decode(bytes("partitions=1\n\(name)=\(value)\n"), path: "t/config").config
                return .success(try config.value(of: name))
            } catch { return .failure(error) }
        case .shell:
            let broker = try Broker(clock: LogicalClock(), ids: SeededIdSource(seed: 0))
            let output = CapturedOutput()
            let shell = Shell(broker: broker, logicalClock: nil, output: output, width: 80)
            shell.execute("topic create t --config '\(name)=\(value)'")
            if output.text.hasPrefix("error: ") { return .failure(BrokerError(.invalidConfig, output.text)) }
            return .success(try broker.describeTopic("t").config.value(of: name))
        }
    }
}

@Suite("Topic configs: CreateTopics, the config file and the shell take and refuse the same values")
struct TopicConfigPathsTests {
    @Test("each path takes the good values as Kafka spells them and refuses the bad ones with the registry's sentence", arguments: cases)
    fileprivate func samePaths(_ test: Case) throws {
        var expectedError: BrokerError?
        do throws(BrokerError) {
            var config = TopicConfig()
            try config.set(test.name, to: test.value)
        } catch { expectedError = error }
        for path in Path.allCases {
            switch try path.apply(test.name, test.value) {
            case .success(let value):
                #expect(value == test.accepted, "\(path) read \(value)")
            case .failure(let error):
                #expect(test.accepted == nil, "\(path) refused: \(error.message)")
                #expect(error.code == .invalidConfig)
                if let expectedError { #expect(error.message.contains(expectedError.message), "\(path): \(error.message)") }
            }
        }
    }

    @Test("each friendly option sets the registry's config as --config NAME=VALUE does", arguments: [
        ("--retention 1d", "--config retention.ms=86400000"),
        ("--retention 10MB", "--config retention.bytes=10485760"),
        ("--retention 1000records", "--config retention.records=1000"),
        ("--retention forever", "--config retention.ms=-1 --config retention.bytes=-1 --config retention.records=-1"),
        ("--cleanup compact,delete", "--config 'cleanup.policy=compact, delete'"),
        ("--compact", "--config cleanup.policy=compact"),
        ("--segment-records 4", "--config segment.records=4"),
        ("--segment-bytes 1MB", "--config segment.bytes=1048576"),
        ("--segment-age 1h", "--config segment.ms=3600000"),
        ("--delete-retention 0s", "--config delete.retention.ms=0"),
        ("--max-message-bytes 2MB", "--config max.message.bytes=2097152"),
    ])
    func friendlyOptions(friendly: String, configs: String) throws {
        let broker = try Broker(clock: LogicalClock(), ids: SeededIdSource(seed: 0))
        let output = CapturedOutput()
        let shell = Shell(broker: broker, logicalClock: nil, output: output, width: 80)
        shell.execute("topic create friendly \(friendly)")
        shell.execute("topic create named \(configs)")
        #expect(!output.text.contains("error"), "\(output.text)")
        let config = try broker.describeTopic("named").config
        #expect(try broker.describeTopic("friendly").config == config)
        #expect(config != TopicConfig())
    }

    @Test("every config in the registry has values to take and values to refuse above")
    func everyConfigHasCases() {
        for entry in TopicConfigRegistry.entries {
            #expect(cases.contains { $0.name == entry.name && $0.accepted != nil }, "\(entry.name) has no accepted case")
            #expect(cases.contains { $0.name == entry.name && $0.accepted == nil }, "\(entry.name) has no refused case")
        }
    }

    @Test("retention.ms=-1 keeps records forever, from a client and from the file")
    func minusOneIsForever() throws {
        #expect(try TopicConfigs.parse(["retention.ms": "-1"], over: TopicConfig()).retentionMs == nil)
        #expect(try TopicConfigFile.decode(bytes("partitions=1\nretention.ms=-1\n"), path: "c").config.retentionMs == nil)
    }

    @Test("an unknown config is named with the closest known one, or with the list")
    func unknownConfig() {
        var config = TopicConfig()
        #expect(brokerError { try config.set("retention_ms", to: "1") }?.message == "retention_ms is not a topic config: did you mean retention.ms?")
        #expect(brokerError { try config.set("compression.type", to: "gzip") }?.message.hasPrefix(
            "compression.type is not a topic config: EventLab knows cleanup.policy, delete.retention.ms") == true)
    }

    @Test("each config lists its value, whether it is the default, and where it comes from; nil sets it back")
    func describeAndReset() throws {
        var config = TopicConfig()
        try config.set("retention.ms", to: "-1")
        let values = Dictionary(uniqueKeysWithValues: config.values.map { ($0.name, $0) })
        #expect(values.count == TopicConfigRegistry.entries.count)
        #expect(values["retention.ms"]?.value == "-1" && values["retention.ms"]?.source == .topic)
        #expect(values["segment.records"]?.value == "-1" && values["segment.records"]?.isDefault == true)
        try config.set("retention.ms", to: nil)
        #expect(config == TopicConfig())
    }
}
