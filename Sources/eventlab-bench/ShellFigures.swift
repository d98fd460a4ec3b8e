import EventLabCore
import EventLabShell
import EventLabStorage
import Foundation

/// Figures of the REPL's commands and of `eventlab`'s start-up.
struct ShellFigures {
    let runs: Int
    let largeRecords: Int
    let scratch: String

    var all: [(name: String, measure: () throws -> Figure)] {
        [
            ("startup_empty_ms", {
                try withScratch { directory in
                    let seconds = try medianSeconds(runs: max(runs, 10)) { try runEventLab(["--data", directory, "-c", "topic list"]) }
                    return Figure(name: "startup_empty_ms", value: seconds * 1000, unit: "ms")
                }
            }),
            ("python_startup_ms", {
                let seconds = try medianSeconds(runs: max(runs, 10)) { try runProcess("/usr/bin/python3", ["-c", "pass"]) }
                return Figure(name: "python_startup_ms", value: seconds * 1000, unit: "ms")
            }),
            ("startup_100t_10m_ms", {
                try withScratch { directory in
                    try fillTopics(directory, topics: 100, records: largeRecords)
                    let seconds = try medianSeconds(runs: max(runs, 10)) { try runEventLab(["--data", directory, "-c", "topic list"]) }
                    return Figure(name: "startup_100t_\(label(largeRecords))_ms", value: seconds * 1000, unit: "ms")
                }
            }),
            ("show_1m_ms", {
                let broker = try Broker()
                try broker.fill("t", with: Workload(records: 1_000_000, valueSize: 100))
                let shell = Shell(broker: broker, logicalClock: nil, output: CapturedOutput())
                let seconds = medianSeconds(runs: max(runs, 10)) { precondition(shell.execute("show topic t")) }
                return Figure(name: "show_1m_ms", value: seconds * 1000, unit: "ms")
            }),
            ("verify_1k_commands_ms", {
                let text = try TranscriptWorkload.text(commands: 1000)
                let verifier = TranscriptVerifier(opener: MemoryTranscriptWorkspace.opener)
                let seconds = try medianSeconds(runs: runs) {
                    let mismatches = try verifier.mismatches(in: TranscriptParser.parse(text))
                    guard mismatches.isEmpty else { throw BenchError("the 1,000-command transcript differs from its own recording at \(mismatches.count) commands") }
                }
                return Figure(name: "verify_1k_commands_ms", value: seconds * 1000, unit: "ms")
            }),
            ("publish_repeat_rps", {
                let value = String(repeating: "x", count: 96) + "{n}"
                let seconds = try medianSeconds(runs: runs) {
                    let shell = Shell(broker: try Broker(), logicalClock: nil, output: CapturedOutput())
                    precondition(shell.execute("topic create t; publish t --repeat 1000000 \(value)"))
                }
                return Figure(name: "publish_repeat_rps", value: 1_000_000 / seconds, unit: "records/s")
            }),
        ]
    }

    private func label(_ count: Int) -> String {
        count % 1_000_000 == 0 ? "\(count / 1_000_000)m" : "\(count)"
    }

    private func withScratch<T>(_ body: (String) throws -> T) throws -> T {
        try eventlab_bench.withScratch(in: scratch, body)
    }

    /// `topics` topics sharing `records` records of 100 B, closed cleanly.
    private func fillTopics(_ directory: String, topics: Int, records: Int) throws {
        let workspace = try Workspace(directory: directory)
        let broker = try Broker(storage: workspace.makeStorage())
        let workload = Workload(records: records / topics, valueSize: 100)
        let batches = workload.batches(of: 100, timestamp: LogicalClock.start)
        for index in 0..<topics {
            let name = "topic-\(index)"
            try broker.createTopic(name, partitions: 1)
            for batch in batches { _ = try broker.append(batch, topic: name, partition: 0) }
        }
        try broker.close()
        withExtendedLifetime(workspace) {}
    }

    private func runEventLab(_ arguments: [String]) throws {
        let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("eventlab").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchError("\(binary) is missing: build it first with `swift build -c release`")
        }
        try runProcess(binary, arguments)
    }

    /// Runs a program to its end with posix_spawn and waitpid: Foundation's `Process` adds tens
    /// of milliseconds of its own to every run, which would swamp a start-up figure.
    private func runProcess(_ path: String, _ arguments: [String]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, path, &actions, nil, argv, environ) == 0 else { throw BenchError("cannot start \(path)") }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        guard status == 0 else { throw BenchError("\(path) \(arguments.joined(separator: " ")) failed with status \(status)") }
    }
}
