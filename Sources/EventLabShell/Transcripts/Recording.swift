import Foundation

/// A transcript being recorded: the header is written when it starts, and each command with
/// what it printed is appended as soon as the command has run, so a session that ends abruptly
/// keeps everything recorded until then.
final class Recording {
    /// The file, as the user named it.
    let path: String
    /// How many commands have been written.
    private(set) var commandCount = 0
    private var file: FileHandle?

    /// Creates `path` and writes `settings` as its header.
    ///
    /// - Throws: when `path` exists and `replacing` is false, or it cannot be written; then no
    ///   file is created or changed.
    init(path: String, replacing: Bool, settings: TranscriptSettings) throws(ShellError) {
        self.path = path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard !isDirectory.boolValue else { throw ShellError("\(path) is a directory: give a file name for the transcript, such as \(path)/session.txt") }
            guard replacing else { throw ShellError("\(path) already exists: give another name, or add --force to replace it") }
        }
        // O_EXCL unless replacing: a file made by someone else meanwhile is not overwritten.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (replacing ? O_TRUNC : O_EXCL), 0o644)
        guard descriptor >= 0 else {
            throw ShellError("cannot write \(path): \(String(cString: strerror(errno))); give a file in a directory you can write")
        }
        file = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try write(TranscriptWriter.header(settings))
        } catch {
            if !replacing { unlink(path) }
            throw ShellError("cannot write \(path): \(error.localizedDescription); give a file that can be written, such as one in your home directory")
        }
    }

    /// Appends `command` (its lines joined by newlines) and the lines it printed.
    func append(_ command: String, printed: [String]) throws(ShellError) {
        guard file != nil else { return }
        do {
            try write(TranscriptWriter.commandLines(command) + TranscriptWriter.literalLines(printed))
        } catch {
            throw ShellError("cannot write \(path): \(error.localizedDescription); recording stopped, and what was recorded before is kept")
        }
        commandCount += 1
    }

    /// Closes the file; what was written stays.
    func close() {
        try? file?.close()
        file = nil
    }

    /// Writes `lines`; on failure the file is closed, so nothing more is written to it.
    private func write(_ lines: [String]) throws {
        guard let file else { return }
        do {
            // One write per command, unbuffered: it is in the file the moment the command is done.
            try file.write(contentsOf: Data(lines.map { $0 + "\n" }.joined().utf8))
        } catch {
            close()
            throw error
        }
    }
}
