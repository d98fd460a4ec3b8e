/// One block of the Markdown subset lessons are written in (see `lessons/README.md`).
public enum MarkdownBlock: Equatable, Sendable {
    /// Lines of text joined into one paragraph; a line break in the source is a space.
    case paragraph([MarkdownInline])
    /// Items introduced by `- ` or `* `.
    case bullets([[MarkdownInline]])
    /// Items introduced by `1. `, numbered on from the first item's number.
    case numbered(start: Int, [[MarkdownInline]])
    /// The lines between two fences, kept exactly; `language` is what follows the opening fence.
    case code(language: String, lines: [String])
    /// Lines introduced by `> `, read as blocks of their own.
    case quote([MarkdownBlock])
}

/// A run of text inside a block. Emphasis does not nest: `**a *b* c**` is strong text with
/// the stars of `*b*` kept as written.
public enum MarkdownInline: Equatable, Sendable {
    /// Text as written, escapes resolved.
    case text(String)
    /// `*text*`
    case emphasis(String)
    /// `**text**`
    case strong(String)
    /// `` `code` ``, a command or a name, never wrapped inside.
    case code(String)
}
