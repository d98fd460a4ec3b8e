import Foundation

/// Where the shell writes: results to one stream, errors to another. Injected, so a test or a
/// transcript sees exactly what a person would.
public protocol Output: AnyObject {
    /// Writes a result line (or lines); a newline is added.
    func line(_ text: String)
    /// Writes an error line; a newline is added.
    func error(_ text: String)
}

/// Standard output and standard error.
public final class StandardOutput: Output {
    /// The process's own streams.
    public init() {}

    public func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    public func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

/// Keeps everything written, for tests and transcripts.
public final class CapturedOutput: Output {
    /// Results and errors in the order written; errors start with their own prefix.
    public private(set) var lines: [String] = []
    /// Only the errors.
    public private(set) var errors: [String] = []

    /// An empty capture.
    public init() {}

    public func line(_ text: String) { lines.append(text) }

    public func error(_ text: String) {
        errors.append(text)
        lines.append(text)
    }

    /// Everything written, joined by newlines, ending with one.
    public var text: String { lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n" }

    /// Forgets what was written.
    public func clear() {
        lines = []
        errors = []
    }
}
