import FoveaPlot
import Testing

@Suite("Plot.lineChart")
struct LineChartTests {
    let line = (0...10).map(Double.init)

    @Test("y = x runs from the bottom-left to the top-right corner of the plot area")
    func diagonal() throws {
        let path = temporaryFolder() + "/diagonal.png"
        let layout = try Plot.lineChart([Series("y = x", x: line, y: line, markers: true)], title: "y = x",
                                        xLabel: "x", yLabel: "y", to: path)
        let png = try PNGFile(path)
        #expect(png.width == 720 && png.height == 440)
        let area = layout.plotArea
        #expect(layout.point(x: 0, y: 0) == Point(x: area.minX, y: area.maxY))
        #expect(layout.point(x: 10, y: 10) == Point(x: area.maxX, y: area.minY))

        let color = Theme.standard.seriesColor(0)
        // The pixels just inside the two corners, and the middle of the line.
        expectColor(png.color(x: Int(area.minX), y: Int(area.maxY) - 1), color, "bottom-left end")
        expectColor(png.color(x: Int(area.maxX) - 1, y: Int(area.minY)), color, "top-right end")
        expectColor(png.color(at: layout.point(x: 5, y: 5)), color, "middle")
        // The other two corners stay clear of the line.
        #expect(!isClose(png.color(x: Int(area.maxX) - 3, y: Int(area.maxY) - 3), color), "bottom-right corner")
        #expect(!isClose(png.color(x: Int(area.minX) + 2, y: Int(area.minY) + 2), color), "top-left corner")
    }

    @Test("a log axis puts powers of ten evenly apart")
    func logScale() throws {
        let path = temporaryFolder() + "/log.png"
        let layout = try Plot.lineChart([Series("loss", y: [100, 10, 1, 0.1])], logY: true, to: path)
        let (a, b, c) = (layout.y(100), layout.y(10), layout.y(1))
        #expect(abs((a - b) - (b - c)) < 1e-9)
        #expect(layout.yAxis.scale == .logarithmic)
    }

    @Test("NaN and non-positive values on a log axis are counted in the header")
    func notes() throws {
        let path = temporaryFolder() + "/nan.png"
        let layout = try Plot.lineChart([Series("a", y: [1, .nan, 2, .nan, 0, 3])], logY: true, to: path)
        #expect(layout.notes == ["2 NaN values left as gaps, marked × in magenta", "1 value ≤ 0 left out of the log scale"])
        let png = try PNGFile(path)
        // The × of the NaN at x = 2 sits just above the x axis.
        expectColor(png.color(at: Point(x: layout.x(2), y: layout.plotArea.maxY - 6)), Theme.standard.nanColor, "NaN mark",
                    tolerance: 0.15)
    }

    @Test("no values, or x and y of different lengths, throw")
    func errors() {
        #expect(throws: PlotError.emptyInput(what: "line chart", shape: nil)) {
            try Plot.lineChart([], to: temporaryFolder() + "/x.png")
        }
        #expect(throws: PlotError.self) {
            try Plot.lineChart([Series("a", y: [Double]())], to: temporaryFolder() + "/x.png")
        }
        #expect(throws: PlotError.countMismatch(what: "x values of series \"a\"", expected: 2, actual: 3)) {
            try Plot.lineChart([Series("a", x: [1, 2, 3], y: [1, 2])], to: temporaryFolder() + "/x.png")
        }
    }
}

@Suite("Series")
struct SeriesTests {
    @Test("x defaults to 1, 2, 3, …; Float values are converted")
    func defaults() {
        let losses: [Float] = [2.5, 1.25]
        let series = Series("loss", y: losses)
        #expect(series.x == [1, 2])
        #expect(series.y == [2.5, 1.25])
    }
}
