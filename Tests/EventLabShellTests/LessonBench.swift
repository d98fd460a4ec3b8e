import EventLabCore
import EventLabShell
import EventLabStorage
import EventLabTestSupport
import Foundation
import Testing

/// A shell over a playground broker with the lesson runner on the fixture lessons, keeping its
/// progress and lesson workspaces in a temporary state directory; `restart()` stands for
/// leaving EventLab and starting it again.
final class LessonBench {
    let playground: TestBroker
    let state: String
    let output = CapturedOutput()
    private(set) var shell: Shell!

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/lessons/runner").path

    /// The directory of lessons the runner reads.
    let lessons: String
    /// Whether lessons run in memory, as under `eventlab --memory`.
    let inMemory: Bool

    /// `state` given stands for a second EventLab of the same user, sharing its lessons' state.
    init(_ backend: Backend = .memory, lessons: String = LessonBench.fixtures, state: String? = nil, inMemory: Bool = false) throws {
        playground = try TestBroker(backend)
        self.state = state ?? temporaryDirectory("eventlab-lessons-state")
        self.lessons = lessons
        self.inMemory = inMemory
        shell = makeShell()
    }

    deinit {
        shell.lessons?.end(in: shell)
        try? FileManager.default.removeItem(atPath: state)
    }

    private func makeShell() -> Shell {
        // Wide, so the sentences the tests look for are not wrapped.
        let shell = Shell(broker: playground.broker, logicalClock: playground.clock, output: output, width: 200)
        shell.lessons = LessonRunner(
            library: LessonLibrary(directory: lessons), environment: ["XDG_STATE_HOME": state], opener: LessonBench.diskOpener,
            inMemory: inMemory)
        return shell
    }

    /// Runs `command` and returns what it printed.
    @discardableResult
    func run(_ command: String) -> String {
        output.clear()
        shell.execute(command)
        return output.text
    }

    /// Runs `command`, which must succeed, and returns what it printed.
    @discardableResult
    func ok(_ command: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        output.clear()
        let succeeded = shell.execute(command)
        #expect(succeeded, "\(command): \(output.text)", sourceLocation: sourceLocation)
        return output.text
    }

    /// Closes the lesson and the shell, and starts a new shell on the same playground and state.
    func restart() {
        shell.lessons?.end(in: shell)
        shell = nil
        shell = makeShell()
    }

    /// Whether `goal` holds on the broker the shell acts on now.
    func holds(_ goal: String) throws -> Bool { try Goal.parse(goal).evaluate(on: shell.goalWorld).met }

    /// The topics of the broker the shell acts on now.
    var topics: [String] { shell.broker.topics().map(\.name).sorted() }

    /// Opens lesson workspaces on disk, as the `eventlab` program does.
    static let diskOpener: TranscriptWorkspaceOpener = { settings, directory in
        guard let directory else { return try MemoryTranscriptWorkspace(settings: settings) }
        let workspace = try Workspace(directory: directory)
        let (broker, clock) = try settings.makeBroker(storage: workspace.makeStorage(), logicalTime: try workspace.savedClockTime())
        return DiskLessonWorkspace(broker: broker, logicalClock: clock, workspace: workspace)
    }
}

/// A workspace on disk with its broker; closing saves the logical clock's time.
final class DiskLessonWorkspace: TranscriptWorkspace {
    let broker: Broker
    let logicalClock: LogicalClock?
    let workspace: Workspace
    var flowStore: (any FlowStore)? { workspace.flows }

    init(broker: Broker, logicalClock: LogicalClock?, workspace: Workspace) {
        self.broker = broker
        self.logicalClock = logicalClock
        self.workspace = workspace
    }

    func close() throws {
        if let logicalClock { try workspace.saveClockTime(logicalClock.now()) }
        try broker.close()
    }
}
