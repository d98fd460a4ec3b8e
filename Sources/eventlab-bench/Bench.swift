import ArgumentParser
import EventLabCore

/// `eventlab-bench`: measures EventLab's speed; run it in release mode.
@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eventlab-bench",
        abstract: "Measure EventLab's throughput (run with: swift run -c release eventlab-bench).")

    @Flag(help: "Print one JSON object per line instead of a table.")
    var json = false

    @Option(help: "Records per figure.")
    var records = 1_000_000

    @Option(help: "Runs per figure; the median is reported.")
    var runs = 3

    @Option(help: "Measure only the figures whose names contain this text.")
    var only: String?

    func validate() throws {
        guard records >= 100, runs >= 1 else { throw ValidationError("--records must be at least 100 and --runs at least 1") }
    }

    func run() throws {
        let workload = Workload(records: records, valueSize: 100)
        let chosen = MemoryFigures(workload: workload, runs: runs).all.filter { only.map($0.name.contains) ?? true }
        guard !chosen.isEmpty else { throw ValidationError("no figure name contains '\(only ?? "")'") }
        let figures = try chosen.map { try $0.measure() }
        print(json ? figures.map(\.json).joined(separator: "\n") : Figure.table(figures))
    }
}
