import EventLabCore
@testable import EventLabStorage
import EventLabTestSupport
import Foundation
import Testing

/// Storage for one broker over a backend, holding topic `t`, that a test can reopen as a
/// restarted process would (the disk backend; the memory one keeps what it has).
final class StorageFixture {
    let backend: Backend
    /// The workspace, for the disk backend.
    let directory: String?
    private(set) var storage: any LogStorage
    /// The hosted partitions of `t`, parallel to `indexes`.
    private(set) var partitions: [any PartitionStorage]
    private(set) var indexes: [Int]
    /// What the last open found of `t`, for the disk backend.
    private(set) var loaded: LoadedTopics?

    static let topic = try! TopicName("t")

    /// Storage holding `t` with `count` partitions, of which it hosts `hosting` (default all).
    init(_ backend: Backend, partitions count: Int = 1, hosting: [Int]? = nil, config: TopicConfig = TopicConfig()) throws {
        self.backend = backend
        let hosted = hosting ?? Array(0..<count)
        switch backend {
        case .memory:
            directory = nil
            storage = MemoryStorage()
        case .disk:
            let directory = temporaryDirectory("eventlab-storage")
            self.directory = directory
            storage = try Workspace(directory: directory).makeStorage()
        }
        partitions = try storage.createTopic(Self.topic, config: config, partitions: count, hosting: hosted)
        indexes = hosted
    }

    /// The storage of partition `index` of `t`.
    func partition(_ index: Int = 0) -> any PartitionStorage { partitions[indexes.firstIndex(of: index)!] }

    /// Opens the workspace again: after a clean close, or as if the process had been killed.
    func reopen(clean: Bool) throws {
        guard let directory else { return }
        if clean { try storage.close() }
        storage = MemoryStorage()
        partitions = []
        let workspace = try Workspace(directory: directory)
        storage = try workspace.makeStorage()
        let loaded = try storage.loadTopics()
        self.loaded = loaded
        let topic = loaded.topics.first { $0.name == Self.topic }
        partitions = topic?.partitions ?? []
        indexes = topic?.indexes ?? []
    }

    /// Adds a copy of partition `index` of `t` (of `count`).
    func addReplica(_ index: Int, of count: Int) throws {
        let added = try storage.addReplica(Self.topic, config: TopicConfig(), partitionCount: count, partition: index)
        let position = indexes.partitioningIndex { $0 > index }
        indexes.insert(index, at: position)
        partitions.insert(added, at: position)
    }

    /// Removes the copy of partition `index` of `t`.
    func removeReplica(_ index: Int) throws {
        try storage.removeReplica(Self.topic, partition: index)
        let position = indexes.firstIndex(of: index)!
        indexes.remove(at: position)
        partitions.remove(at: position)
    }

    /// The path of `name` within broker 1's directory of topic `t`.
    func path(_ name: String) -> String { directory! + "/brokers/1/topics/t/" + name }

    deinit {
        if let directory {
            FileFaults.clear(directory)
            try? FileManager.default.removeItem(atPath: directory)
        }
    }
}

/// A batch of `count` records from offset `base`, each valued "r<offset>".
func batch(_ base: Int64, _ count: Int = 1) -> RecordBatch {
    RecordBatch(records: (0..<Int64(count)).map { Record(offset: base + $0, timestamp: 1_000 + base + $0, key: nil, value: bytes("r\(base + $0)")) })
}

/// Appends each batch, rolling after the batches whose base offsets are in `rollAfter`.
func append(_ batches: [RecordBatch], to partition: any PartitionStorage, rollAfter: Set<Int64> = []) throws {
    for batch in batches {
        #expect(try partition.append(batch) == nil)
        if rollAfter.contains(batch.baseOffset) { try partition.roll() }
    }
}

/// Every record's offset, from the first batch on.
func recordOffsets(_ partition: any PartitionStorage) throws -> [Int64] {
    try partition.batches(from: 0, maxBytes: .max).flatMap { try $0.records().map(\.offset) }
}

/// What a reader sees of a partition: its records, ends and segments.
struct PartitionView: Equatable {
    var records: [Int64]
    var logStart: Int64
    var logEnd: Int64
    var segments: [ClosedRange<Int64>]
    var cleanerCheckpoint: Int64

    init(records: [Int64], logStart: Int64, logEnd: Int64, segments: [ClosedRange<Int64>], cleanerCheckpoint: Int64) {
        self.records = records
        self.logStart = logStart
        self.logEnd = logEnd
        self.segments = segments
        self.cleanerCheckpoint = cleanerCheckpoint
    }

    init(_ partition: any PartitionStorage) throws {
        records = try recordOffsets(partition)
        logStart = partition.logStartOffset
        logEnd = partition.logEndOffset
        // base…end, the end as an offset one past, in a closed range so an empty segment shows.
        segments = partition.segments.map { $0.baseOffset...$0.endOffset }
        cleanerCheckpoint = partition.cleanerCheckpoint
    }
}
