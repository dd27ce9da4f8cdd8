import Foundation

// The notebook page (notebook.md): the title block, then each cell's prose as Markdown, its code
// in ```swift fences, and what it printed, drew and checked; then a summary of the checks and a
// footer saying how, when and on what machine the page was produced.

/// A notebook page, ready to render: the source blocks paired with what each cell produced.
package struct NotebookPage: Equatable, Sendable {
    /// One cell on the page.
    package struct Section: Equatable, Sendable {
        package var title: String
        /// The cell's prose and code; `nil` when its source could not be found.
        package var blocks: [SourceBlock]?
        package var outputs: [Output]
        /// Whether the cell ran (a cell in the source may be skipped, say in a `--quick` run).
        package var ran = true
    }

    package var title: String
    /// The header's blocks (title block, imports, setup); empty when the source is missing.
    package var header: [SourceBlock]
    /// What ran before the first cell.
    package var headerOutputs: [Output]
    package var sections: [Section]
    /// Why the source is missing, shown at the top; `nil` when the source was read.
    package var sourceNote: String?
    package var checks: [CheckResult]
    package var runInfo: RunInfo

    /// The page as Markdown.
    package var markdown: String {
        var parts: [String] = []
        if !opensWithTitle(header) { parts.append("# \(title)") }
        if let sourceNote { parts.append("> **Note:** \(sourceNote)") }
        let (headerBefore, headerAfter) = splitAtOutput(header)
        parts += render(headerBefore) + render(headerOutputs) + render(headerAfter)
        for section in sections {
            if section.blocks.map(opensWithHeading) != true { parts.append("## \(section.title)") }
            if section.blocks == nil && sourceNote == nil {
                parts.append("> **Note:** the source of this cell was not found; only its output is shown.")
            }
            let (before, after) = splitAtOutput(section.blocks ?? [])
            parts += render(before)
            if !section.ran { parts.append("*This cell did not run.*") }
            parts += render(section.outputs) + render(after)
        }
        parts.append(checkSummary)
        parts.append("---\n\n*\(runInfo.footer)*")
        return parts.joined(separator: "\n\n") + "\n"
    }

    /// The "Checks" section: one line when every check passed (each is already shown, with its
    /// numbers, where it ran); otherwise the count and a table of the failed ones.
    package var checkSummary: String {
        guard !checks.isEmpty else { return "## Checks\n\nThis notebook made no checks." }
        let failures = checks.filter { !$0.passed }
        guard !failures.isEmpty else { return "## Checks\n\nAll \(checks.count) checks passed." }
        let verdict = "**\(failures.count) of \(checks.count) check\(checks.count == 1 ? "" : "s") failed.**"
        let table = Table(headers: ["", "check", "cell", "numbers"],
                          rows: failures.map { [$0.mark, $0.name, $0.cell, $0.detail] })
        return "## Checks\n\n" + verdict + "\n\n" + table.markdown
    }

    private func render(_ blocks: [SourceBlock]) -> [String] {
        blocks.map { block in
            switch block {
            case .prose(let text): text
            case .code(let text): fenced(text, language: "swift")
            }
        }
    }

    /// Outputs in order: consecutive texts share a ```text fence and consecutive checks a list.
    private func render(_ outputs: [Output]) -> [String] {
        var parts: [String] = []
        var texts: [String] = []
        var checks: [String] = []
        func flush() {
            if !texts.isEmpty { parts.append(fenced(texts.joined(separator: "\n"), language: "text")) }
            if !checks.isEmpty { parts.append(checks.joined(separator: "\n")) }
            (texts, checks) = ([], [])
        }
        for output in outputs {
            switch output {
            case .text(let text):
                if !checks.isEmpty { flush() }
                texts.append(text)
            case .check(let check):
                if !texts.isEmpty { flush() }
                checks.append("- \(check.mark) **\(check.name)**" + (check.passed ? " (\(check.summary))" : ": \(check.detail)"))
            case .table(let table):
                flush()
                parts.append(table.markdown)
            case .figure(let file, let caption):
                flush()
                parts.append("![\(escapedCaption(caption))](\(percentEncoded(file)))\n\n*\(caption)*")
            }
        }
        flush()
        return parts
    }
}

/// `text` in a fence of backticks longer than any run of backticks inside it.
package func fenced(_ text: String, language: String) -> String {
    var longest = 0
    var run = 0
    for character in text {
        run = character == "`" ? run + 1 : 0
        longest = max(longest, run)
    }
    let fence = String(repeating: "`", count: max(3, longest + 1))
    return fence + language + "\n" + text + "\n" + fence
}

private func escapedCaption(_ caption: String) -> String {
    caption.replacingOccurrences(of: "[", with: "\\[").replacingOccurrences(of: "]", with: "\\]")
}

/// A relative path usable as a Markdown link: spaces and parentheses percent-encoded.
private func percentEncoded(_ path: String) -> String {
    path.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: " ", with: "%20")
        .replacingOccurrences(of: "(", with: "%28").replacingOccurrences(of: ")", with: "%29")
}
