import Foundation
import FoveaPlot
import Testing

@Suite("Canvas")
struct CanvasTests {
    @Test("a hairline covers exactly one row or column of pixels")
    func crispHairlines() throws {
        let path = temporaryFolder() + "/hairlines.png"
        let canvas = try Canvas(width: 20, height: 12)
        let ink = Color(hex: 0x336699)
        canvas.horizontalHairline(y: 5, from: 0, to: 20, color: ink)
        canvas.verticalHairline(x: 14, from: 0, to: 12, color: ink)
        try canvas.writePNG(to: path)

        let png = try PNGFile(path)
        #expect(png.width == 20 && png.height == 12)
        expectColor(png.color(x: 3, y: 5), ink, "on the horizontal line", tolerance: 1.5 / 255)
        expectColor(png.color(x: 3, y: 4), .white, "above it", tolerance: 1.5 / 255)
        expectColor(png.color(x: 3, y: 6), .white, "below it", tolerance: 1.5 / 255)
        expectColor(png.color(x: 14, y: 2), ink, "on the vertical line", tolerance: 1.5 / 255)
        expectColor(png.color(x: 13, y: 2), .white, "left of it", tolerance: 1.5 / 255)
        expectColor(png.color(x: 15, y: 2), .white, "right of it", tolerance: 1.5 / 255)
    }

    @Test("a zoomed image keeps sharp square pixels (nearest neighbour)")
    func nearestNeighbourZoom() throws {
        let path = temporaryFolder() + "/zoom.png"
        var image = PixelImage(width: 3, height: 1, fill: .black)
        image[1, 0] = .white
        image[2, 0] = Color(hex: 0xFF0000)
        let canvas = try Canvas(width: 30, height: 10, background: Color(hex: 0x00FF00))
        canvas.draw(image, at: Point(x: 0, y: 0), zoom: 10)
        try canvas.writePNG(to: path)

        let png = try PNGFile(path)
        for (x, expected) in [(0, Color.black), (9, .black), (10, .white), (19, .white), (20, Color(hex: 0xFF0000)), (29, Color(hex: 0xFF0000))] {
            expectColor(png.color(x: x, y: 5), expected, "column \(x)", tolerance: 0.5 / 255)
        }
    }

    @Test("text is measured: longer strings are wider, bigger fonts are taller")
    func measuring() {
        let small = Canvas.measure("loss", font: Font(size: 12))
        #expect(small.width > 0 && small.height > 0)
        #expect(Canvas.measure("training loss", font: Font(size: 12)).width > small.width)
        #expect(Canvas.measure("loss", font: Font(size: 24)).height > small.height)
    }

    @Test("a missing folder is created, several levels deep")
    func createsFolders() throws {
        let folder = temporaryFolder()
        let path = folder + "/a/b/c/figure.png"
        #expect(!FileManager.default.fileExists(atPath: folder))
        try Canvas(width: 4, height: 4).writePNG(to: path)
        let png = try PNGFile(path)
        #expect(png.width == 4 && png.height == 4)
    }

    @Test("a path that cannot be written throws an error naming it", arguments: [
        "/proc/fovea-plot-test/figure.png",   // a folder that cannot be created
        "/proc/figure.png",                   // a folder where no file can be created
    ])
    func unwritablePath(_ path: String) throws {
        let canvas = try Canvas(width: 4, height: 4)
        let error = #expect(throws: PlotError.self) { try canvas.writePNG(to: path) }
        #expect(error.map { "\($0)".contains(path) } == true, "\(String(describing: error)) should name \(path)")
    }

    @Test("a path whose parent is a file throws an error naming the path")
    func parentIsAFile() throws {
        let folder = temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = folder + "/notes.txt"
        try Data("not a folder".utf8).write(to: URL(fileURLWithPath: file))
        let path = file + "/figure.png"
        let error = #expect(throws: PlotError.self) { try Canvas(width: 4, height: 4).writePNG(to: path) }
        #expect(error.map { "\($0)".contains(path) } == true, "\(String(describing: error)) should name \(path)")
    }
}
