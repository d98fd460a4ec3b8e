import EventLabCore

/// The workspace's `group-offsets` file. One committed offset a line,
/// `group<TAB>topic<TAB>partition<TAB>offset<TAB>commit-time<TAB>metadata`, and for a group that
/// has had members one line `group<TAB>members<TAB>-` (it had members when last written) or
/// `group<TAB>empty-since<TAB>TIME` (broker-clock milliseconds), which its offsets' expiry
/// counts from. Group and metadata are percent-encoded (they may hold any character), `-` is no
/// metadata. A format-4 offset line has no commit time: it reads as nil.
enum GroupOffsetsFile {
    static func encode(_ groups: [String: StoredGroupOffsets]) -> [UInt8] {
        var text = ""
        for group in groups.keys.sorted() {
            let stored = groups[group]!
            let name = percentEncoded(group)
            switch stored.presence {
            case .neverHadMembers: break
            case .hasMembers: text += "\(name)\tmembers\t-\n"
            case .emptySince(let time): text += "\(name)\tempty-since\t\(time)\n"
            }
            for (partition, committed) in stored.offsets.sorted(by: { $0.key < $1.key }) {
                let metadata = committed.metadata.map(percentEncoded) ?? "-"
                let time = committed.commitTimestamp.map(String.init) ?? "-"
                text += "\(name)\t\(partition.topic)\t\(partition.partition)\t\(committed.offset)\t\(time)\t\(metadata)\n"
            }
        }
        return Array(text.utf8)
    }

    static func decode(_ bytes: [UInt8], path: String) throws(BrokerError) -> [String: StoredGroupOffsets] {
        var groups: [String: StoredGroupOffsets] = [:]
        for (number, line) in String(decoding: bytes, as: UTF8.self).split(separator: "\n").enumerated() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            let damaged = BrokerError(
                .kafkaStorageError,
                "\(path) line \(number + 1) is damaged: expected group, topic, partition, offset, commit time and metadata separated by tabs, or group, members or empty-since, and a time")
            guard let group = fields.first.flatMap(percentDecoded) else { throw damaged }
            switch fields.count {
            case 3:
                switch (fields[1], Int64(fields[2])) {
                case ("members", _) where fields[2] == "-": groups[group, default: StoredGroupOffsets(offsets: [:])].presence = .hasMembers
                case ("empty-since", let time?): groups[group, default: StoredGroupOffsets(offsets: [:])].presence = .emptySince(time)
                default: throw damaged
                }
            case 5, 6:
                let time = fields.count == 6 ? fields[4] : "-"
                guard let partition = Int32(fields[2]), let offset = Int64(fields[3]), time == "-" || Int64(time) != nil else { throw damaged }
                let metadata = fields.last! == "-" ? nil : percentDecoded(fields.last!)
                groups[group, default: StoredGroupOffsets(offsets: [:])].offsets[TopicPartition(String(fields[1]), partition)] =
                    CommittedOffset(offset: offset, metadata: metadata, commitTimestamp: Int64(time))
            default:
                throw damaged
            }
        }
        return groups
    }

    private static func percentEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = String(byte, radix: 16, uppercase: true)
                result += "%" + (digits.count == 1 ? "0" : "") + digits
            }
        }
        return result.isEmpty ? "%" : result
    }

    private static func percentDecoded(_ text: Substring) -> String? {
        if text == "%" { return "" }
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == "%" {
                guard let end = text.index(index, offsetBy: 3, limitedBy: text.endIndex),
                      let byte = UInt8(text[text.index(after: index)..<end], radix: 16)
                else { return nil }
                bytes.append(byte)
                index = end
            } else {
                bytes.append(contentsOf: text[index].utf8)
                index = text.index(after: index)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
