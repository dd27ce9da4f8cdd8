import FoveaPlot
import Testing

@Suite("BuiltinImage and SyntheticShapes")
struct BuiltinImagesTests {
    /// The colour of pixel (x, y) of a `[3, H, W]` array.
    func color(_ image: PlotArray, x: Int, y: Int) -> Color {
        let (h, w) = (image.shape[1], image.shape[2])
        let i = y * w + x
        return Color(Double(image.values[i]), Double(image.values[i + h * w]), Double(image.values[i + 2 * h * w]))
    }

    @Test("every picture has the asked shape and values in 0...1", arguments: BuiltinImage.allCases)
    func shapesAndRange(picture: BuiltinImage) {
        for (size, channels) in [(64, 3), (32, 1), (17, 3)] {
            let image = picture.render(size: size, channels: channels)
            #expect(image.shape == [channels, size, size])
            #expect(image.values.allSatisfy { $0 >= 0 && $0 <= 1 }, "\(picture) \(size) × \(channels)")
            #expect(image.values.max()! - image.values.min()! > 0.3, "\(picture) has contrast")
        }
        #expect(picture.render() == picture.render(), "the same size gives the same values")
    }

    @Test("one channel is the luminance of the three")
    func luminance() {
        let rgb = BuiltinImage.scene.render(size: 24)
        let grey = BuiltinImage.scene.render(size: 24, channels: 1)
        let plane = 24 * 24
        for i in stride(from: 0, to: plane, by: 7) {
            let expected = 0.2126 * rgb.values[i] + 0.7152 * rgb.values[i + plane] + 0.0722 * rgb.values[i + 2 * plane]
            #expect(abs(grey.values[i] - expected) < 1e-5)
        }
    }

    @Test("the shapes sit where they are drawn, in their colours")
    func shapesPicture() {
        let image = BuiltinImage.shapes.render(size: 64)
        typealias P = BuiltinImage.ShapesPicture
        for (name, place) in [("circle", P.circle), ("square", P.square), ("triangle", P.triangle)] {
            // The centre pixel is far from any anti-aliased edge.
            let (x, y) = (Int(place.center.x * 64), Int(place.center.y * 64))
            expectColor(color(image, x: x, y: y), place.color, "\(name) centre (\(x), \(y))")
        }
        expectColor(color(image, x: 1, y: 62), P.background, "bottom-left corner")
    }

    @Test("the checkerboard has 8 × 8 squares, white at the top-left")
    func checkerboard() {
        let image = BuiltinImage.checkerboard.render(size: 64, channels: 1)
        for row in 0..<8 {
            for column in 0..<8 {
                let value = image.values[(row * 8 + 4) * 64 + column * 8 + 4]
                #expect(value == ((row + column) % 2 == 0 ? 1 : 0), "square (\(row), \(column))")
            }
        }
    }

    @Test("the letter is not symmetric left to right, and is dark on light")
    func letterAsymmetric() {
        let size = 32
        let image = BuiltinImage.letter.render(size: size, channels: 1)
        var difference: Float = 0
        for y in 0..<size {
            for x in 0..<size {
                difference += abs(image.values[y * size + x] - image.values[y * size + size - 1 - x])
            }
        }
        #expect(difference / Float(size * size) > 0.1, "mean |image − mirror| = \(difference / Float(size * size))")
        #expect(image.values[0] > 0.8 && image.values.min()! < 0.2)
    }

    @Test("Canvas.pixels reads colours back in R, G, B order")
    func canvasPixels() throws {
        let canvas = try Canvas(width: 3, height: 2, background: Color(hex: 0x336699))
        let image = canvas.pixels()
        #expect(image.shape == [3, 2, 3])
        expectColor(color(image, x: 2, y: 1), Color(hex: 0x336699), "pixel (2, 1)", tolerance: 0.5 / 255)
    }

    @Test("SyntheticShapes: shape, range, balanced labels, no constant image")
    func syntheticShapes() {
        let (images, labels) = SyntheticShapes.make(count: 102, size: 24, seed: 3)
        #expect(images.shape == [102, 3, 24, 24])
        #expect(images.values.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(labels.count == 102 && labels.allSatisfy { (0..<4).contains($0) })
        #expect((0..<4).map { c in labels.filter { $0 == c }.count } == [26, 26, 25, 25])
        #expect(labels != (0..<102).map { $0 % 4 }, "the classes are shuffled")
        let length = 3 * 24 * 24
        for n in 0..<102 {
            let values = images.values[(n * length)..<((n + 1) * length)]
            #expect(values.max()! - values.min()! > 0.3, "image \(n) has a visible shape")
        }
    }

    @Test("SyntheticShapes: the same seed gives the same data, another seed other data")
    func syntheticSeeds() {
        let first = SyntheticShapes.make(count: 20, size: 16, seed: 42)
        let again = SyntheticShapes.make(count: 20, size: 16, seed: 42)
        let other = SyntheticShapes.make(count: 20, size: 16, seed: 43)
        #expect(first.images == again.images && first.labels == again.labels)
        #expect(first.images != other.images)
        #expect(SyntheticShapes.make(count: 0, seed: 1).images.shape == [0, 3, 32, 32])
    }
}
