import ArgumentParser
import Foundation

/// `--record FILE`: the whole session written as a transcript, on a terminal or from a script.
struct RecordOptions: ParsableArguments {
    @Option(name: .customLong("record"), help: ArgumentHelp(
        "Write every command and its output to FILE as a transcript (see `eventlab verify`).",
        discussion: "It replays the same when the session starts from an empty workspace on the logical clock: eventlab --memory --clock logical --record FILE.",
        valueName: "FILE"))
    var file: String?

    @Flag(help: "With --record, replace FILE if it exists.")
    var forceRecord = false

    func validate() throws {
        guard let file else {
            if forceRecord { throw ValidationError("--force-record replaces the file of --record FILE; give --record FILE too, or drop it") }
            return
        }
        if file.isEmpty { throw ValidationError("--record needs a file, and the path given is empty: e.g. --record session.txt") }
        // Checked before the workspace opens, so a refused recording runs nothing.
        if !forceRecord && FileManager.default.fileExists(atPath: file) {
            throw ValidationError("\(file) already exists: give another file to --record, or add --force-record to replace it")
        }
    }
}
