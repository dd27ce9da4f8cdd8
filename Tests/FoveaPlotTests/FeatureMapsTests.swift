import FoveaPlot
import Testing

@Suite("Plot.featureMaps")
struct FeatureMapsTests {
    /// `count` maps of 6 × 6, all 0.5, drawn with a fixed range so that every tile has one colour.
    func plainMaps(_ count: Int) -> PlotArray {
        PlotArray(shape: [count, 6, 6], values: [Float](repeating: 0.5, count: count * 36))
    }

    @Test("a grid of N tiles has one 1-pixel separator between neighbours and around the outside",
          arguments: [(10, 4), (9, 3), (5, 5), (1, 1)])
    func separators(_ count: Int, _ columns: Int) throws {
        let path = temporaryFolder() + "/grid.png"
        let layout = try Plot.featureMaps(plainMaps(count), columns: columns, zoom: 4, normalization: .fixed(0, 1), to: path)
        let png = try PNGFile(path)
        let separator = Theme.standard.separator
        let rows = (count + columns - 1) / columns
        #expect(layout.rows == rows && layout.columns == columns && layout.tiles.count == count)

        // Across the first row of tiles: columns + 1 lines (or fewer cells when there is one row).
        let firstRow = runs(in: png, row: Int(layout.tiles[0].midY), of: separator)
        #expect(firstRow.count == min(count, columns) + 1, "first row: \(firstRow)")
        #expect(firstRow.allSatisfy { $0.length == 1 }, "separators must be 1 pixel wide: \(firstRow)")
        // Across the last, possibly partial, row.
        let lastRow = runs(in: png, row: Int(layout.tiles[count - 1].midY), of: separator)
        #expect(lastRow.count == (count - (rows - 1) * columns) + 1, "last row: \(lastRow)")
        // Down the first column: rows + 1 lines.
        let firstColumn = runs(in: png, column: Int(layout.tiles[0].midX), of: separator)
        #expect(firstColumn.count == rows + 1, "first column: \(firstColumn)")
        #expect(firstColumn.allSatisfy { $0.length == 1 })
        // Inside a tile: the colormap's colour for 0.5.
        expectColor(png.color(at: layout.tiles[count - 1].center), Colormap.viridis.color(at: 0.5), "a tile")
    }

    @Test("each map is normalised on its own under min–max")
    func perMapNormalisation() throws {
        let path = temporaryFolder() + "/maps.png"
        // Map 0 holds 0…1, map 1 holds 0…100: both reach the top colour at their maximum.
        let values: [Float] = [0, 1, 0, 100]
        let layout = try Plot.featureMaps(PlotArray(shape: [2, 1, 2], values: values), zoom: 10, to: path)
        let png = try PNGFile(path)
        for tile in layout.tiles {
            expectColor(png.color(at: Point(x: tile.minX + 15, y: tile.midY)), Colormap.viridis.color(at: 1), "right half of a map")
        }
        #expect(layout.nonFinite.isZero && layout.notes.isEmpty)
    }

    @Test("NaN in a map is magenta and counted")
    func nanInMaps() throws {
        let path = temporaryFolder() + "/maps-nan.png"
        var values = [Float](repeating: 1, count: 8)
        values[5] = .nan
        let layout = try Plot.featureMaps(PlotArray(shape: [2, 2, 2], values: values), zoom: 10, to: path)
        let png = try PNGFile(path)
        let tile = layout.tiles[1]   // values[5] is map 1, row 0, column 1
        expectColor(png.color(at: Point(x: tile.minX + 15, y: tile.minY + 5)), Theme.standard.nanColor, "the NaN value")
        #expect(layout.notes == ["1 NaN value shown in magenta"])
    }

    @Test("captions must match the channel count, and empty maps throw")
    func errors() {
        #expect(throws: PlotError.countMismatch(what: "feature-map captions (one per channel)", expected: 3, actual: 2)) {
            try Plot.featureMaps(plainMaps(3), captions: ["a", "b"], to: temporaryFolder() + "/x.png")
        }
        #expect(throws: PlotError.self) {
            try Plot.featureMaps(PlotArray(shape: [0, 4, 4], values: []), to: temporaryFolder() + "/x.png")
        }
    }
}
