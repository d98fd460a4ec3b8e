extension LessonRunner {
    /// Every lesson with its mark: ✓ finished, ▸ in progress (at which step), blank not begun.
    func list(in shell: Shell) throws {
        let entries = try library.entries()
        let store = try requireStore()
        var rows: [(mark: String, number: String, slug: String, title: String)] = []
        for entry in entries {
            var progress = (try? store.progress(entry)).flatMap { $0 }
            let title: String
            var steps = 0
            do {
                let lesson = try library.load(entry).lesson
                title = lesson.title
                steps = lesson.steps.count
                progress = progress?.on(lesson.titles).progress
            } catch {
                title = "(cannot be read: \(ShellError.message(of: error)))"
            }
            var mark = " "
            var shown = title
            if let progress {
                if progress.finished {
                    mark = "✓"
                } else {
                    mark = "▸"
                    shown += " (at step \(progress.step + 1) of \(steps))"
                }
            }
            if running?.entry == entry { shown += " ← running" }
            rows.append((mark, String(entry.number), entry.slug, shown))
        }
        let numberWidth = rows.map(\.number.count).max() ?? 1
        let slugWidth = rows.map(\.slug.count).max() ?? 1
        shell.say("Lessons in \(library.directory ?? "")  (✓ done, ▸ in progress):")
        for row in rows {
            let number = String(repeating: " ", count: numberWidth - row.number.count) + row.number
            let slug = row.slug + String(repeating: " ", count: slugWidth - row.slug.count)
            let label = "  \(row.mark) \(number)  \(slug)  "
            // A long title wraps under itself, so the marks, numbers and slugs stay a column.
            let lines = Help.wrap(row.title, width: max(20, shell.width - label.count))
            let indent = String(repeating: " ", count: label.count)
            shell.say(lines.enumerated().map { ($0.offset == 0 ? label : indent) + $0.element }.joined(separator: "\n"))
        }
        tell("`lesson start N` begins lesson N, or resumes it where you left it.", in: shell)
    }

    /// The running lesson's steps with their marks, or every lesson's progress when none runs.
    func progress(in shell: Shell) throws {
        guard let running else {
            let store = try requireStore()
            let started = try library.entries().compactMap { entry -> (LessonLibrary.Entry, LessonProgress)? in
                guard let saved = (try? store.progress(entry)).flatMap({ $0 }) else { return nil }
                return (entry, (try? library.load(entry)).map { saved.on($0.lesson.titles).progress } ?? saved)
            }
            guard !started.isEmpty else { return tell("No lesson begun yet: `lesson start 1` begins the first.", in: shell) }
            for (entry, progress) in started {
                let state = progress.finished ? "finished" : "at step \(progress.step + 1), \(progress.done.count) step\(progress.done.count == 1 ? "" : "s") done"
                shell.say("Lesson \(entry.number) (\(entry.slug)): \(state)")
            }
            return
        }
        let lesson = running.lesson
        shell.say("Lesson \(lesson.number): \(lesson.title) · \(running.progress.finished ? "complete" : running.place)")
        for (index, step) in lesson.steps.enumerated() {
            let mark = running.progress.done.contains(index) ? "✓" : index == running.progress.step && !running.progress.finished ? "▸" : " "
            shell.say("  \(mark) \(index + 1). \(step.title)\(step.isManual ? " (manual)" : "")")
        }
    }
}
