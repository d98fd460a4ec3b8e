import EventLabCore
import EventLabShell
import Foundation

/// The two ways `eventlab` runs commands: a script, or the interactive REPL.
enum Modes {
    /// Runs `text`; returns the exit status (0 all succeeded, 1 one failed).
    static func script(_ text: String, name: String?, session options: SessionOptions, keepGoing: Bool) throws -> Int32 {
        let output = StandardOutput()
        let session: Session
        do {
            session = try options.open()
        } catch {
            output.error("error: \(message(error))")
            return 1
        }
        let shell = Shell(broker: session.broker, logicalClock: session.logicalClock, output: output, width: Terminal.width(interactive: false))
        let failures = ScriptRunner(shell: shell, keepGoing: keepGoing).run(text, name: name)
        do {
            try session.close()
        } catch {
            output.error("error: \(message(error))")
            return 1
        }
        return failures == 0 ? 0 : 1
    }

    /// Runs the REPL until Ctrl-D or `exit`; returns the exit status.
    static func repl(session options: SessionOptions) throws -> Int32 {
        let output = StandardOutput()
        let session: Session
        do {
            session = try options.open()
        } catch {
            output.error("error: \(message(error))")
            return 1
        }
        let shell = Shell(broker: session.broker, logicalClock: session.logicalClock, output: output, width: Terminal.width(interactive: true), isInteractive: true)
        shell.style = Style.forTerminal(isTTY: true, environment: ProcessInfo.processInfo.environment)
        Repl(shell: shell).run()
        do {
            try session.close()
        } catch {
            output.error("error: \(message(error))")
            return 1
        }
        return 0
    }

    static func message(_ error: any Error) -> String {
        (error as? BrokerError)?.message ?? (error as? ShellError)?.message ?? "\(error)"
    }
}

/// The terminal's width: the window's on a terminal, else `COLUMNS`, else 80.
enum Terminal {
    static func width(interactive: Bool) -> Int {
        if interactive {
            var size = winsize()
            if ioctl(1, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 { return Int(size.ws_col) }
        }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns >= 20 { return columns }
        return 80
    }
}
