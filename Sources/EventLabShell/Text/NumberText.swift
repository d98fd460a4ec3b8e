/// Whole numbers as a person types them, with the range said when one does not fit.
enum NumberText {
    /// `text` as an `Int64`, or nil if it is not a whole number at all.
    ///
    /// - Throws: for digits beyond `Int64`, naming the largest (or smallest) value `name` takes,
    ///   rather than calling a long number "not a number".
    static func parse(_ text: String, for name: String) throws(ShellError) -> Int64? {
        if let value = Int64(text) { return value }
        let digits = text.first == "-" || text.first == "+" ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        throw text.first == "-"
            ? ShellError("\(name) takes at least \(Int64.min), not \(text)")
            : ShellError("\(name) takes at most \(Int64.max), not \(text)")
    }
}
