import Foundation

/// Where the workspace is and which clock runs, as the banner and `help` say it.
public enum SessionSummary {
    /// The summary for a workspace in `directory` (nil: in memory) on the logical or system clock.
    public static func text(directory: String?, logicalClock: Bool) -> String {
        let place = directory.map { "workspace \(URL(fileURLWithPath: $0).standardizedFileURL.path) (on disk, kept between runs)" }
            ?? "workspace in memory (--memory: nothing is kept after exit)"
        let time = logicalClock ? "logical clock (moves only on `clock advance`)" : "system clock (real time)"
        return "\(place) · \(time)"
    }
}
