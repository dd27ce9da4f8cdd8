import FoveaPlot
import Testing

@Suite("Plot.confusionMatrix")
struct ConfusionMatrixTests {
    @Test("the darkest cell is the largest count, and an empty cell is almost white")
    func darkestIsLargest() throws {
        let path = temporaryFolder() + "/confusion.png"
        let counts = [[50, 2, 0], [4, 31, 77], [1, 9, 60]]
        let layout = try Plot.confusionMatrix(counts: counts, classNames: ["cat", "dog", "ship"], to: path)
        let png = try PNGFile(path)
        // Read each cell near its top-left corner, away from the count written in its middle.
        var lightness: [[Double]] = []
        for r in 0..<3 {
            lightness.append((0..<3).map { c in
                let cell = layout.cell(row: r, column: c)
                return png.color(at: Point(x: cell.minX + 3, y: cell.minY + 3)).luminance
            })
        }
        let darkest = (0..<9).min { lightness[$0 / 3][$0 % 3] < lightness[$1 / 3][$1 % 3] }!
        #expect((darkest / 3, darkest % 3) == (1, 2), "lightness \(lightness)")
        #expect(lightness[0][2] > 0.95)
        // Lighter means fewer: the order of lightness is the reverse order of counts.
        let byCount = (0..<9).sorted { counts[$0 / 3][$0 % 3] < counts[$1 / 3][$1 % 3] }
        let byDarkness = (0..<9).sorted { lightness[$0 / 3][$0 % 3] > lightness[$1 / 3][$1 % 3] }
        #expect(byCount == byDarkness)
    }

    @Test("non-square matrices, wrong name counts, negative counts and empty input throw")
    func errors() {
        let path = temporaryFolder() + "/x.png"
        #expect(throws: PlotError.self) { try Plot.confusionMatrix(counts: [], classNames: [], to: path) }
        #expect(throws: PlotError.self) { try Plot.confusionMatrix(counts: [[1, 2], [3]], classNames: ["a", "b"], to: path) }
        #expect(throws: PlotError.self) { try Plot.confusionMatrix(counts: [[1, 2], [3, 4]], classNames: ["a"], to: path) }
        #expect(throws: PlotError.invalidValue("confusion matrix: counts must be ≥ 0, found -1")) {
            try Plot.confusionMatrix(counts: [[1, -1], [3, 4]], classNames: ["a", "b"], to: path)
        }
    }
}
