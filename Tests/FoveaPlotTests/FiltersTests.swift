import FoveaPlot
import Testing

@Suite("Plot.filters")
struct FiltersTests {
    @Test("RGB filters are scaled per filter to ±max|w|, so 0 is mid grey")
    func rgbFilters() throws {
        let path = temporaryFolder() + "/rgb-filters.png"
        // Two filters [2, 3, 1, 2]; filter 0: R = [2, −2], G = [0, 0], B = [−2, 2]; filter 1 all zero.
        let values: [Float] = [2, -2, 0, 0, -2, 2] + [Float](repeating: 0, count: 6)
        let layout = try Plot.filters(PlotArray(shape: [2, 3, 1, 2], values: values), zoom: 10, to: path)
        let png = try PNGFile(path)
        let tile = layout.tiles[0]
        expectColor(png.color(at: Point(x: tile.minX + 5, y: tile.midY)), Color(1, 0.5, 0), "filter 0, left weight")
        expectColor(png.color(at: Point(x: tile.minX + 15, y: tile.midY)), Color(0, 0.5, 1), "filter 0, right weight")
        expectColor(png.color(at: layout.tiles[1].center), Color(0.5, 0.5, 0.5), "an all-zero filter")
    }

    @Test("deeper filters get a row per filter and a tile per input channel, through the diverging map")
    func deepFilters() throws {
        let path = temporaryFolder() + "/deep-filters.png"
        // [3, 2, 1, 1]: three filters of two channels of one weight each.
        let values: [Float] = [0.5, -1, 4, 4, 0, 0]
        let layout = try Plot.filters(PlotArray(shape: [3, 2, 1, 1], values: values), zoom: 12, to: path)
        let png = try PNGFile(path)
        #expect(layout.columns == 2 && layout.rows == 3)
        let expected = [0.75, 0, 1, 1, 0.5, 0.5].map(Colormap.diverging.color(at:))
        for (i, tile) in layout.tiles.enumerated() {
            expectColor(png.color(at: tile.center), expected[i], "filter \(i / 2), channel \(i % 2)")
        }
    }

    @Test("weights that are not [K, C, R, S] throw")
    func wrongShape() {
        #expect(throws: PlotError.self) {
            try Plot.filters(PlotArray(shape: [4, 5, 5], values: .init(repeating: 0, count: 100)), to: temporaryFolder() + "/x.png")
        }
    }
}
