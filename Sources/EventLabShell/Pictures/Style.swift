/// Colour for a terminal: only on a TTY and never with `NO_COLOR`, and never carrying meaning
/// that the text does not carry too.
public struct Style: Sendable {
    /// Whether to emit ANSI colours.
    public let isEnabled: Bool

    /// Colours when `isEnabled`.
    public init(isEnabled: Bool) {
        self.isEnabled = isEnabled
    }

    /// Colours for a terminal, unless `NO_COLOR` is set (https://no-color.org).
    public static func forTerminal(isTTY: Bool, environment: [String: String]) -> Style {
        Style(isEnabled: isTTY && (environment["NO_COLOR"] ?? "").isEmpty)
    }

    func error(_ text: String) -> String { paint(text, "31") }
    func marker(_ text: String) -> String { paint(text, "36") }
    func heading(_ text: String) -> String { paint(text, "1") }
    /// Dim italic: a replay's narration, set apart from what commands print.
    func narration(_ text: String) -> String { paint(text, "2;3") }

    func paint(_ text: String, _ code: String) -> String {
        isEnabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
