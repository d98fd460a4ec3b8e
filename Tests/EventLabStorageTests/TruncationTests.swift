import EventLabCore
@testable import EventLabStorage
import EventLabTestSupport
import Foundation
import Testing

@Suite("Truncating a partition")
struct TruncationTests {
    /// Ten one-record batches, 0…9, in segments [0,3) [3,6) [6,9) [9,10).
    func tenInFourSegments(_ backend: Backend) throws -> StorageFixture {
        let fixture = try StorageFixture(backend)
        try append((0..<10).map { batch($0) }, to: fixture.partition(), rollAfter: [2, 5, 8])
        return fixture
    }

    /// Reopens both ways and checks the partition reads as `expected` each time.
    func expectSameAfterReopening(_ fixture: StorageFixture, _ expected: PartitionView) throws {
        for clean in [false, true] {
            try fixture.reopen(clean: clean)
            #expect(try PartitionView(fixture.partition()) == expected, "reopened \(clean ? "after a clean close" : "after a kill")")
        }
    }

    @Test("inside the active segment, the batch holding the offset goes whole, the log ends where the last kept batch ends, and appending goes on there", arguments: Backend.allCases)
    func insideActiveSegment(_ backend: Backend) throws {
        let fixture = try StorageFixture(backend)
        try append([batch(0, 2), batch(2), batch(3, 3), batch(6)], to: fixture.partition())
        try fixture.partition().truncate(to: 4)
        let view = try PartitionView(fixture.partition())
        #expect(view.records == [0, 1, 2])
        #expect(view.logEnd == 3)
        try expectSameAfterReopening(fixture, view)
        try append([batch(3, 2)], to: fixture.partition())
        #expect(try recordOffsets(fixture.partition()) == [0, 1, 2, 3, 4])
    }

    @Test("across segments: later segments go whole, the one holding the offset becomes the active segment, and a boundary offset keeps the segment before it whole", arguments: Backend.allCases)
    func acrossSegments(_ backend: Backend) throws {
        let fixture = try tenInFourSegments(backend)
        try fixture.partition().truncate(to: 7)
        var view = try PartitionView(fixture.partition())
        #expect(view.records == Array(0...6))
        #expect(view.segments == [0...3, 3...6, 6...7])
        try expectSameAfterReopening(fixture, view)

        try fixture.partition().truncate(to: 6)
        view = try PartitionView(fixture.partition())
        #expect(view.segments == [0...3, 3...6])
        try expectSameAfterReopening(fixture, view)

        try fixture.partition().truncate(to: 4)
        view = try PartitionView(fixture.partition())
        #expect(view.records == [0, 1, 2, 3])
        #expect(view.segments == [0...3, 3...4])
        try expectSameAfterReopening(fixture, view)

        try append([batch(4), batch(5)], to: fixture.partition(), rollAfter: [5])
        #expect(try PartitionView(fixture.partition()).segments == [0...3, 3...6, 6...6])
    }

    @Test("an offset at or past the log end changes nothing", arguments: Backend.allCases)
    func pastTheEnd(_ backend: Backend) throws {
        let fixture = try tenInFourSegments(backend)
        let before = try PartitionView(fixture.partition())
        try fixture.partition().truncate(to: 10)
        try fixture.partition().truncate(to: 99)
        #expect(try PartitionView(fixture.partition()) == before)
    }

    @Test("at or below the log start the partition empties and starts afresh at the offset, as Kafka's truncateFullyAndStartAt", arguments: Backend.allCases)
    func atOrBelowLogStart(_ backend: Backend) throws {
        let fixture = try tenInFourSegments(backend)
        try fixture.partition().advanceLogStart(to: 5)
        try fixture.partition().truncate(to: 5)
        var view = try PartitionView(fixture.partition())
        #expect(view == PartitionView(records: [], logStart: 5, logEnd: 5, segments: [5...5], cleanerCheckpoint: 0))
        try expectSameAfterReopening(fixture, view)

        try append([batch(5), batch(6)], to: fixture.partition())
        try fixture.partition().truncate(to: 2)
        view = try PartitionView(fixture.partition())
        #expect(view == PartitionView(records: [], logStart: 2, logEnd: 2, segments: [2...2], cleanerCheckpoint: 0))
        try expectSameAfterReopening(fixture, view)
        try append([batch(2)], to: fixture.partition())
        #expect(try recordOffsets(fixture.partition()) == [2])
    }

    @Test("a log left with no batch at or after its log start starts afresh at the log start", arguments: Backend.allCases)
    func nothingKept(_ backend: Backend) throws {
        let fixture = try StorageFixture(backend)
        try append([batch(0, 5)], to: fixture.partition())
        try fixture.partition().advanceLogStart(to: 2)
        try fixture.partition().truncate(to: 3)
        let view = try PartitionView(fixture.partition())
        #expect(view == PartitionView(records: [], logStart: 2, logEnd: 2, segments: [2...2], cleanerCheckpoint: 0))
        try expectSameAfterReopening(fixture, view)
    }

    @Test("the cleaner checkpoint never stays past the new end", arguments: Backend.allCases)
    func cleanerCheckpoint(_ backend: Backend) throws {
        let fixture = try tenInFourSegments(backend)
        try fixture.partition().setCleanerCheckpoint(9)
        try fixture.partition().truncate(to: 4)
        #expect(fixture.partition().cleanerCheckpoint == 4)
        try fixture.partition().setCleanerCheckpoint(2)
        try fixture.partition().truncate(to: 3)
        #expect(fixture.partition().cleanerCheckpoint == 2)
        try expectSameAfterReopening(fixture, try PartitionView(fixture.partition()))
    }

    @Test("a compacted segment that truncation makes the active one keeps its gaps across reopening", arguments: Backend.allCases)
    func compactedSegmentBecomesActive(_ backend: Backend) throws {
        let fixture = try tenInFourSegments(backend)
        let partition = fixture.partition()
        let prepared = try partition.closedSegments().prepare([
            SegmentReplacement(baseOffset: 0, batches: [batch(0), batch(4)]), SegmentReplacement(baseOffset: 6, batches: [batch(6), batch(8)]),
        ])
        try partition.replaceSegments(3, with: prepared)
        #expect(try PartitionView(partition).segments == [0...6, 6...9, 9...10])
        try partition.truncate(to: 6)
        let view = try PartitionView(fixture.partition())
        #expect(view == PartitionView(records: [0, 4], logStart: 0, logEnd: 5, segments: [0...5], cleanerCheckpoint: 0))
        try expectSameAfterReopening(fixture, view)
        try append([batch(7)], to: fixture.partition())
        try expectSameAfterReopening(fixture, try PartitionView(fixture.partition()))
        #expect(try recordOffsets(fixture.partition()) == [0, 4, 7])
    }

    @Test("a kill after any file change of a truncation reopens to the log as it was or cut at a batch boundary past the offset; truncating again finishes", arguments: [Int64(4), 0])
    func crashPartWay(to offset: Int64) throws {
        var expected: PartitionView?
        var before: [Int64] = []
        for changes in 0..<60 {
            let fixture = try tenInFourSegments(.disk)
            try fixture.partition().setCleanerCheckpoint(9)
            before = try recordOffsets(fixture.partition())
            FileFaults.crash(under: fixture.directory!, afterChanges: changes)
            let finished = (try? fixture.partition().truncate(to: offset)) != nil
            FileFaults.clear(fixture.directory!)
            if finished {
                expected = try PartitionView(fixture.partition())
                #expect(changes > 0)
                break
            }
            try fixture.reopen(clean: false)
            let records = try recordOffsets(fixture.partition())
            #expect(records == Array(before.prefix(records.count)), "after \(changes) changes the log is not a prefix of what it was")
            #expect(records.count >= Int(offset), "after \(changes) changes the log lost records before \(offset)")
            #expect(fixture.partition().logEndOffset == records.last.map { $0 + 1 } ?? fixture.partition().logStartOffset)
            try fixture.partition().truncate(to: offset)
            #expect(try recordOffsets(fixture.partition()) == Array(before.prefix(Int(offset))))
        }
        #expect(expected?.records == Array(before.prefix(Int(offset))))
    }
}

@Suite("Batches that keep a leader's offsets")
struct GapAppendTests {
    @Test("a batch above the log end keeps its offsets; reads from the gap start at the first batch after it, across segments and reopening", arguments: Backend.allCases)
    func appendAcrossAGap(_ backend: Backend) throws {
        let fixture = try StorageFixture(backend)
        try append([batch(0, 2), batch(10, 2)], to: fixture.partition(), rollAfter: [10])
        try append([batch(20), batch(25)], to: fixture.partition())
        let view = try PartitionView(fixture.partition())
        #expect(view.records == [0, 1, 10, 11, 20, 25])
        #expect(view.segments == [0...12, 12...26])
        for clean in [false, true] {
            try fixture.reopen(clean: clean)
            let partition = fixture.partition()
            #expect(try PartitionView(partition) == view)
            #expect(try partition.batches(from: 5, maxBytes: 1).map(\.baseOffset) == [10])
            #expect(try partition.batches(from: 13, maxBytes: .max).map(\.baseOffset) == [20, 25])
            #expect(try partition.batches(from: 21, maxBytes: .max).map(\.baseOffset) == [25])
            let fetched = try partition.storedBytes(from: 21, maxBytes: .max).flatMap { try $0.bytes() }
            #expect(fetched.count == batch(25).byteCount)
            #expect(fetched.prefix(8).reduce(Int64(0)) { $0 << 8 | Int64($1) } == 25)
        }
        try fixture.partition().truncate(to: 25)
        #expect(fixture.partition().logEndOffset == 21)
        try fixture.partition().truncate(to: 12)
        #expect(try PartitionView(fixture.partition()).segments == [0...12])
        #expect(fixture.partition().logEndOffset == 12)
    }
}
