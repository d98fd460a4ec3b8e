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
    /// Watched beside the keyboard while a line is read (see ``readLine(prompt:watching:)``).
    private var watch: Watch?
    /// How many columns the prompt takes.
    private var promptWidth = 0

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

    /// Something besides the keyboard that needs the reading thread while a line is read.
    public struct Watch {
        /// Readable when there is news: `wake` must read what is there, or it runs again at once.
        public var descriptor: Int32
        /// Runs on the thread that reads the line, between two keys; told whether the line
        /// being typed is empty, when it may ``LineEditor/showAbovePrompt(_:)``.
        public var wake: (_ lineIsEmpty: Bool) -> Void

        public init(descriptor: Int32, wake: @escaping (_ lineIsEmpty: Bool) -> Void) {
            self.descriptor = descriptor
            self.wake = wake
        }
    }

    /// Reads one line after showing `prompt`; while it waits for keys, `watch`'s descriptor
    /// turning readable runs its `wake`. Without a watch, libedit reads the keys itself.
    public func readLine(prompt: String, watching watch: Watch? = nil) -> Input {
        free(promptText)
        promptText = strdup(prompt)
        promptWidth = prompt.count
        self.watch = watch
        defer { self.watch = nil }
        // libedit's own key reader blocks in read(2) on the terminal alone; to wake for the watch
        // too, keys are read by ours, which waits on both with poll(2).
        eventlab_el_set_getcfn(editLine, watch == nil ? nil : editorReadCharacter)
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

    /// From a watch's `wake` while the line is empty: blanks the prompt, lets `write` print its
    /// lines (each ended by a line break) in its place, and draws the prompt again below them.
    public func showAbovePrompt(_ write: () -> Void) {
        FileHandle.standardOutput.write(Data(("\r" + String(repeating: " ", count: promptWidth) + "\r").utf8))
        write()
        eventlab_el_refresh(editLine)
    }

    fileprivate var prompt: UnsafeMutablePointer<CChar> { promptText }

    /// Reads one key as libedit's own reader does (a byte at a time, decoded in the locale's
    /// multibyte encoding), waiting for the watch as well: 1 with a key, 0 at the end of input,
    /// -1 on an error or Ctrl-C's signal (errno says which).
    fileprivate func readCharacter(_ character: UnsafeMutablePointer<wchar_t>) -> Int32 {
        var bytes: [CChar] = []
        while true {
            guard waitForKey() else { return -1 }
            var byte: CChar = 0
            let count = read(0, &byte, 1)
            if count == 0 { return 0 }
            if count < 0 {
                // A resize or a resume (SIGWINCH, SIGCONT) is libedit's to handle; reading goes on.
                if errno == EINTR && !interrupted.load(ordering: .relaxed) { continue }
                return -1
            }
            bytes.append(byte)
            var state = mbstate_t()
            var wide: wchar_t = 0
            switch mbrtowc(&wide, bytes, bytes.count, &state) {
            case -2 where bytes.count < Int(MB_LEN_MAX):
                continue
            case -2, -1:
                // Not a character in the locale: dropped, as libedit drops it.
                bytes.removeAll()
            default:
                character.pointee = wide
                return 1
            }
        }
    }

    /// Waits until a key can be read, running the watch's `wake` whenever its descriptor is
    /// readable first; false on an error or Ctrl-C's signal.
    private func waitForKey() -> Bool {
        guard let watch else { return true }
        while true {
            var descriptors = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0), pollfd(fd: watch.descriptor, events: Int16(POLLIN), revents: 0)]
            if poll(&descriptors, 2, -1) < 0 {
                if errno == EINTR && !interrupted.load(ordering: .relaxed) { continue }
                return false
            }
            if descriptors[1].revents != 0 { watch.wake(isLineEmpty) }
            if descriptors[0].revents != 0 { return true }
        }
    }

    private var isLineEmpty: Bool {
        guard let info = el_line(editLine)?.pointee else { return true }
        return info.lastchar == info.buffer
    }

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

private func editorReadCharacter(_ editLine: OpaquePointer?, _ character: UnsafeMutablePointer<wchar_t>?) -> Int32 {
    guard let editLine, let character, let data = eventlab_el_get_clientdata(editLine) else { return -1 }
    return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().readCharacter(character)
}
