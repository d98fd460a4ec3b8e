import EventLabCore
import EventLabPatterns
import Foundation

/// Runs EventLab's command language on a broker and writes what happened.
///
/// A failed command writes one error and changes nothing: each command checks its input before
/// it calls the broker, and the broker's own operations are all-or-nothing.
public final class Shell {
    /// The broker the commands act on: the session's, or a running lesson's (see
    /// ``switchBroker(to:logicalClock:flowStore:flows:)``).
    public internal(set) var broker: Broker {
        didSet { paceReplication() }
    }
    /// The logical clock, when the broker runs on one (`clock advance` needs it).
    public internal(set) var logicalClock: LogicalClock?
    /// Written only through `write(_:isError:)`, which takes the marks away.
    let output: any Output
    /// How wide pictures may be.
    public var width: Int
    /// True in the REPL on a terminal: `--follow` may wait, and resets ask first.
    public var isInteractive: Bool
    /// Asks a yes/no question on the terminal; nil when there is nobody to ask.
    public var confirm: ((String) -> Bool)?
    /// Set by Ctrl-C; a running `consume --follow` stops when it sees it.
    public var isInterrupted: @Sendable () -> Bool = { false }
    /// What a waiting command blocks on; whoever sets ``isInterrupted`` posts it too.
    public let interruptWakeup = Wakeup()
    /// Files being sourced, to refuse a file that sources itself.
    var sourcing: [String] = []
    /// True while a line runs, so the lines of a sourced script are recorded as part of it.
    private var isExecuting = false
    /// The transcript being recorded (`record start`, `eventlab --record`).
    var recording: Recording?
    /// Set by `exit`.
    public internal(set) var wantsExit = false
    /// Colours, on a terminal only.
    public var style = Style(isEnabled: false)
    /// Where the workspace is and which clock runs, for the banner and `help`; nil when the
    /// shell runs on a broker the caller made (tests).
    public var sessionSummary: String?
    /// Serves the broker to Kafka clients; nil where that is not possible.
    public var listener: (any BrokerListener)?
    /// The services and tables the learner built; changed only through ``changeFlows(_:)``.
    public internal(set) var flows = Flows() {
        didSet { paceReplication() }
    }
    /// The running services' consumer-group members, kept from drain to drain so that real
    /// clients in a service's group share its partitions; shared with a shell improvising on
    /// this one's workspace.
    public internal(set) var serviceMembers = ServiceMembers()
    /// The acknowledged offsets each partition lost in its last unclean election, so a
    /// replica truncating them later is told as losing acknowledged records.
    var uncleanlyLost: [TopicPartition: Range<Int64>] = [:]
    /// True while ``restoreFlows()`` runs the saved definitions: they are not said, drained or saved.
    var isRestoringFlows = false
    /// True under `eventlab serve`: nobody types commands, so what stops a service says how to
    /// go on once serve has stopped.
    public var runsUnattended = false
    /// Keeps the flow definitions with the workspace; nil where nothing outlives the session.
    public var flowStore: (any FlowStore)?
    /// Armed at each drain, so that the owner hears of records that real clients add for the
    /// flows between commands; nil where flows drain after commands only (the logical clock).
    public var flowWatch: FlowWatch?
    /// Runs lessons on workspaces of their own; nil where lessons are not offered.
    public var lessons: LessonRunner?
    /// The commands this shell runs.
    public let registry: CommandRegistry
    /// Sees each line written with the values that vary marked (`Varying`), before ``output``
    /// gets it without the marks; true for an error or warning.
    public var outputTap: ((_ markedLine: String, _ isError: Bool) -> Void)?

    /// A shell running `registry`'s commands on `broker`, writing to `output`.
    public init(
        broker: Broker, logicalClock: LogicalClock?, output: any Output, width: Int = 80, isInteractive: Bool = false,
        registry: CommandRegistry = .standard
    ) {
        self.broker = broker
        self.registry = registry
        self.logicalClock = logicalClock
        self.output = output
        self.width = width
        self.isInteractive = isInteractive
    }

    /// Runs every command on `line` (split at `;`); stops at the first that fails unless
    /// `keepGoing`, which runs the rest too.
    ///
    /// - Returns: false if a command failed; its error has been written, prefixed by `where`.
    ///
    /// While recording, the line is written to the recording with what it printed. A line
    /// holding `record` or `exit`, or several commands run with `keepGoing`, is written command
    /// by command, as a transcript's line runs without them and stops at its first failure.
    @discardableResult
    public func execute(_ line: String, where location: String = "", keepGoing: Bool = false) -> Bool {
        // A sourced script's lines run inside `source`, which is recorded as one command.
        guard !isExecuting else { return perform(line, location, keepGoing) }
        isExecuting = true
        defer { isExecuting = false }
        let commands = try? Words.commands(in: line)
        if commands?.isEmpty == true { return true }
        if let commands, commands.contains(where: isUnrecorded) || (keepGoing && commands.count > 1) {
            return perform(line, location, keepGoing) { command, run in
                isUnrecorded(command) ? run() : recorded(command, location: location, run)
            }
        }
        return recorded(line, location: location) { perform(line, location, keepGoing) }
    }

    /// Runs every command on `line`, each through `around` (which runs it with the closure given).
    private func perform(
        _ line: String, _ location: String, _ keepGoing: Bool, around: (String, () -> Bool) -> Bool = { $1() }
    ) -> Bool {
        let commands: [String]
        do {
            commands = try Words.commands(in: line)
        } catch {
            report(error.description, location)
            return false
        }
        var failed = 0
        for command in commands {
            let succeeded = around(command) {
                // What background work did while nobody typed (piped input has no prompt to
                // show it at) comes first, so it never reads as the command's doing.
                printNotices()
                let succeeded = attempt(command, location)
                // Followers copy what the command wrote, as a cluster does while nobody waits.
                if flows.mode == .auto { settleReplication() }
                // Services react to what the command did before anything else is said.
                runFlows()
                // What background work did shows after the command during which it happened.
                printNotices()
                if succeeded { lessons?.commandSucceeded(command, in: self) }
                return succeeded
            }
            if !succeeded {
                failed += 1
                if !keepGoing { break }
            }
            if wantsExit { break }
        }
        return failed == 0
    }

    /// Runs one command; false if it failed, its error written.
    private func attempt(_ command: String, _ location: String) -> Bool {
        do {
            try run(command)
            return true
        } catch let error as ShellError {
            report(error.message, location)
        } catch let error as BrokerError {
            report(error.message, location)
        } catch let error as Words.Unfinished {
            report(error.description, location)
        } catch {
            report("\(error)", location)
        }
        return false
    }

    /// Writes an error, prefixed by where it happened (`at line 3`).
    func report(_ message: String, _ location: String) {
        write(style.error("error\(location.isEmpty ? "" : " \(location)"):") + " \(message)", isError: true)
    }

    /// Parses and runs one command.
    func run(_ command: String) throws {
        var invocation = try CommandParser.parse(try Words.split(command), registry: registry)
        if invocation.spec.takesText {
            invocation.text = Words.text(of: command, after: invocation.isBareName ? 1 : invocation.spec.path.count)
        }
        if let rename = invocation.renamed {
            say("note: `\(rename.old.joined(separator: " "))` is now `\(invocation.spec.name)`; \(rename.reason)")
        }
        try invocation.command.init(invocation).run(in: self)
    }

    /// Writes a line of output.
    public func say(_ text: String) { write(text, isError: false) }

    /// Every line the shell writes passes here: the tap sees its marks, the output does not.
    func write(_ marked: String, isError: Bool) {
        if isRestoringFlows && !isError { return }
        outputTap?(marked, isError)
        let line = Varying.plain(marked)
        if isError { output.error(line) } else { output.line(line) }
    }

    /// Whether a time the shell shows varies from run to run: it does on the system clock.
    var timesVary: Bool { logicalClock == nil }

    /// `milliseconds` as a time, marked as varying on the system clock.
    func time(_ milliseconds: Int64) -> String { TimeText.format(milliseconds, varies: timesVary) }
}
