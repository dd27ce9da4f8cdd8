import Foundation
import Fovea
import FoveaNotebook
import FoveaTestSupport
import Testing

@Suite("Notebook")
struct NotebookTests {
    @Test("finish() writes the page when every check passes, and returns")
    func finishWritesPage() throws {
        let output = temporaryFolder() + "/not/yet/there"
        let nb = silentNotebook(sourcePath: writeFixtureLesson(), output: output)
        nb.check("two plus two", actual: 4, expected: 4, tolerance: 1e-9)
        let (allPassed, writeFailed) = nb.writePageAndSummarize()
        #expect(allPassed && !writeFailed)
        let page = try String(contentsOfFile: nb.pagePath, encoding: .utf8)
        #expect(nb.pagePath == output + "/notebook.md")
        #expect(page.contains("All 1 checks passed."))
        #expect(page.contains("`--quick` run with seed 0"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: output).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty, "the temporary file was renamed")
    }

    @Test("finish() exits with status 0 after a passing check, and the page exists")
    func finishSucceeds() async {
        await #expect(processExitsWith: .success) {
            let folder = TemporaryFolders.path("notebook-pass")  // removed as this child process exits
            let nb = Notebook("exit-test", arguments: ["--quick", "--output", folder], environment: [:])
            nb.check("one is one", actual: 1, expected: 1, tolerance: 1e-9)
            nb.finish()
            if !FileManager.default.fileExists(atPath: folder + "/notebook.md") { exit(3) }
        }
    }

    @Test("finish() exits with a failure status when a check failed")
    func finishFails() async {
        await #expect(processExitsWith: .failure) {
            let folder = TemporaryFolders.path("notebook-fail")
            let nb = Notebook("exit-test", arguments: ["--quick", "--output", folder], environment: [:])
            nb.cell("A failing cell")
            nb.check("one is two", actual: 1, expected: 2, tolerance: 1e-9)
            nb.check("a tensor", actual: Tensor([1, 2]), expected: Tensor([1, 2]), tolerance: 1e-9)
            nb.finish()
        }
    }

    @Test("a wrong command line exits with status 2")
    func badArguments() async {
        await #expect(processExitsWith: .exitCode(2)) {
            _ = Notebook("exit-test", arguments: ["--seed", "minus one"], environment: [:])
        }
    }

    @Test("a figure whose drawing throws or writes nothing is a failed check, and the lesson goes on")
    func failedFigures() {
        struct DrawingError: Error, CustomStringConvertible { var description: String { "no cairo today" } }
        let nb = silentNotebook(sourcePath: writeFixtureLesson(), output: temporaryFolder())
        nb.figure("a.png", caption: "A") { _ in throw DrawingError() }
        nb.figure("b.png", caption: "B") { _ in }
        #expect(nb.figurePaths.isEmpty)
        #expect(nb.checks.map(\.passed) == [false, false])
        #expect(nb.checks.map(\.name) == ["figure a.png is drawn", "figure b.png is drawn"])
        #expect(nb.checks[0].detail == "no cairo today")
        #expect(nb.checks[1].detail.hasPrefix("the drawing code wrote no file at "))
    }

    @Test("the terminal shows a cell's prose and code when it starts, then its output, then the prose after it")
    func terminalOrder() {
        let written = Locked("")
        let terminal = Terminal(styled: false) { text in written.withLock { $0 += text } }
        let source = writeFixtureLesson()
        let nb = Notebook(name: "01-sample", title: nil, options: try! NotebookOptions(parsing: ["--output", temporaryFolder()]),
                          filePath: source, line: fixtureLine("Notebook(\"01-sample\")"), terminal: terminal)
        nb.cell("Checks (last)", filePath: source, line: fixtureLine("try nb.cell("))
        nb.print("x is 1")
        _ = nb.writePageAndSummarize()
        let text = written.withLock { $0 }
        #expect(text.hasPrefix("# 01 · Sample\nYou will add two numbers.\n\nRuns in a second.\n\nfull run · seed 0 · output /"))
        #expect(text.contains("\n── Checks (last) ───"))
        #expect(text.contains("    let x = 1.0\n\nx is 1\n\nThe end.\n\nReally.\n"))
        #expect(text.contains("no checks\npage: "))
        #expect(!text.contains("\u{1B}"))
    }

    @Test("checks record their cell; show, measure and print go to the current cell")
    func recording() {
        let nb = silentNotebook(sourcePath: "/nonexistent/main.swift", output: temporaryFolder())
        nb.show(Tensor(shape: [1, 2], [1, 2]), "x")
        nb.cell("Timing")
        let seconds = nb.measure("sleep") { usleep(2_000) }
        #expect(seconds >= 0.002 && seconds < 1)
        #expect(nb.check("x", actual: Tensor([1]), expected: Tensor([1]), tolerance: 1e-6))
        #expect(nb.checks.map(\.cell) == ["Timing"])
        let records = nb.state.withLock { $0.cells }
        #expect(records[0].outputs == [.text("x: Tensor(1×2, float32)\n[[1.0000  2.0000]]")])
        guard case .text(let timing) = records[1].outputs.first else { Issue.record("no timing"); return }
        #expect(timing.hasPrefix("⏱ sleep: ") && timing.hasSuffix(" ms"))
    }
}
