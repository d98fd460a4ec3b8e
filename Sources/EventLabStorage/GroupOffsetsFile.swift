import EventLabCore

/// The workspace's `group-offsets` file: one committed offset a line,
/// `group<TAB>topic<TAB>partition<TAB>offset<TAB>metadata`, with group and metadata
/// percent-encoded (they may hold any character) and `-` for no metadata.
enum GroupOffsetsFile {
    static func encode(_ groups: [String: [TopicPartition: CommittedOffset]]) -> [UInt8] {
        var text = ""
        for group in groups.keys.sorted() {
            for (partition, committed) in groups[group]!.sorted(by: { $0.key < $1.key }) {
                let metadata = committed.metadata.map(percentEncoded) ?? "-"
                text += "\(percentEncoded(group))\t\(partition.topic)\t\(partition.partition)\t\(committed.offset)\t\(metadata)\n"
            }
        }
        return Array(text.utf8)
    }

    static func decode(_ bytes: [UInt8], path: String) throws(BrokerError) -> [String: [TopicPartition: CommittedOffset]] {
        var groups: [String: [TopicPartition: CommittedOffset]] = [:]
        for (number, line) in String(decoding: bytes, as: UTF8.self).split(separator: "\n").enumerated() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 5, let group = percentDecoded(fields[0]), let partition = Int32(fields[2]),
                  let offset = Int64(fields[3])
            else {
                throw BrokerError(.kafkaStorageError, "\(path) line \(number + 1) is damaged: expected group, topic, partition, offset and metadata separated by tabs")
            }
            let metadata = fields[4] == "-" ? nil : percentDecoded(fields[4])
            groups[group, default: [:]][TopicPartition(String(fields[1]), partition)] = CommittedOffset(offset: offset, metadata: metadata)
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
