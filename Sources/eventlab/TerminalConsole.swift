import EventLabShell
import Foundation

/// A replay's console on a terminal: commands typed out at a pace, keys read one at a time
/// without echo, and the normal REPL to improvise in.
///
/// While it is open the terminal delivers Ctrl-C as a key rather than a signal, so quitting
/// always goes through ``close()``, which gives the terminal back its own mode.
final class TerminalConsole: ReplayConsole {
    private static let controlC: UInt8 = 3
    /// Milliseconds between typed characters; 0 at `--speed max`.
    private let delayMs: Int32
    /// The terminal's mode before the replay, restored on close and around the REPL.
    private let original: termios

    /// A console typing `charactersPerSecond` characters a second, nil for no pause at all.
    init(charactersPerSecond: Double?) {
        delayMs = charactersPerSecond.map { Int32(min(60_000, (1000 / $0).rounded())) } ?? 0
        var mode = termios()
        tcgetattr(0, &mode)
        original = mode
        enterKeyMode()
    }

    /// Gives the terminal back the mode it had.
    func close() {
        var mode = original
        tcsetattr(0, TCSANOW, &mode)
    }

    func show(_ line: String) { write(line + "\n") }

    func type(_ text: String, after prompt: String) -> Bool {
        write(prompt)
        for character in text {
            write(String(character))
            if key(withinMs: delayMs) == Self.controlC {
                write("\n")
                return false
            }
        }
        write("\n")
        return true
    }

    func wait(hint: String) -> ReplayKey {
        write(hint)
        // The hint is for the moment of waiting: the line is cleared once a key is pressed.
        defer { write("\r\u{1B}[2K") }
        while true {
            switch readByte() {
            case nil, Self.controlC, UInt8(ascii: "q"), UInt8(ascii: "Q"): return .quit
            case UInt8(ascii: "\r"), UInt8(ascii: "\n"), UInt8(ascii: " "): return .go
            case UInt8(ascii: "r"), UInt8(ascii: "R"): return .improvise
            default: continue
            }
        }
    }

    func improvise(on session: TranscriptSession) {
        // libedit takes the terminal's mode as it finds it as the one to return to.
        close()
        defer { enterKeyMode() }
        let output = HoldingOutput()
        let shell = Shell(
            broker: session.broker, logicalClock: session.logicalClock, output: output,
            width: Terminal.width(interactive: true), isInteractive: true)
        shell.improviseFlows(of: session.shell)
        shell.style = Style.forTerminal(isTTY: true, environment: ProcessInfo.processInfo.environment)
        let listener = NetworkListener { [unowned shell] in shell.broker }
        shell.listener = listener
        shell.sessionSummary = "improvising on the replay's workspace · Ctrl-D returns to the replay, which restores the recorded state"
        Repl(shell: shell, output: output).run()
        // Ctrl-D leaves the cursor after the prompt.
        write("\n")
        try? listener.stop()
    }

    /// Keys one at a time, not echoed, Ctrl-C among them; output still turns `\n` into `\r\n`.
    private func enterKeyMode() {
        var mode = original
        mode.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG)
        withUnsafeMutableBytes(of: &mode.c_cc) { characters in
            characters[Int(VMIN)] = 1
            characters[Int(VTIME)] = 0
        }
        tcsetattr(0, TCSANOW, &mode)
    }

    /// The next key, waiting for it; nil at the end of input.
    private func readByte() -> UInt8? {
        var byte: UInt8 = 0
        while true {
            let count = read(0, &byte, 1)
            if count == 1 { return byte }
            if count < 0 && errno == EINTR { continue }
            return nil
        }
    }

    /// A key pressed within `milliseconds`, or nil.
    private func key(withinMs milliseconds: Int32) -> UInt8? {
        var descriptor = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, milliseconds) == 1, descriptor.revents & Int16(POLLIN) != 0 else { return nil }
        return readByte()
    }

    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
