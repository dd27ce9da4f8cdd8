// Cutting a lesson's source into cells.
//
// A compiled program cannot see its own source, so the notebook reads the lesson's main.swift
// (through the #filePath its calls capture) and cuts it at the explicit markers:
//
//     /*: # 01 · Convolution          ← header: everything before the first cell( call
//      What you will learn … */
//     import Fovea
//     let nb = Notebook("01-convolution")
//     nb.cell("Convolution by hand")  ← a marker: starts a cell, and is not shown
//     //: ## 1 · Convolution by hand  ← prose (Swift Playground markup: //: lines, /*: … */ blocks)
//     let y = conv2d(x, weight: w)    ← code
//     nb.show(y, "y")
//     nb.finish()                     ← dropped from the shown code too

import Foundation

/// One piece of a cell: Markdown prose, or Swift code.
package enum SourceBlock: Equatable, Sendable {
    /// Markdown text from `//:` lines or a `/*: … */` block, markers and common indentation removed.
    case prose(String)
    /// Lines of Swift, with leading and trailing blank lines trimmed.
    case code(String)
}

/// A cell as written in the source: the marker's lines and the blocks up to the next marker.
package struct SourceCell: Equatable, Sendable {
    /// The 1-based lines of the `cell(…)` call (several when its arguments span lines).
    package var markerLines: ClosedRange<Int>
    /// The first string literal of the marker, `"Convolution by hand"` in `nb.cell("Convolution by hand")`.
    package var title: String?
    package var blocks: [SourceBlock]
}

/// A lesson's source, cut into a header and cells at the `cell(` call lines.
package struct LessonSource: Equatable, Sendable {
    /// The blocks before the first cell: the title block, imports, the notebook's creation.
    package var header: [SourceBlock]
    package var cells: [SourceCell]

    /// The cell whose marker covers `line` (the `#line` a `cell(…)` call captured).
    package func cell(at line: Int) -> SourceCell? {
        cells.first { $0.markerLines.contains(line) }
    }

    /// Cuts `text` into cells. Never fails: text without markers is all header.
    package init(parsing text: String) {
        // "\r\n" is one Character in Swift, and a newline.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        var header: [String] = []
        var cells: [(marker: ClosedRange<Int>, title: String?, lines: [String])] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if isCall(line, to: "cell") || isCall(line, to: "finish") {
                let end = statementEnd(lines, from: index)
                if isCall(line, to: "cell") {
                    let title = firstStringLiteral(lines[index...end].joined(separator: "\n"))
                    cells.append((marker: (index + 1)...(end + 1), title: title, lines: []))
                }
                index = end + 1
                continue
            }
            if cells.isEmpty { header.append(line) } else { cells[cells.count - 1].lines.append(line) }
            index += 1
        }
        self.header = blocks(header)
        self.cells = cells.map { SourceCell(markerLines: $0.marker, title: $0.title, blocks: blocks($0.lines)) }
    }
}

/// A cell's blocks split where its output goes: right after its last code block. Prose after
/// the last code block (a Summary, say) comes after the output.
package func splitAtOutput(_ blocks: [SourceBlock]) -> (beforeOutput: [SourceBlock], afterOutput: [SourceBlock]) {
    guard let last = blocks.lastIndex(where: { if case .code = $0 { true } else { false } }) else { return (blocks, []) }
    return (Array(blocks[...last]), Array(blocks[(last + 1)...]))
}

// MARK: - Markers

/// Whether `line` is a statement calling `method` on a variable, such as `nb.cell("…")` or
/// `notebook.finish()` (optionally after `try`, `await` or `_ =`).
package func isCall(_ line: String, to method: String) -> Bool {
    var rest = Substring(line).drop { $0 == " " || $0 == "\t" }
    for prefix in ["_ = ", "try ", "await "] where rest.hasPrefix(prefix) {
        rest = rest.dropFirst(prefix.count).drop { $0 == " " }
    }
    let receiver = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
    let suffix = "." + method
    guard receiver.hasSuffix(suffix), receiver.count > suffix.count,
          let first = receiver.first, first.isLetter || first == "_" else { return false }
    return rest.dropFirst(receiver.count).first == "("
}

/// The index of the line where the call starting at `start` closes its parentheses (string
/// literals skipped), so that a marker whose arguments span lines is dropped whole.
private func statementEnd(_ lines: [String], from start: Int) -> Int {
    var depth = 0
    var inString = false
    for index in start..<min(lines.count, start + 20) {
        var escaped = false
        for character in lines[index] {
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
            } else if character == "\"" {
                inString = true
            } else if character == "(" {
                depth += 1
            } else if character == ")" {
                depth -= 1
                if depth == 0 { return index }
            }
        }
        if depth <= 0 { return index }
    }
    return start
}

/// The contents of the first `"…"` literal in `text` (escapes kept as written), if any.
private func firstStringLiteral(_ text: String) -> String? {
    guard let open = text.firstIndex(of: "\"") else { return nil }
    var literal = ""
    var escaped = false
    for character in text[text.index(after: open)...] {
        if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { return literal }
        literal.append(character)
    }
    return nil
}

// MARK: - Blocks

/// Splits a region's lines, in order, into prose and code blocks. Prose blocks separated only
/// by blank lines are merged into one, with a blank line between them.
private func blocks(_ lines: [String]) -> [SourceBlock] {
    var blocks: [SourceBlock] = []
    var code: [String] = []

    func flushCode() {
        let trimmed = trimmingBlankLines(code.map { String($0.reversed().drop { $0 == " " || $0 == "\t" }.reversed()) })
        if !trimmed.isEmpty { blocks.append(.code(trimmed.joined(separator: "\n"))) }
        code = []
    }
    func appendProse(_ lines: [String]) {
        flushCode()
        let text = trimmingBlankLines(lines).joined(separator: "\n")
        if case .prose(let previous) = blocks.last {
            blocks[blocks.count - 1] = .prose(text.isEmpty ? previous : previous + "\n\n" + text)
        } else if !text.isEmpty {
            blocks.append(.prose(text))
        }
    }

    var index = 0
    while index < lines.count {
        let trimmed = lines[index].drop { $0 == " " || $0 == "\t" }
        if trimmed.hasPrefix("//:") {
            var prose: [String] = []
            while index < lines.count, case let line = lines[index].drop(while: { $0 == " " || $0 == "\t" }), line.hasPrefix("//:") {
                var text = line.dropFirst(3)
                if text.first == " " { text = text.dropFirst() }
                prose.append(trimmingTrailingSpace(text))
                index += 1
            }
            appendProse(prose)
        } else if trimmed.hasPrefix("/*:") {
            var body: [String] = []
            var first = String(trimmed.dropFirst(3))
            var closed = false
            if let end = first.range(of: "*/") {
                first = String(first[..<end.lowerBound])
                closed = true
            }
            index += 1
            while !closed, index < lines.count {
                let line = lines[index]
                if let end = line.range(of: "*/") {
                    body.append(String(line[..<end.lowerBound]))
                    closed = true
                } else {
                    body.append(line)
                }
                index += 1
            }
            let head = first.trimmingCharacters(in: .whitespaces)
            appendProse((head.isEmpty ? [] : [head]) + dedented(body))
        } else {
            code.append(lines[index])
            index += 1
        }
    }
    flushCode()
    return blocks
}

private func isBlank(_ line: String) -> Bool { line.allSatisfy { $0 == " " || $0 == "\t" } }

private func trimmingBlankLines(_ lines: [String]) -> [String] {
    Array(lines.drop(while: isBlank).reversed().drop(while: isBlank).reversed())
}

private func trimmingTrailingSpace(_ text: Substring) -> String {
    String(text.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
}

/// Removes the indentation that all non-blank lines share, and trailing spaces.
private func dedented(_ lines: [String]) -> [String] {
    let indent = lines.filter { !isBlank($0) }.map { $0.prefix { $0 == " " || $0 == "\t" }.count }.min() ?? 0
    return lines.map { isBlank($0) ? "" : trimmingTrailingSpace($0.dropFirst(indent)) }
}
