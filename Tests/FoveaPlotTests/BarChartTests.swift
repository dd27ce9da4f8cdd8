import FoveaPlot
import Testing

@Suite("Plot.barChart")
struct BarChartTests {
    @Test("the largest value's bar is in the accent colour, the others lighter")
    func highlight() throws {
        let path = temporaryFolder() + "/bars.png"
        let values = [0.2, 0.7, 0.1]
        let layout = try Plot.barChart(values: values, labels: ["cat", "dog", "ship"], to: path)
        let png = try PNGFile(path)
        let accent = Theme.standard.seriesColor(0)
        for (i, v) in values.enumerated() {
            let middle = Point(x: layout.x(v / 2), y: layout.y(Double(i)))
            expectColor(png.color(at: middle), i == 1 ? accent : accent.mixed(with: .white, amount: 0.55), "bar \(i)")
        }
        // Categories run top to bottom.
        #expect(layout.y(0) < layout.y(2))
        #expect(layout.xAxis.lower == 0)
    }

    @Test("labels must match the values, and no values throw")
    func errors() {
        #expect(throws: PlotError.self) { try Plot.barChart(values: [], labels: [], to: temporaryFolder() + "/x.png") }
        #expect(throws: PlotError.countMismatch(what: "bar labels (one per value)", expected: 2, actual: 1)) {
            try Plot.barChart(values: [1, 2], labels: ["a"], to: temporaryFolder() + "/x.png")
        }
    }
}
