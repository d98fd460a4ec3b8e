import ArgumentParser
import EventLabShell

/// `eventlab verify FILE|DIR...`.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-run transcripts on fresh workspaces and compare their output.",
        discussion: """
            Each transcript runs in a fresh workspace with its header's settings; a command whose \
            output differs prints a unified diff naming the file and line. Exit status: 0 all \
            match, 1 one differs, 2 a bad argument or a malformed transcript. The format is in \
            transcripts/README.md.
            """)

    @Argument(help: "Transcript files, or directories of them (their *.txt files).")
    var paths: [String]

    @Flag(help: "Rewrite the expected output of commands that differ, in place; keeps narration, directives and placeholders that still match.")
    var update = false

    func run() throws {
        throw ExitCode(VerifyRun(opener: TranscriptWorkspaces.opener, update: update, output: StandardOutput()).run(paths: paths))
    }
}
