import FoveaPlot
import Testing

@Suite("Plot.image")
struct ImagePlotTests {
    /// The pixel at the centre of input cell (`row`, `column`) of a zoomed image.
    func center(_ layout: ImageLayout, row: Int, column: Int, zoom: Int) -> Point {
        Point(x: layout.imageRect.minX + (Double(column) + 0.5) * Double(zoom),
              y: layout.imageRect.minY + (Double(row) + 0.5) * Double(zoom))
    }

    @Test("a 2×2 map shows the colormap's colours at the cell centres", arguments: [Colormap.viridis, .diverging, .grey])
    func twoByTwo(_ colormap: Colormap) throws {
        let path = temporaryFolder() + "/2x2.png"
        let zoom = 20
        let layout = try Plot.image(PlotArray(shape: [2, 2], values: [0, 1, 2, 3]), zoom: zoom, colormap: colormap,
                                    colorBar: false, to: path)
        let png = try PNGFile(path)
        #expect(png.width == layout.width && png.height == layout.height)
        #expect(layout.imageRect.width == 40 && layout.imageRect.height == 40)
        #expect(layout.colorBar == nil)
        for row in 0..<2 {
            for column in 0..<2 {
                let t = Double(2 * row + column) / 3   // min–max: 0 → 0, 3 → 1
                expectColor(png.color(at: center(layout, row: row, column: column, zoom: zoom)), colormap.color(at: t),
                            "\(colormap.name) cell (\(row), \(column))")
            }
        }
    }

    @Test("symmetric normalisation puts 0 at white in the diverging map")
    func symmetricZeroIsWhite() throws {
        let path = temporaryFolder() + "/signed.png"
        let layout = try Plot.image(PlotArray(shape: [1, 3], values: [-0.5, 0, 2]), zoom: 10,
                                    normalization: .symmetric, colormap: .diverging, to: path)
        let png = try PNGFile(path)
        #expect(layout.range == ValueRange(lower: -2, upper: 2))
        #expect(layout.colorBar != nil)
        expectColor(png.color(at: center(layout, row: 0, column: 1, zoom: 10)), .white, "value 0")
        expectColor(png.color(at: center(layout, row: 0, column: 2, zoom: 10)), Colormap.diverging.color(at: 1), "value 2 = +max")
    }

    @Test("three channels are drawn as RGB")
    func rgb() throws {
        let path = temporaryFolder() + "/rgb.png"
        // One pixel, planar [3, 1, 1]: red 1, green 0.5, blue 0.
        let layout = try Plot.image(PlotArray(shape: [3, 1, 1], values: [1, 0.5, 0]), zoom: 8, normalization: .none, to: path)
        let png = try PNGFile(path)
        #expect(layout.colorBar == nil)
        expectColor(png.color(at: center(layout, row: 0, column: 0, zoom: 8)), Color(1, 0.5, 0), "the pixel")
    }

    @Test("NaN values are drawn magenta and counted in the header")
    func nanValues() throws {
        let path = temporaryFolder() + "/nan.png"
        var values = [Float](repeating: 0.25, count: 16)
        for i in [1, 6, 11] { values[i] = .nan }
        values[15] = 1
        let layout = try Plot.image(PlotArray(shape: [4, 4], values: values), zoom: 10, to: path)
        let png = try PNGFile(path)
        #expect(layout.nonFinite == NonFiniteCount(nan: 3, infinite: 0))
        #expect(layout.notes == ["3 NaN values shown in magenta"])
        for i in [1, 6, 11] {
            expectColor(png.color(at: center(layout, row: i / 4, column: i % 4, zoom: 10)), Theme.standard.nanColor, "NaN at \(i)")
        }
        expectColor(png.color(at: center(layout, row: 0, column: 0, zoom: 10)), Colormap.viridis.color(at: 0), "the minimum")
    }

    @Test("an empty image throws, naming its shape")
    func emptyImage() {
        #expect(throws: PlotError.emptyInput(what: "image", shape: [0, 5])) {
            try Plot.image(PlotArray(shape: [0, 5], values: []), to: temporaryFolder() + "/empty.png")
        }
        #expect(PlotError.emptyInput(what: "image", shape: [0, 5]).description == "cannot plot an empty image: shape [0, 5] holds no values")
    }

    @Test("a shape that is not an image throws", arguments: [[2, 2, 2], [2, 1, 3, 3], [5]])
    func unsupportedShape(_ shape: [Int]) {
        let array = PlotArray(shape: shape, values: [Float](repeating: 0, count: shape.reduce(1, *)))
        #expect(throws: PlotError.self) { try Plot.image(array, to: temporaryFolder() + "/bad.png") }
    }
}
