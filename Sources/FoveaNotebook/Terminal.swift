import Fovea
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The notebook as it runs, in the terminal: each cell's prose (headings highlighted, text
// wrapped), then its code indented (and dimmed), then its output as it comes. ANSI styles are
// used only on a terminal with NO_COLOR unset, so a plain log reads just as well.

/// Where the notebook writes as it runs, and how.
package struct Terminal: Sendable {
    /// Whether to use ANSI styles.
    package var styled: Bool
    /// The column at which prose is wrapped.
    package var width = 100
    /// Writes text as it is (the caller supplies newlines).
    package var write: @Sendable (String) -> Void

    package init(styled: Bool, width: Int = 100, write: @escaping @Sendable (String) -> Void) {
        self.styled = styled
        self.width = width
        self.write = write
    }

    /// Standard output, styled when it is a TTY and `NO_COLOR` is unset or empty.
    package static func standardOutput(environment: [String: String]) -> Terminal {
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty || environment["TERM"] == "dumb"
        return Terminal(styled: isatty(STDOUT_FILENO) == 1 && !noColor) { text in
            Swift.print(text, terminator: "")  // the same buffer as the lesson's own print calls
            fflush(nil)
        }
    }

    /// Writes nothing (for tests).
    package static let silent = Terminal(styled: false) { _ in }

    package enum Style: String {
        case heading = "1;36"
        case code = "2"
        case passed = "32"
        case failed = "1;31"
        case note = "2;3"
    }

    package func styled(_ text: String, _ style: Style) -> String {
        styled ? "\u{1B}[\(style.rawValue)m" + text + "\u{1B}[0m" : text
    }

    /// A line of text, with a newline.
    package func line(_ text: String = "", _ style: Style? = nil) {
        write((style.map { styled(text, $0) } ?? text) + "\n")
    }

    // MARK: Rendering

    /// A cell's source up to its output: a title rule when its prose does not open with a
    /// heading, then its prose and code blocks.
    package func cellStart(title: String, blocks: [SourceBlock]?) -> String {
        var parts: [String] = []
        if !opensWithHeading(blocks ?? []) { parts.append(styled("── \(title) " + String(repeating: "─", count: max(3, 40 - title.count)), .heading)) }
        parts += (blocks ?? []).map(render)
        return "\n" + parts.joined(separator: "\n\n") + "\n\n"
    }

    /// Blocks on their own (the prose after a cell's output).
    package func blocks(_ blocks: [SourceBlock]) -> String {
        blocks.isEmpty ? "" : "\n" + blocks.map(render).joined(separator: "\n\n") + "\n"
    }

    private func render(_ block: SourceBlock) -> String {
        switch block {
        case .prose(let text): prose(text)
        case .code(let text): code(text)
        }
    }

    /// Markdown prose for the terminal: headings highlighted, each paragraph and list item re-flowed
    /// (its source lines joined) and wrapped at `width`, so no word is left alone at a source line break;
    /// fenced code, tables, display formulas and indented lines left as they are.
    package func prose(_ markdown: String) -> String {
        var inFence = false
        var lines: [String] = []
        var paragraph: String?   // source lines of one paragraph or list item, joined
        func flush() {
            if let text = paragraph { lines.append(contentsOf: text.count <= width ? [text] : wrapped(text)) }
            paragraph = nil
        }
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```") { flush(); inFence.toggle(); lines.append(line); continue }
            if inFence || trimmed.hasPrefix("|") || trimmed.hasPrefix("$$") || line.hasPrefix("    ") || trimmed.isEmpty {
                flush()
                lines.append(line)
            } else if trimmed.hasPrefix("#") {
                flush()
                lines.append(styled(line, .heading))
            } else if Self.startsListItem(trimmed) || paragraph == nil {
                flush()
                paragraph = line
            } else {
                paragraph! += " " + trimmed   // a continuation: re-flowed with the lines before it
            }
        }
        flush()
        return lines.joined(separator: "\n")
    }

    /// Whether a line opens a list item (`- `, `* `, `+ `, `1. `).
    static func startsListItem(_ line: Substring) -> Bool {
        guard let marker = line.split(separator: " ", maxSplits: 1).first, line.count > marker.count else { return false }
        return marker == "-" || marker == "*" || marker == "+" || (marker.hasSuffix(".") && Int(marker.dropLast()) != nil)
    }

    /// Code indented by four spaces (and dimmed).
    package func code(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : styled("    " + $0, .code) }
            .joined(separator: "\n")
    }

    /// One long line broken at spaces, continuation lines indented under a list item's text.
    package func wrapped(_ line: String) -> [String] {
        let indent = line.prefix { $0 == " " }.count
        let body = line.dropFirst(indent)
        var hanging = indent
        if let marker = body.split(separator: " ", maxSplits: 1).first,
           marker == "-" || marker == "*" || marker == "+" || (marker.hasSuffix(".") && Int(marker.dropLast()) != nil) {
            hanging += marker.count + 1
        }
        var lines: [String] = []
        var current = String(repeating: " ", count: indent)
        var currentIsEmpty = true
        for word in body.split(separator: " ") {
            if !currentIsEmpty && current.count + 1 + word.count > width {
                lines.append(current)
                current = String(repeating: " ", count: hanging)
                currentIsEmpty = true
            }
            current += (currentIsEmpty ? "" : " ") + word
            currentIsEmpty = false
        }
        lines.append(current)
        return lines
    }
}

/// Whether a cell's source opens with a Markdown heading, which then serves as its title.
package func opensWithHeading(_ blocks: [SourceBlock]) -> Bool {
    if case .prose(let text) = blocks.first { return text.hasPrefix("#") }
    return false
}

/// Whether a lesson's header opens with its title, a level-1 heading (`# 01 · Convolution`).
package func opensWithTitle(_ blocks: [SourceBlock]) -> Bool {
    if case .prose(let text) = blocks.first { return text.hasPrefix("# ") }
    return false
}
