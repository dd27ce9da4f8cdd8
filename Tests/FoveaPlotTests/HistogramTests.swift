import FoveaPlot
import Testing

@Suite("Histogram")
struct HistogramTests {
    @Test("values fall in half-open bins, the last bin closed; NaN and outside values are not counted")
    func binning() {
        let bins = HistogramBins([0, 0.49, 0.5, 1, 1, .nan, 7], bins: 2, range: 0...1)
        #expect(bins.edges == [0, 0.5, 1])
        #expect(bins.counts == [2, 3])
        #expect(bins.nonFinite == NonFiniteCount(nan: 1, infinite: 0))
        #expect(bins.outside == 1)
        #expect(HistogramBins([3, 3], bins: 4).edges.first == 2.5)
    }

    @Test("bars reach their count on the count axis; the header reports NaN")
    func figure() throws {
        let path = temporaryFolder() + "/histogram.png"
        let values: [Float] = [0, 0.1, 0.2, 0.9, .nan]   // bins of 0.25: [3, 0, 0, 1]
        let layout = try Plot.histogram(values, bins: 4, title: "values", to: path)
        let png = try PNGFile(path)
        let accent = Theme.standard.seriesColor(0)
        expectColor(png.color(at: layout.point(x: 0.12, y: 1.5)), accent, "inside the first bar")
        #expect(!isClose(png.color(at: layout.point(x: 0.37, y: 0.5)), accent), "the empty second bin")
        expectColor(png.color(at: layout.point(x: 0.8, y: 0.5)), accent, "inside the last bar")
        #expect(!isClose(png.color(at: layout.point(x: 0.8, y: 1.5)), accent), "above the last bar")
        #expect(layout.notes == ["1 NaN value not counted"])
    }

    @Test("no values throw")
    func empty() {
        #expect(throws: PlotError.emptyInput(what: "histogram", shape: [0])) {
            try Plot.histogram([], to: temporaryFolder() + "/x.png")
        }
    }
}
