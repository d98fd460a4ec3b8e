import ArgumentParser
import EventLabCore

/// `eventlab-bench`: measures EventLab's speed; run it in release mode.
@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eventlab-bench",
        abstract: "Measure EventLab's throughput (run with: swift run -c release eventlab-bench).",
        subcommands: [Figures.self, Probe.self],
        defaultSubcommand: Figures.self)
}

/// Measures the figures and prints them.
struct Figures: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Measure and print the figures (the default).")

    @Flag(help: "Print one JSON object per line instead of a table.")
    var json = false

    @Option(help: "Records per append and read figure.")
    var records = 1_000_000

    @Option(help: "Records in the log that the open and memory figures build.")
    var largeRecords = 10_000_000

    @Option(help: "Runs per figure; the median is reported.")
    var runs = 5

    @Option(help: "Measure only the figures whose names contain this text.")
    var only: String?

    @Option(help: "Where the disk figures write their logs (deleted afterwards).")
    var scratch = "/tmp"

    func validate() throws {
        guard records >= 100, largeRecords >= 100, runs >= 1 else {
            throw ValidationError("--records and --large-records must be at least 100, --runs at least 1")
        }
    }

    func run() throws {
        let workload = Workload(records: records, valueSize: 100)
        let all = MemoryFigures(workload: workload, runs: runs).all
            + DiskFigures(workload: workload, largeRecords: largeRecords, runs: runs, scratch: scratch).all
            + ShellFigures(runs: runs, largeRecords: largeRecords, scratch: scratch).all
            + ClusterFigures(runs: runs, scratch: scratch).all
            + TableFigures(runs: runs).all
            + PatternFigures(workload: workload, runs: runs).all
        let chosen = all.filter { only.map($0.name.contains) ?? true }
        guard !chosen.isEmpty else { throw ValidationError("no figure name contains '\(only ?? "")'") }
        for (_, measure) in chosen {
            let figure = try measure()
            print(json ? figure.json : Figure.table([figure]))
        }
    }
}
