import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The end of a lesson: pair each cell's source with what it produced, write notebook.md
// atomically, print the check summary, and exit non-zero if anything failed.

extension Notebook {
    /// Ends the lesson: writes the page (`notebook.md` in ``outputDirectory``), prints a summary
    /// of the checks, and exits with status 1 if any check failed or the page could not be
    /// written. Otherwise it returns.
    public func finish() {
        let (passed, failed) = writePageAndSummarize()
        fflush(nil)
        if !passed || failed { exit(1) }
    }

    /// Writes the page and prints the summary; returns whether every check passed and whether
    /// writing failed.
    package func writePageAndSummarize() -> (allPassed: Bool, writeFailed: Bool) {
        state.withLock { state in
            terminal.write(terminal.blocks(state.proseAfterOutput))
            state.proseAfterOutput = []
        }
        let page = makePage(runInfo: .current(quick: quick, seed: seed, duration: elapsedSeconds, usesData: dataDirectory != nil))
        var writeFailed = false
        do {
            try writeAtomically(page.markdown, to: pagePath)
        } catch {
            writeFailed = true
            FileHandle.standardError.write(Data("error: cannot write the notebook page \(pagePath): \(error)\n".utf8))
        }
        let checks = page.checks
        let failures = checks.filter { !$0.passed }
        terminal.line()
        terminal.line(terminal.styled("── Checks " + String(repeating: "─", count: 30), .heading))
        if checks.isEmpty {
            terminal.line("no checks")
        } else if failures.isEmpty {
            terminal.line(terminal.styled("all \(checks.count) checks passed", .passed))
        } else {
            terminal.line(terminal.styled("\(failures.count) of \(checks.count) checks failed:", .failed))
            for check in failures {
                terminal.line("  ✗ \(check.name) [\(check.cell)]: \(check.detail)  (\((check.file as NSString).lastPathComponent):\(check.line))")
            }
        }
        if !writeFailed { terminal.line("page: \(pagePath)", .note) }
        return (failures.isEmpty, writeFailed)
    }

    package var elapsedSeconds: Double {
        let elapsed = ContinuousClock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    /// The page: the source of each cell paired with its output, in the order the cells ran.
    /// A cell that ran several times (in a loop) shows its outputs once, together. Cells in the
    /// source that never ran are shown in their place with a note.
    package func makePage(runInfo: RunInfo) -> NotebookPage {
        let (records, source) = state.withLock { state in (state.cells, state.source(for: filePath)) }
        var groups: [CellRecord] = []
        for record in records.dropFirst() {
            if let i = groups.firstIndex(where: { $0.file == record.file && $0.line == record.line }) {
                groups[i].outputs += record.outputs
            } else {
                groups.append(record)
            }
        }
        var sections: [NotebookPage.Section] = []
        var next = 0  // the first source cell of the main file not yet on the page
        func notRun(_ cells: ArraySlice<SourceCell>) -> [NotebookPage.Section] {
            cells.map { .init(title: $0.title ?? "Cell at line \($0.markerLines.lowerBound)", blocks: $0.blocks, outputs: [], ran: false) }
        }
        for group in groups {
            if group.file == filePath, let source, let index = source.cells.firstIndex(where: { $0.markerLines.contains(group.line) }) {
                if index >= next {
                    sections += notRun(source.cells[next..<index])
                    next = index + 1
                }
                sections.append(.init(title: group.title, blocks: source.cells[index].blocks, outputs: group.outputs))
            } else {
                let blocks = group.file == filePath ? nil : state.withLock { $0.source(for: group.file)?.cell(at: group.line)?.blocks }
                sections.append(.init(title: group.title, blocks: blocks, outputs: group.outputs))
            }
        }
        if let source, next < source.cells.count { sections += notRun(source.cells[next...]) }
        return NotebookPage(
            title: title, header: source?.header ?? [], headerOutputs: records[0].outputs, sections: sections,
            sourceNote: source == nil ? missingSourceNote : nil,
            checks: records.flatMap(\.outputs).compactMap { if case .check(let check) = $0 { check } else { nil } },
            runInfo: runInfo)
    }
}

/// Writes `text` to a temporary file beside `path`, then renames it over `path`, so that a
/// reader never sees half a page. Creates the folder if missing.
package func writeAtomically(_ text: String, to path: String) throws {
    let folder = (path as NSString).deletingLastPathComponent
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let temporary = folder + "/.\((path as NSString).lastPathComponent).\(getpid()).tmp"
    try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
    guard rename(temporary, path) == 0 else {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(atPath: temporary)
        throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "rename to \(path) failed: \(reason)"])
    }
}
