/// Columns of text, left-aligned, two spaces apart, as Kafka's tools print them.
enum Table {
    static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].displayWidth }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.displayWidth + 2)
            }.joined()
        }.joined(separator: "\n")
    }
}

extension String {
    /// Columns on a terminal: one per character (wide characters are rare in this output); the
    /// marks of values that vary take none.
    var displayWidth: Int { Varying.plain(self).count }

    /// Cut to `width` columns with an ellipsis when longer.
    func truncated(to width: Int) -> String {
        guard count > width else { return self }
        return width <= 1 ? String(prefix(width)) : String(prefix(width - 1)) + "…"
    }
}
