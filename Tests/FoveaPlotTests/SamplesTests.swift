import FoveaPlot
import Testing

@Suite("Plot.samples")
struct SamplesTests {
    let images = PlotArray(shape: [3, 1, 4, 4], values: (0..<48).map { Float($0 % 16) })

    @Test("wrong predictions get a red frame, right ones none")
    func wrongPredictionsFramed() throws {
        let path = temporaryFolder() + "/samples.png"
        let layout = try Plot.samples(images, labels: ["cat", "dog", "ship"], predictions: ["cat", "cat", "ship"], zoom: 8, to: path)
        let png = try PNGFile(path)
        #expect(layout.tiles.count == 3 && layout.columns == 3)
        for (i, wrong) in [false, true, false].enumerated() {
            let tile = layout.tiles[i]
            let frame = png.color(at: Point(x: tile.minX - 2.5, y: tile.midY))   // the frame covers 3 to 2 pixels out
            expectColor(frame, wrong ? Theme.standard.wrong : Theme.standard.background, "beside image \(i)")
        }
        // Grey images go through the grey map: the first value (0) is black.
        expectColor(png.color(at: Point(x: layout.tiles[0].minX + 2, y: layout.tiles[0].minY + 2)), .black, "pixel (0, 0)")
    }

    @Test("labels and predictions must have one entry per image")
    func counts() {
        #expect(throws: PlotError.countMismatch(what: "labels (one per image)", expected: 3, actual: 2)) {
            try Plot.samples(images, labels: ["a", "b"], to: temporaryFolder() + "/x.png")
        }
        #expect(throws: PlotError.countMismatch(what: "predictions (one per image)", expected: 3, actual: 1)) {
            try Plot.samples(images, labels: ["a", "b", "c"], predictions: ["a"], to: temporaryFolder() + "/x.png")
        }
        #expect(throws: PlotError.self) {
            try Plot.samples(PlotArray(shape: [0, 1, 4, 4], values: []), labels: [], to: temporaryFolder() + "/x.png")
        }
    }
}
