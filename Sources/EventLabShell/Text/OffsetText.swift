/// How far a reader has read a partition, in the offsets of records rather than positions (the
/// next offset to read), so that `@4` names the same record here as in `state` and `consume`.
enum OffsetText {
    /// For a reader whose next offset is `position`, on a partition holding the records from
    /// `logStart` to before `logEnd`: `up to @6` (all of it), `up to @4 of @6`, `none of @4–@6`
    /// (retention may have deleted those before @4), `(empty)`, or `(nothing left: retention
    /// deleted up to @6)` when the partition holds no record any more.
    static func read(position: Int64, logStart: Int64, logEnd: Int64) -> String {
        let last = logEnd - 1
        if last < 0 { return "(empty)" }
        // A reader moves past what retention deleted unread, so its position cannot tell
        // whether it read those records: say only that none is left.
        if logStart >= logEnd { return "(nothing left: retention deleted up to @\(last))" }
        if position >= logEnd { return "up to @\(last)" }
        let next = max(position, logStart)
        if next == logStart { return next == last ? "none of @\(last)" : "none of @\(next)–@\(last)" }
        return "up to @\(next - 1) of @\(last)"
    }
}
