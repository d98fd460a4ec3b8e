import EventLabCore

extension Shell {
    /// Writes what background work did since last asked: after each command, and in the REPL
    /// before each prompt, never in the middle of a line being typed.
    public func printNotices() {
        for notice in broker.notices.take() {
            for line in NoticeText.lines(notice, timesVary: timesVary) {
                if line.isWarning {
                    write(style.error("warning:") + " \(line.text)", isError: true)
                } else {
                    say(line.text)
                }
            }
        }
    }
}
