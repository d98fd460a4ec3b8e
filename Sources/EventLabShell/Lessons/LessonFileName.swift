/// The number and slug a lesson's file name gives it: `NN-slug.md`, two digits, then words of
/// lowercase letters and digits joined by `-`.
public struct LessonFileName: Equatable, Sendable {
    /// The two digits, 1–99.
    public let number: Int
    /// The words after the number, as `lesson start` accepts them.
    public let slug: String

    /// The number and slug of `name` (a file name, or a path whose last part is one).
    ///
    /// - Throws: ``LessonError`` saying what the name should look like.
    public init(_ name: String) throws(LessonError) {
        let base = name.split(separator: "/").last.map(String.init) ?? name
        let fail = LessonError(file: name, line: nil, "a lesson's file is named NN-slug.md: two digits from 01, `-`, then lowercase words joined by `-`, such as 01-the-log.md")
        guard base.hasSuffix(".md") else { throw fail }
        let stem = base.dropLast(3)
        let digits = stem.prefix(2)
        guard digits.count == 2, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(digits), number > 0,
              stem.dropFirst(2).hasPrefix("-") else { throw fail }
        let slug = stem.dropFirst(3)
        let words = slug.split(separator: "-", omittingEmptySubsequences: false)
        guard words.allSatisfy({ !$0.isEmpty && $0.allSatisfy { ($0.isASCII && $0.isLowercase) || ($0.isASCII && $0.isNumber) } }) else {
            throw fail
        }
        self.number = number
        self.slug = String(slug)
    }
}
