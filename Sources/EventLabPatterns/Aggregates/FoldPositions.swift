/// How far a fold has read its topic, in words.
public enum FoldPositions {
    /// `p0 @8, p1 @2`: per partition, the offset of the last record folded, as `@N` names a
    /// record everywhere, not the position to read next; `p1 none` for a partition it has not
    /// read a record of.
    public static func lastRead(_ positions: [Int32: Int64]) -> String {
        positions.sorted { $0.key < $1.key }
            .map { $0.value > 0 ? "p\($0.key) @\($0.value - 1)" : "p\($0.key) none" }
            .joined(separator: ", ")
    }
}
