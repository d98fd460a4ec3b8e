import EventLabCore

/// What `publish --repeat N` may write, checked before the first record is built.
enum RepeatLimits {
    /// The most records one command publishes: the largest log the benchmarks build; a
    /// lesson needs thousands.
    static let maxRecords = 10_000_000
    /// The most bytes one command writes, so a memory broker cannot be made to fill the
    /// machine's memory, nor a workspace its disk, by one typo.
    static let maxBytes: Int64 = 1 << 30
    /// Records per batch when they are small: one append call per thousand keeps the cost of a
    /// call low without holding many records at once.
    static let maxChunk = 1000
    /// What a record's size can grow by inside a batch: its offset delta (up to `maxChunk`)
    /// and length take up to two more varint bytes than in a batch of one.
    private static let deltaGrowth = 4

    /// The count in `--repeat TEXT`: a whole number from 1 to `maxRecords`.
    static func count(_ text: String) throws(ShellError) -> Int {
        let tooMany = { ShellError("--repeat takes at most \(maxRecords) records in one command, not \(text): publish fewer, or in several commands") }
        let parsed: Int64?
        do { parsed = try NumberText.parse(text, for: "--repeat") } catch { throw tooMany() }
        guard let count = parsed else { throw ShellError("--repeat needs a whole number, not '\(text)'") }
        guard count >= 1 else { throw ShellError("--repeat must be at least 1, not \(count)") }
        guard count <= maxRecords else { throw tooMany() }
        return Int(count)
    }

    /// Checks `count` records (at most `maxRecords`), the widest of which `record(count)`
    /// builds, against the byte limit and `topic`'s `max.message.bytes`; returns the bytes one
    /// record takes in a batch.
    static func check(count: Int, topic: TopicDescription, record: (Int) -> ProducerRecord) throws(ShellError) -> Int {
        let widest = record(count)
        let batchOfOne = RecordBatch(records: [Record(offset: 0, timestamp: 0, key: widest.key, value: widest.value, headers: widest.headers)])
        let recordBytes = batchOfOne.byteCount - RecordBatch.headerSize + deltaGrowth
        let limit = topic.config.maxMessageBytes
        guard batchOfOne.byteCount <= limit else {
            throw ShellError("one record is a \(batchOfOne.byteCount)-byte batch, over \(topic.name)'s max.message.bytes of \(limit): publish a shorter key, value and headers, or raise it with `topic alter \(topic.name) --max-message-bytes SIZE`")
        }
        let total = Int64(count) * Int64(recordBytes)
        guard total <= maxBytes else {
            throw ShellError("--repeat \(count) of these \(recordBytes)-byte records would write \(total) bytes, and one command writes at most \(SizeText.format(maxBytes)): publish fewer, or shorter, records")
        }
        return recordBytes
    }

    /// How many records go into each append so that one chunk fits one batch of
    /// `maxMessageBytes`, even if every record lands on the same partition.
    static func chunkSize(recordBytes: Int, maxMessageBytes: Int) -> Int {
        max(1, min(maxChunk, (maxMessageBytes - RecordBatch.headerSize) / recordBytes))
    }
}
