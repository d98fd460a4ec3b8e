extension VerifyRun {
    /// Checks the lesson in `file` with ``LessonVerifier``: a passed line with its counts, or the
    /// failure located at its line (`file:line: lesson 01-the-log step 2 ...`) and a FAILED line.
    /// `--update` never touches a lesson.
    func verifyLesson(_ file: String, text: String) -> Outcome {
        do {
            let lesson = try LessonParser.parse(text, fileName: file)
            let verification = try LessonVerifier().verify(lesson, file: file)
            guard let failure = verification.failure else {
                output.line("passed   \(file)  (\(verification.summary))")
                return .passed
            }
            output.line("\(file):\(failure.line): \(failure.message)")
            let stage = failure.step.map { "step \($0) of \(lesson.steps.count)" } ?? "its setup"
            output.line("FAILED   \(file)  (\(stage) failed; \(verification.summary) before it)")
            return .failed
        } catch let error as LessonError {
            output.error("error: \(error)")
            return .malformed
        } catch {
            output.error("error: \(file): \(ShellError.message(of: error))")
            return .malformed
        }
    }
}
