/// Arithmetic on times and offsets that stops at the ends of `Int64` instead of trapping.
///
/// A timestamp or committed offset can be anything a client sent or a file held (−2^63 is a
/// valid Kafka long); a comparison such as `now - first >= age` must still give an answer, and
/// the answer at the ends is the one a wider integer would give.
extension Int64 {
    /// `self + other`, or `Int64.max` / `Int64.min` where the sum would not fit.
    public func addingSaturating(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }

    /// `self - other`, or `Int64.max` / `Int64.min` where the difference would not fit.
    public func subtractingSaturating(_ other: Int64) -> Int64 {
        let (difference, overflow) = subtractingReportingOverflow(other)
        return overflow ? (other < 0 ? .max : .min) : difference
    }
}
