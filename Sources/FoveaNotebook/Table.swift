import Foundation

// Small tables of results, laid out for the terminal (aligned with spaces) and for the page
// (Markdown). Columns whose cells are all numbers are right-aligned.

/// A small table: a header row and rows of cells.
package struct Table: Equatable, Sendable {
    package var headers: [String]
    package var rows: [[String]]

    package init(headers: [String], rows: [[String]]) {
        let width = max(headers.count, rows.map(\.count).max() ?? 0)
        func padded(_ row: [String]) -> [String] { row + Array(repeating: "", count: width - row.count) }
        self.headers = padded(headers)
        self.rows = rows.map(padded)
    }

    /// Whether column `c` holds only numbers (and blanks), so it reads best right-aligned.
    package func isNumeric(_ c: Int) -> Bool {
        let cells = rows.map { $0[c].trimmingPercent() }.filter { !$0.isEmpty }
        return !cells.isEmpty && cells.allSatisfy { Double($0) != nil }
    }

    /// The table aligned with spaces, a rule under the header: readable in a plain log.
    package var plainText: String {
        let widths = headers.indices.map { c in ([headers[c]] + rows.map { $0[c] }).map(\.count).max() ?? 0 }
        func line(_ row: [String]) -> String {
            row.indices.map { c in
                let padding = String(repeating: " ", count: widths[c] - row[c].count)
                return isNumeric(c) ? padding + row[c] : row[c] + padding
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        let rule = widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
        return ([line(headers), rule] + rows.map(line)).joined(separator: "\n")
    }

    /// The table in Markdown, numeric columns right-aligned, `|` in cells escaped.
    package var markdown: String {
        func line(_ row: [String]) -> String {
            "| " + row.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        let alignment = "|" + headers.indices.map { isNumeric($0) ? " ---: |" : " --- |" }.joined()
        return ([line(headers), alignment] + rows.map(line)).joined(separator: "\n")
    }
}

extension String {
    fileprivate func trimmingPercent() -> String {
        let trimmed = self.trimmingCharacters(in: .whitespaces)
        return trimmed.hasSuffix("%") ? String(trimmed.dropLast()) : trimmed
    }

    package func trimmingTrailingSpaces() -> String {
        String(reversed().drop { $0 == " " }.reversed())
    }
}
