import CCairo
import Foundation
import FoveaPlot
import FoveaTestSupport
import Testing

/// A PNG file read back through Cairo (`cairo_image_surface_create_from_png`), for checking
/// sizes and pixel colours of the figures.
struct PNGFile {
    let width: Int
    let height: Int
    /// Native-endian `0xAARRGGBB` per pixel, row-major (Cairo's ARGB32, premultiplied).
    private let pixels: [UInt32]

    struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    init(_ path: String) throws {
        let surface = cairo_image_surface_create_from_png(path)
        defer { cairo_surface_destroy(surface) }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS, let data = cairo_image_surface_get_data(surface) else {
            throw ReadError(description: "cannot read \(path): \(String(cString: cairo_status_to_string(status)))")
        }
        let (width, height) = (Int(cairo_image_surface_get_width(surface)), Int(cairo_image_surface_get_height(surface)))
        let stride = Int(cairo_image_surface_get_stride(surface))
        let opaque = cairo_image_surface_get_format(surface) == CAIRO_FORMAT_RGB24
        var pixels: [UInt32] = []
        pixels.reserveCapacity(width * height)
        for y in 0..<height {
            let row = UnsafeRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
            for x in 0..<width { pixels.append(opaque ? row[x] | 0xFF00_0000 : row[x]) }
        }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The colour of pixel (`x`, `y`), un-premultiplied.
    func color(x: Int, y: Int) -> Color {
        precondition(x >= 0 && x < width && y >= 0 && y < height, "pixel (\(x), \(y)) outside \(width)×\(height)")
        let p = pixels[y * width + x]
        let alpha = Double(p >> 24) / 255
        guard alpha > 0 else { return Color(red: 0, green: 0, blue: 0, alpha: 0) }
        func channel(_ shift: UInt32) -> Double { Double((p >> shift) & 0xFF) / 255 / alpha }
        return Color(red: channel(16), green: channel(8), blue: channel(0), alpha: alpha)
    }

    /// The colour of the pixel that contains `point`.
    func color(at point: Point) -> Color {
        color(x: Int(point.x.rounded(.down)), y: Int(point.y.rounded(.down)))
    }
}

/// Whether two colours agree within `tolerance` per component (Cairo and PNG store 8 bits, and
/// Cairo's rounding may differ from `round(c × 255)` by one step).
func isClose(_ a: Color, _ b: Color, tolerance: Double = 2.5 / 255) -> Bool {
    abs(a.red - b.red) <= tolerance && abs(a.green - b.green) <= tolerance
        && abs(a.blue - b.blue) <= tolerance && abs(a.alpha - b.alpha) <= tolerance
}

/// Expects `actual` to be close to `expected`, naming both in the failure message.
func expectColor(
    _ actual: Color, _ expected: Color, _ what: String, tolerance: Double = 2.5 / 255,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(isClose(actual, expected, tolerance: tolerance),
            "\(what): got \(bytes(actual)), expected \(bytes(expected))", sourceLocation: sourceLocation)
}

/// "(R, G, B)" in 0...255, for messages.
func bytes(_ c: Color) -> String {
    "(\(Int((c.red * 255).rounded())), \(Int((c.green * 255).rounded())), \(Int((c.blue * 255).rounded())))"
}

/// A fresh folder (not yet created) for one test's files, removed when the test process exits.
func temporaryFolder() -> String {
    TemporaryFolders.path("plot")
}

/// The runs of consecutive pixels along row `y` (or column `x`) whose colour is close to `color`,
/// as (start, length): used to count separator lines and check that each is one pixel wide.
func runs(in png: PNGFile, row y: Int, of color: Color) -> [(start: Int, length: Int)] {
    runs((0..<png.width).map { isClose(png.color(x: $0, y: y), color) })
}

func runs(in png: PNGFile, column x: Int, of color: Color) -> [(start: Int, length: Int)] {
    runs((0..<png.height).map { isClose(png.color(x: x, y: $0), color) })
}

private func runs(_ flags: [Bool]) -> [(start: Int, length: Int)] {
    var result: [(start: Int, length: Int)] = []
    for (i, flag) in flags.enumerated() where flag {
        if let last = result.last, last.start + last.length == i {
            result[result.count - 1].length += 1
        } else {
            result.append((i, 1))
        }
    }
    return result
}
