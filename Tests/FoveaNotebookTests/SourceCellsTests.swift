import FoveaNotebook
import Testing

@Suite("Source cells")
struct SourceCellsTests {
    let source = LessonSource(parsing: lessonFixture)

    @Test("the header holds the title block and the setup code")
    func header() {
        #expect(source.header == [
            .prose("# 01 · Sample\nYou will add two numbers.\n\nRuns in a second."),
            .code("import Fovea\nimport FoveaNotebook\n\nlet nb = Notebook(\"01-sample\")"),
        ])
    }

    @Test("cells are cut at the cell( lines; the markers and finish() are not shown")
    func cells() {
        #expect(source.cells.count == 3)
        #expect(source.cells.map(\.title) == ["Adding", "Tables", "Checks (last)"])
        #expect(source.cells[0].blocks == [
            .prose("## 1 · Adding\nTwo plus two is $2 + 2 = 4$."),
            .code("let sum = 2 + 2\nnb.print(\"sum\", sum)"),
        ])
        #expect(source.cells[1].blocks == [
            .prose("## 2 · Tables\nA table of squares:\n  - indented item"),
            .code("let squares = (1...3).map { $0 * $0 }"),
            .prose("A second paragraph of prose."),
            .code("// an ordinary comment stays in the code\nnb.table(headers: [\"n\", \"n²\"], rows: [[\"1\", \"1\"]])"),
        ])
        #expect(source.cells[2].blocks == [.code("let x = 1.0"), .prose("The end.\n\nReally.")])
    }

    @Test("a marker spanning lines is found from any of its lines")
    func multilineMarker() {
        let first = fixtureLine("try nb.cell(")
        #expect(source.cells[2].markerLines == first...(first + 2))
        #expect(source.cell(at: first + 1) == source.cells[2])
        #expect(source.cell(at: fixtureLine("nb.cell(\"Adding\")")) == source.cells[0])
        #expect(source.cell(at: fixtureLine("let sum")) == nil)
    }

    @Test("markers are calls on a variable, at the start of a statement")
    func markers() {
        #expect(isCall("nb.cell(\"A\")", to: "cell"))
        #expect(isCall("    notebook.cell(\"A\")  // note", to: "cell"))
        #expect(isCall("try nb.cell(", to: "cell"))
        #expect(isCall("_ = lesson.notebook.cell(\"A\")", to: "cell"))
        #expect(!isCall("// nb.cell(\"A\")", to: "cell"))
        #expect(!isCall("let c = nb.cell(\"A\")", to: "cell"))
        #expect(!isCall("cell(\"A\")", to: "cell"))
        #expect(!isCall("nb.cells(\"A\")", to: "cell"))
        #expect(isCall("nb.finish()", to: "finish"))
    }

    @Test("a source without markers is all header; /*: */ on one line is prose")
    func noMarkers() {
        let source = LessonSource(parsing: "/*: # Title */\r\nprint(1)\r\n")
        #expect(source.header == [.prose("# Title"), .code("print(1)")])
        #expect(source.cells.isEmpty)
    }
}
