import FoveaPlot
import Testing

@Suite("Plot.contour")
struct ContourTests {
    @Test("marching squares: the level 0.25 of z = x is the vertical line x = 0.25")
    func planeIsoLine() {
        let grid = ContourGrid(x: 0...1, y: 0...1, columns: 3, rows: 3) { x, _ in x }
        let segments = MarchingSquares.segments(grid, level: 0.25)
        #expect(segments.count == 2)
        #expect(segments.allSatisfy { abs($0.0.x - 0.25) < 1e-12 && abs($0.1.x - 0.25) < 1e-12 })
    }

    @Test("marching squares: a saddle cell gives two segments")
    func saddle() {
        let grid = ContourGrid(x: 0...1, y: 0...1, values: [[1, 0], [0, 1]])
        #expect(MarchingSquares.segments(grid, level: 0.5).count == 2)
    }

    @Test("bilinear interpolation between samples")
    func interpolation() {
        let grid = ContourGrid(x: 0...2, y: 0...2, values: [[0, 2], [2, 4]])
        #expect(grid.value(x: 1, y: 1) == 2)
        #expect(grid.value(x: 2, y: 0) == 2)
        #expect(grid.value(x: 0.5, y: 0) == 0.5)
    }

    @Test("levels are round numbers; log levels go by 1, 2, 5")
    func levels() {
        #expect(ContourLevels.choose([0, 1], count: 4, logarithmic: false) == [0.2, 0.4, 0.6000000000000001, 0.8])
        #expect(ContourLevels.choose([0.003, 40], count: 12, logarithmic: true) == [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20])
    }

    @Test("each pixel has the colour of its band; NaN is magenta and counted; paths are drawn")
    func figure() throws {
        let path = temporaryFolder() + "/contour.png"
        let f = { (x: Double, y: Double) in x < 0.1 ? .nan : x }
        let layout = try Plot.contour(f, x: 0...1, y: 0...1, levels: 4,
                                      trajectories: [Trajectory("path", x: [0.5, 0.9], y: [0.8, 0.8])], to: path)
        let png = try PNGFile(path)
        let levels = ContourLevels.choose(ContourGrid(x: 0...1, y: 0...1, columns: 101, rows: 101, f).values.joined().filter(\.isFinite),
                                          count: 4, logarithmic: false)
        let bands = ColorBar(colormap: Colormap.viridis.lightened(by: Plot.contourBandLightening), range: ValueRange(lower: 0.1, upper: 1), levels: levels)
        for x in [0.15, 0.5, 0.95] {
            let band = levels.filter { $0 <= x }.count
            expectColor(png.color(at: layout.point(x: x, y: 0.3)), bands.bandColor(band), "band at x = \(x)")
        }
        expectColor(png.color(at: layout.point(x: 0.05, y: 0.3)), Theme.standard.nanColor, "NaN region")
        #expect(layout.notes.count == 1 && layout.notes[0].contains("NaN"))
        expectColor(png.color(at: layout.point(x: 0.7, y: 0.8)), Theme.standard.seriesColor(0), "the trajectory")
    }
}
