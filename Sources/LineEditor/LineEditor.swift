@preconcurrency import CLibEdit
import Foundation
import Synchronization

/// Answers Tab: what the word before the cursor could become.
public protocol LineCompleter: AnyObject {
    /// The candidates for the text before the cursor, and how many characters at its end they
    /// replace (the partial word).
    func complete(_ textBeforeCursor: String) -> (replacing: Int, candidates: [String])
}

/// Set by Ctrl-C; read by whoever runs a long command.
let interrupted = Atomic<Bool>(false)

/// The address of a semaphore Ctrl-C posts (0: none), so that a command blocked on it wakes up
/// to see the flag; kept as an integer, which an atomic can share between threads.
let interruptSemaphore = Atomic<Int>(0)

/// Only async-signal-safe work here: atomic stores and loads, and `sem_post`.
private func handleInterrupt(_ signal: Int32) {
    interrupted.store(true, ordering: .relaxed)
    if let semaphore = UnsafeMutablePointer<sem_t>(bitPattern: interruptSemaphore.load(ordering: .acquiring)) { sem_post(semaphore) }
}

/// A line editor on libedit: emacs keys, history kept in a file, Ctrl-R search, Tab
/// completion, Ctrl-C that cancels the line, Ctrl-D that ends input.
///
/// Runs on the main thread, synchronously (libedit-notes §6.7): Ctrl-C must reach it.
public final class LineEditor {
    private let editLine: OpaquePointer
    private let history: OpaquePointer
    private let historyPath: String?
    private var promptText: UnsafeMutablePointer<CChar>
    /// Set by the Ctrl-C key while a line is edited.
    private var cancelled = false
    /// What Tab asks.
    public weak var completer: (any LineCompleter)?

    /// An editor on the terminal; `historyPath` nil keeps no history file.
    public init(program: String, historyPath: String?) {
        Self.setUTF8Locale()
        editLine = el_init(program, stdin, stdout, stderr)
        history = history_init()
        self.historyPath = historyPath
        promptText = strdup("> ")
        eventlab_history_setup(history, 1000)
        if let historyPath { _ = eventlab_history_load(history, historyPath) }
        eventlab_el_set_history(editLine, history)
        eventlab_el_set_editor(editLine, "emacs")
        eventlab_el_set_signal(editLine, 1)
        eventlab_el_set_clientdata(editLine, Unmanaged.passUnretained(self).toOpaque())
        eventlab_el_set_prompt(editLine, editorPrompt)
        eventlab_el_add_function(editLine, "eventlab-complete", "Complete the word", editorComplete)
        eventlab_el_bind(editLine, "^I", "eventlab-complete")
        eventlab_el_bind(editLine, "^R", "em-inc-search-prev")
        eventlab_el_keep_ctrl_c_as_key(editLine)
        eventlab_el_add_function(editLine, "eventlab-cancel", "Cancel the line", editorCancel)
        eventlab_el_bind(editLine, "^C", "eventlab-cancel")
        // Outside editing (a running command), Ctrl-C is a signal that sets a flag.
        eventlab_install_interrupt_handler(handleInterrupt)
    }

    deinit {
        el_end(editLine)
        history_end(history)
        free(promptText)
    }

    /// What reading a line gave.
    public enum Input: Equatable {
        case line(String)
        /// Ctrl-C: the half-typed line is dropped.
        case cancelled
        /// Ctrl-D on an empty line.
        case end
    }

    /// Reads one line after showing `prompt`.
    public func readLine(prompt: String) -> Input {
        free(promptText)
        promptText = strdup(prompt)
        interrupted.store(false, ordering: .relaxed)
        cancelled = false
        var count: Int32 = 0
        errno = 0
        let raw = el_gets(editLine, &count)
        if cancelled {
            el_reset(editLine)
            return .cancelled
        }
        guard let raw, count > 0 else {
            if interrupted.load(ordering: .relaxed) || errno == EINTR {
                FileHandle.standardOutput.write(Data("\n".utf8))
                el_reset(editLine)
                return .cancelled
            }
            return .end
        }
        var line = String(cString: raw)
        if line.hasSuffix("\n") { line.removeLast() }
        return .line(line)
    }

    /// Remembers a line (trailing spaces dropped) in the history.
    public func remember(_ line: String) {
        var trimmed = Substring(line)
        while trimmed.last == " " { trimmed = trimmed.dropLast() }
        guard !trimmed.isEmpty else { return }
        _ = eventlab_history_enter(history, String(trimmed))
    }

    /// Writes the history file, readable by its owner only.
    public func saveHistory() {
        guard let historyPath else { return }
        let directory = (historyPath as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        _ = eventlab_history_save(history, historyPath)
        chmod(historyPath, 0o600)
    }

    /// Whether Ctrl-C was pressed since the last line was read.
    public static var wasInterrupted: Bool { interrupted.load(ordering: .relaxed) }

    /// Makes Ctrl-C also post `semaphore` (nil: none), so a command blocked on it wakes up;
    /// `wasInterrupted` then says why. The semaphore must outlive this setting.
    public static func postOnInterrupt(_ semaphore: UnsafeMutablePointer<sem_t>?) {
        interruptSemaphore.store(semaphore.map { Int(bitPattern: $0) } ?? 0, ordering: .releasing)
    }

    /// Forgets a Ctrl-C, before a command that watches for one starts.
    public static func clearInterrupt() { interrupted.store(false, ordering: .relaxed) }

    /// The history file: `$XDG_STATE_HOME/eventlab/history`, else `~/.local/state/eventlab/history`.
    public static func defaultHistoryPath(environment: [String: String]) -> String? {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/eventlab/history" }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.local/state/eventlab/history"
    }

    fileprivate var prompt: UnsafeMutablePointer<CChar> { promptText }

    /// Ctrl-C while editing: show `^C`, end the line, and drop it.
    fileprivate func cancelLine() -> UInt8 {
        cancelled = true
        // libedit's own newline key moves to a fresh line; a bound function must do it itself,
        // or the next prompt follows `^C` on the same line.
        FileHandle.standardOutput.write(Data("^C\r\n".utf8))
        return UInt8(CC_NEWLINE)
    }

    fileprivate func complete(_ editLine: OpaquePointer) -> UInt8 {
        guard let completer, let info = el_line(editLine)?.pointee else { return UInt8(CC_ERROR) }
        let length = info.cursor - info.buffer
        let before = String(decoding: UnsafeRawBufferPointer(start: info.buffer, count: length), as: UTF8.self)
        let (replacing, candidates) = completer.complete(before)
        guard !candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        let partial = String(before.suffix(replacing))
        let common = Self.commonPrefix(candidates)
        if candidates.count == 1 {
            insert(String(common.dropFirst(partial.count)) + (common.hasSuffix("/") ? "" : " "))
            return UInt8(CC_REFRESH)
        }
        if common.count > partial.count {
            insert(String(common.dropFirst(partial.count)))
            return UInt8(CC_REFRESH)
        }
        let width = (candidates.map(\.count).max() ?? 0) + 2
        let columns = max(1, 80 / width)
        var listing = "\n"
        for (index, candidate) in candidates.enumerated() {
            listing += candidate + String(repeating: " ", count: width - candidate.count)
            if index % columns == columns - 1 || index == candidates.count - 1 { listing += "\n" }
        }
        FileHandle.standardOutput.write(Data(listing.utf8))
        return UInt8(CC_REDISPLAY)
    }

    private func insert(_ text: String) {
        guard !text.isEmpty else { return }
        _ = el_insertstr(editLine, text)
    }

    static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first else { return "" }
        for word in words.dropFirst() {
            while !word.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }

    /// Without a UTF-8 locale libedit drops non-ASCII input (libedit-notes §6.4).
    private static func setUTF8Locale() {
        setlocale(LC_ALL, "")
        if let codeset = nl_langinfo(nl_item(CODESET)), String(cString: codeset) != "UTF-8" {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
    }
}

private func editorPrompt(_ editLine: OpaquePointer?) -> UnsafeMutablePointer<CChar>? {
    guard let editLine, let data = eventlab_el_get_clientdata(editLine) else { return nil }
    return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().prompt
}

private func editorCancel(_ editLine: OpaquePointer?, _ key: Int32) -> UInt8 {
    guard let editLine, let data = eventlab_el_get_clientdata(editLine) else { return UInt8(CC_ERROR) }
    return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().cancelLine()
}

private func editorComplete(_ editLine: OpaquePointer?, _ key: Int32) -> UInt8 {
    guard let editLine, let data = eventlab_el_get_clientdata(editLine) else { return UInt8(CC_ERROR) }
    return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().complete(editLine)
}
