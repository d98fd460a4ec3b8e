import EventLabPatterns
import Foundation

/// Checks a value that starts like JSON, so a typo is caught before it becomes a record.
enum JSONText {
    /// How deeply Foundation's parser lets arrays and objects nest; deeper is refused by it.
    static let maximumDepth = 512

    /// Refuses `value` if it starts with `{` or `[` but is not JSON, saying why and where.
    static func check(_ value: String) throws(ShellError) {
        guard let first = value.first, first == "{" || first == "[" else { return }
        let depth = self.depth(of: value)
        if depth > maximumDepth {
            throw ShellError("the value's JSON nests \(depth) arrays and objects deep, and JSON values may nest at most \(maximumDepth): flatten it")
        }
        // Foundation decides, since it takes any JSON a record may hold (services' parser refuses
        // numbers past its exact range and deep nesting); the services' parser says where and why,
        // in the words services use for a record that is not JSON.
        guard (try? JSONSerialization.jsonObject(with: Data(value.utf8), options: [.fragmentsAllowed])) == nil else { return }
        var reason = ""
        do throws(JSONError) {
            _ = try JSONParser.parse(value)
        } catch {
            reason = " (at byte \(error.offset): \(error.message))"
        }
        throw ShellError("the value starts like JSON but is not valid JSON\(reason): \(TerminalText.escape(value).truncated(to: 60)); check quotes, commas and braces")
    }

    /// The deepest nesting of arrays and objects in `text`, outside strings.
    static func depth(of text: String) -> Int {
        var depth = 0
        var deepest = 0
        var inString = false
        var escaped = false
        for byte in text.utf8 {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                depth += 1
                deepest = max(deepest, depth)
            } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                depth -= 1
            }
        }
        return deepest
    }
}
