import EventLabCore
import Foundation

/// `eventlab verify [--update] FILE|DIR...`: runs each transcript on a fresh workspace, prints a
/// diff for every command whose output changed, checks each lesson's steps (`VerifyRun+Lessons`),
/// and ends with `N passed, N failed`.
public struct VerifyRun {
    /// Every transcript matched.
    public static let passed: Int32 = 0
    /// A command's output differed.
    public static let failed: Int32 = 1
    /// A bad argument or a malformed transcript.
    public static let malformed: Int32 = 2

    let verifier: TranscriptVerifier
    let update: Bool
    let output: any Output

    /// A run opening workspaces with `opener`; with `update`, differing output is rewritten in
    /// place instead of failing.
    public init(opener: @escaping TranscriptWorkspaceOpener, update: Bool, output: any Output) {
        verifier = TranscriptVerifier(opener: opener)
        self.update = update
        self.output = output
    }

    /// Verifies the transcripts and lessons `paths` name; returns the exit status.
    public func run(paths: [String]) -> Int32 {
        let files: [String]
        do {
            files = try TranscriptFiles.collect(paths)
        } catch {
            output.error("error: \(error.message)")
            return Self.malformed
        }
        if update, files.allSatisfy(TranscriptFiles.isLesson) {
            output.error("note: --update rewrites transcripts only; lessons are verified as they are, never rewritten")
        }
        var passed = 0, failed = 0, updated = 0, status = Self.passed
        for file in files {
            switch verify(file) {
            case .passed: passed += 1
            case .updated: updated += 1
            case .failed:
                failed += 1
                status = max(status, Self.failed)
            case .malformed:
                failed += 1
                status = Self.malformed
            }
        }
        output.line("\(passed) passed, \(failed) failed" + (update ? ", \(updated) updated" : ""))
        return status
    }

    enum Outcome { case passed, failed, updated, malformed }

    private func verify(_ file: String) -> Outcome {
        guard let data = FileManager.default.contents(atPath: file) else {
            output.error("error: cannot read \(file): check the path and its permissions")
            return .malformed
        }
        guard let text = String(data: data, encoding: .utf8) else {
            output.error("error: \(file) is not UTF-8 text: a transcript is plain text")
            return .malformed
        }
        if TranscriptFiles.isLesson(file) { return verifyLesson(file, text: text) }
        do {
            let transcript = try TranscriptParser.parse(text)
            let mismatches = try verifier.mismatches(in: transcript)
            let count = transcript.commands.count
            guard !mismatches.isEmpty else {
                output.line("passed   \(file)  (\(count) command\(count == 1 ? "" : "s"))")
                return .passed
            }
            if update {
                // Written where a symbolic link points, so the link stays one.
                let target = URL(fileURLWithPath: file).resolvingSymlinksInPath().path
                try TranscriptUpdate.apply(mismatches, to: text).write(toFile: target, atomically: true, encoding: .utf8)
                output.line("updated  \(file)  (\(mismatches.count) of \(count) commands print something new)")
                return .updated
            }
            for mismatch in mismatches { output.line(OutputDiff.unified(file: file, mismatch)) }
            output.line("FAILED   \(file)  (\(mismatches.count) of \(count) commands differ)")
            return .failed
        } catch let error as TranscriptError {
            output.error("error: \(file) line \(error.line): \(error.message)")
            return .malformed
        } catch {
            output.error("error: \(file): \(ShellError.message(of: error))")
            return .malformed
        }
    }
}
