import ArgumentParser
import EventLabShell

/// `eventlab verify FILE|DIR...`.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-run transcripts and lessons on fresh workspaces and check them.",
        discussion: """
            Each transcript runs in a fresh workspace with its header's settings; a command whose \
            output differs prints a unified diff naming the file and line. Each lesson runs its \
            setup, then for each step checks that its goals are unmet at its start and met after \
            its solution (manual steps are skipped and counted). Exit status: 0 all pass, 1 one \
            fails, 2 a bad argument or a malformed transcript or lesson. The formats are in \
            transcripts/README.md and lessons/README.md.
            """)

    @Argument(help: "Transcript files (*.txt), lesson files (NN-slug.md), or directories of them.")
    var paths: [String]

    @Flag(help: "Rewrite the expected output of transcript commands that differ, in place; keeps narration, directives and placeholders that still match. Lessons are never rewritten.")
    var update = false

    func run() throws {
        throw ExitCode(VerifyRun(opener: TranscriptWorkspaces.opener, update: update, output: StandardOutput()).run(paths: paths))
    }
}
