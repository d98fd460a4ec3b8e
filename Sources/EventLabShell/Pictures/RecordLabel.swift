import EventLabCore
import Foundation

/// A record in a few characters: its key, or its event type, or the start of its value.
enum RecordLabel {
    static let maxWidth = 10

    static func of(_ record: Record) -> String {
        if let key = record.key {
            let text = TerminalText.escape(key)
            return (record.isTombstone ? text + " ø" : text).truncated(to: maxWidth)
        }
        guard let value = record.value else { return "ø" }
        return summary(of: value).truncated(to: maxWidth)
    }

    /// A JSON object's `type` field, else the value's text.
    static func summary(of value: ArraySlice<UInt8>) -> String {
        if value.first == UInt8(ascii: "{"),
           let object = try? JSONSerialization.jsonObject(with: Data(value)) as? [String: Any],
           let type = object["type"] as? String {
            return TerminalText.escape(type)
        }
        return TerminalText.escape(value)
    }
}
