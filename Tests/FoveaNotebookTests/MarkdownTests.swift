import Foundation
import FoveaNotebook
import Testing

@Suite("Markdown page")
struct MarkdownTests {
    static let runInfo = RunInfo(date: Date(timeIntervalSince1970: 1_750_000_000), quick: true, seed: 0,
                                 machine: "x86_64", cores: 2, operatingSystem: "Linux", duration: 1.25)

    /// Runs the fixture lesson's cells by hand: output, a table, a figure, a passing and a failing check.
    static func runFixture(sourcePath: String, output: String) -> Notebook {
        let nb = silentNotebook(sourcePath: sourcePath, output: output)
        nb.cell("Adding", filePath: sourcePath, line: fixtureLine("nb.cell(\"Adding\")"))
        nb.print("sum", 4)
        nb.cell("Tables", filePath: sourcePath, line: fixtureLine("nb.cell(\"Tables\")"))
        nb.table(headers: ["n", "n²"], rows: [["1", "1"], ["2", "4"]])
        nb.figure("plots/squares.png", caption: "The squares") { path in
            try Data("not really a PNG".utf8).write(to: URL(fileURLWithPath: path))
        }
        nb.check("two plus two", actual: 4, expected: 4, tolerance: 1e-9)
        nb.cell("Checks (last)", filePath: sourcePath, line: fixtureLine("try nb.cell(") + 1)
        nb.check("one is two", actual: 1, expected: 2, tolerance: 1e-9)
        return nb
    }

    @Test("the page has the title, prose, code fences, output, the figure, the checks and the footer")
    func page() throws {
        let output = temporaryFolder()
        let nb = Self.runFixture(sourcePath: writeFixtureLesson(), output: output)
        let page = nb.makePage(runInfo: Self.runInfo).markdown

        #expect(page.hasPrefix("# 01 · Sample\nYou will add two numbers.\n\nRuns in a second.\n\n```swift\nimport Fovea\n"))
        #expect(page.components(separatedBy: "# 01 · Sample").count == 2, "the title once")
        #expect(page.contains("## 1 · Adding\nTwo plus two is $2 + 2 = 4$.\n\n```swift\nlet sum = 2 + 2\nnb.print(\"sum\", sum)\n```\n\n```text\nsum 4\n```"))
        #expect(page.contains("| n | n² |\n| ---: | ---: |\n| 1 | 1 |\n| 2 | 4 |"))
        #expect(page.contains("![The squares](plots/squares.png)\n\n*The squares*"))
        #expect(page.contains("- ✓ **two plus two** (|Δ| 0 ≤ 1e-09)"), "a pass is one short line")
        #expect(page.contains("- ✗ **one is two**: actual 1, expected 2, |difference| 1 > tolerance 1e-09"))
        #expect(page.contains("## Checks (last)\n\n```swift\nlet x = 1.0\n```\n\n- ✗ **one is two**"),
                "a cell whose source opens with code gets its title as a heading")
        #expect(page.contains("1 > tolerance 1e-09\n\nThe end.\n\nReally.\n\n## Checks\n"),
                "prose after the last code block follows the output")
        #expect(!page.contains("nb.cell(") && !page.contains("nb.finish()"), "markers are not shown")

        #expect(page.contains("## Checks\n\n**1 of 2 checks failed.**"))
        #expect(page.contains("| ✗ | one is two | Checks (last) | actual 1, expected 2, \\|difference\\| 1 > tolerance 1e-09 |"))
        #expect(!page.contains("| ✓ | two plus two"), "the table lists only failures, not a copy of every line")
        #expect(page.hasSuffix("---\n\n*Produced on 2025-06-15 15:06 UTC by a `--quick` run with seed 0, on x86_64 with 2 cores (Linux), in 1.25 s.*\n"))
    }

    @Test("the page references every figure, relative to itself")
    func figures() {
        let output = temporaryFolder()
        let nb = Self.runFixture(sourcePath: writeFixtureLesson(), output: output)
        let page = nb.makePage(runInfo: Self.runInfo).markdown
        #expect(nb.figurePaths == [nb.outputDirectory + "/plots/squares.png"])
        for path in nb.figurePaths {
            #expect(FileManager.default.fileExists(atPath: path))
            #expect(page.contains("](\(path.dropFirst(nb.outputDirectory.count + 1)))"))
        }
    }

    @Test("a cell without a heading gets its title as one; a cell that did not run is marked")
    func titlesAndSkippedCells() {
        let source = writeFixtureLesson()
        let nb = silentNotebook(sourcePath: source, output: temporaryFolder())
        nb.cell("Adding", filePath: source, line: fixtureLine("nb.cell(\"Adding\")"))
        nb.cell("Checks (last)", filePath: source, line: fixtureLine("try nb.cell("))
        let page = nb.makePage(runInfo: Self.runInfo).markdown
        #expect(page.contains("## Tables\n\n## 2 · Tables") == false)
        #expect(page.contains("## 2 · Tables\nA table of squares:\n  - indented item\n\n```swift"))
        #expect(page.contains("nb.table(headers: [\"n\", \"n²\"], rows: [[\"1\", \"1\"]])\n```\n\n*This cell did not run.*"))
        #expect(page.contains("## Checks (last)\n\n```swift\nlet x = 1.0\n```"))
        #expect(page.contains("## Checks\n\nThis notebook made no checks."))
    }

    @Test("without the source, the page lists each cell's output under its name, with a note")
    func missingSource() {
        let nb = silentNotebook(sourcePath: "/nonexistent/Lessons/01-Sample/main.swift", output: temporaryFolder())
        nb.cell("Adding", filePath: "/nonexistent/Lessons/01-Sample/main.swift", line: 12)
        nb.print("sum", 4)
        let page = nb.makePage(runInfo: Self.runInfo).markdown
        #expect(page.hasPrefix("# 01-sample\n\n> **Note:** the lesson's source was not found at /nonexistent/Lessons/01-Sample/main.swift"))
        #expect(page.contains("## Adding\n\n```text\nsum 4\n```"))
    }

    @Test("fences grow longer than any backtick run inside")
    func fences() {
        #expect(fenced("a ``` b", language: "text") == "````text\na ``` b\n````")
        #expect(fenced("x", language: "swift") == "```swift\nx\n```")
    }
}
