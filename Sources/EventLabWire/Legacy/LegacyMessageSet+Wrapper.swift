import EventLabCore

extension LegacyMessageSet {
    /// The records inside a compressed wrapper message: its value, inflated, is a message set
    /// of uncompressed inner messages of the wrapper's magic.
    ///
    /// Magic-1 inner messages count offsets from 0 and the wrapper carries the last one's
    /// absolute offset, so each inner offset is made absolute from it; a wrapper offset of 0
    /// (as some librdkafka versions produce) takes them as they are, as Kafka does. Magic-0
    /// inner offsets are absolute already. Inner timestamps are the inner messages' own,
    /// except under a LogAppendTime wrapper, whose timestamp they all take.
    static func unwrap(_ wrapper: LegacyMessage) throws(BrokerError) -> [Record] {
        let here = "the compressed wrapper at byte \(wrapper.position)"
        switch wrapper.codec {
        case 1: break
        case 2, 3, 4:
            let name = ["snappy", "lz4", "zstd"][wrapper.codec - 2]
            throw BrokerError(
                .unsupportedCompressionType,
                "\(here) is compressed with \(name); EventLab inflates gzip only: set compression to gzip or none")
        default:
            throw LegacyMessage.corrupt("\(here) names compression codec \(wrapper.codec), which does not exist")
        }
        guard let value = wrapper.value else { throw invalid("\(here) has a null value, so no inner messages") }
        let inflated: [UInt8]
        do {
            inflated = try Gzip.inflate(Array(value))
        } catch {
            throw error.brokerError(subject: here, corrupt: "corrupt message set: in \(here)")
        }
        let (inner, _) = try LegacyMessage.messages(
            in: inflated[...], place: "in \(here), ", cutOff: .corrupt(because: "a wrapper holds whole messages only"))
        guard let last = inner.last else { throw invalid("\(here) holds no inner messages") }
        for message in inner where message.magic != wrapper.magic || message.codec != 0 {
            let what = message.codec != 0 ? "is compressed again" : "has magic \(message.magic)"
            throw invalid("in \(here) of magic \(wrapper.magic), the message at byte \(message.position) \(what); inner messages are plain and of their wrapper's magic")
        }
        var base: Int64 = 0
        if wrapper.magic == 1, wrapper.offset != 0 {
            guard wrapper.offset >= last.offset else {
                throw invalid("\(here) has offset \(wrapper.offset), less than its last inner message's \(last.offset)")
            }
            base = wrapper.offset &- last.offset
        }
        return inner.map { message in
            Record(
                offset: base &+ message.offset,
                timestamp: wrapper.isLogAppendTime ? wrapper.timestamp : message.timestamp,
                key: message.key, value: message.value)
        }
    }

    private static func invalid(_ detail: String) -> BrokerError {
        BrokerError(.invalidRecord, "invalid message set: \(detail)")
    }
}
