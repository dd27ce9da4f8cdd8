import Fovea
import CCairo
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small labelled data set made on the spot: one circle, square, triangle or cross per image,
/// for training a first convolutional network in seconds without downloading anything.
///
///     let (images, labels) = SyntheticShapes.make(count: 2000, seed: 1)   // images [2000, 3, 32, 32]
///     let names = labels.map { SyntheticShapes.classNames[$0] }
///
/// Each image has a background of a random colour, light or dark, with a soft gradient, and one
/// shape of its class in a contrasting colour, at a random place, about 30–70 % of the image wide,
/// turned by a random angle (but for the circle). A little noise goes over the whole image, as in a
/// photo. The classes take turns and are then shuffled, so every class has `count / 4` images
/// (the first `count % 4` classes one more). The same seed always gives the same images, on any
/// machine: the random numbers come from a generator written here, not from the system.
public struct SyntheticShapes {
    /// The names of the labels 0, 1, 2 and 3.
    public static let classNames = ["circle", "square", "triangle", "cross"]

    /// `count` images of `size × size` pixels and their labels (indices into `classNames`).
    ///
    /// - Returns: `images` as `[count, 3, size, size]` with values in 0...1, and `count` labels.
    /// - Precondition: `count ≥ 0`, `size ≥ 8`.
    public static func make(count: Int, size: Int = 32, seed: UInt64) -> (images: PlotArray, labels: [Int]) {
        require(count >= 0, "SyntheticShapes.make: count \(count) must not be negative")
        require(size >= 8, "SyntheticShapes.make: size \(size) must be at least 8")
        var random = ShapeRandom(seed: seed)
        var labels = (0..<count).map { $0 % classNames.count }
        for i in stride(from: count - 1, to: 0, by: -1) {   // Fisher–Yates
            labels.swapAt(i, random.index(below: i + 1))
        }

        let plane = size * size
        var values = [Float](repeating: 0, count: count * 3 * plane)
        let canvas = Canvas.offscreen(width: size, height: size)   // one surface, drawn over for each image
        for (n, label) in labels.enumerated() {
            let sample = Sample(shape: ShapeOutline(rawValue: label)!, random: &random)
            canvas.withSavedState {
                cairo_scale(canvas.context, Double(size), Double(size))
                sample.draw(on: canvas)
            }
            let offset = n * 3 * plane
            canvas.readPixels(channels: 3, into: &values, at: offset)
            for i in offset..<(offset + 3 * plane) {
                values[i] = min(max(values[i] + sample.noise * Float(random.uniform(-1...1)), 0), 1)
            }
        }
        return (PlotArray(shape: [count, 3, size, size], values: values), labels)
    }
}

/// The random choices behind one image, in units of the image.
private struct Sample {
    var shape: ShapeOutline
    var background: (Color, Color)
    var gradientAngle: Double
    var foreground: Color
    var center: Point
    var radius: Double
    var rotation: Double
    /// The largest change noise makes to a value.
    var noise: Float

    init(shape: ShapeOutline, random: inout ShapeRandom) {
        self.shape = shape
        // Background: light or dark, not very saturated, with a soft gradient across it.
        let light = random.uniform(0...1) < 0.5
        let base = Color(hue: random.uniform(0...1), saturation: random.uniform(0.05...0.45),
                         value: light ? random.uniform(0.72...0.95) : random.uniform(0.08...0.32))
        background = (base, base.mixed(with: light ? .black : .white, amount: random.uniform(0.05...0.2)))
        gradientAngle = random.uniform(0...(2 * Double.pi))
        // Shape: a saturated colour whose luminance stands at least 0.3 away from the background's
        // (a few tries, then black or white).
        let ground = (background.0.luminance + background.1.luminance) / 2
        var colour = light ? Color.black : .white
        for _ in 0..<8 {
            let candidate = Color(hue: random.uniform(0...1), saturation: random.uniform(0.5...1),
                                  value: light ? random.uniform(0.2...0.65) : random.uniform(0.75...1))
            if abs(candidate.luminance - ground) >= 0.3 {
                colour = candidate
                break
            }
        }
        foreground = colour
        // Size and place: 30–70 % of the image across, wholly inside it.
        radius = random.uniform(0.15...0.35)
        let margin = shape.reach * radius + 0.02
        center = Point(x: random.uniform(margin...(1 - margin)), y: random.uniform(margin...(1 - margin)))
        let symmetry: Double = switch shape {
        case .circle: 0
        case .square, .cross: Double.pi / 2
        case .triangle: 2 * Double.pi / 3
        }
        rotation = random.uniform(0...1) * symmetry
        noise = Float(random.uniform(0...0.05))
    }

    func draw(on canvas: Canvas) {
        let (dx, dy) = (0.5 * cos(gradientAngle), 0.5 * sin(gradientAngle))
        canvas.fill(.linear(from: Point(x: 0.5 - dx, y: 0.5 - dy), to: Point(x: 0.5 + dx, y: 0.5 + dy),
                            colors: [background.0, background.1])) { cairo_rectangle($0, 0, 0, 1, 1) }
        canvas.fill(.solid(foreground)) { shape.addPath(to: $0, center: center, radius: radius, rotation: rotation) }
    }
}

/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny generator with a fixed algorithm, so that a
/// seed gives the same data set everywhere. Named apart from the engine's own `SplitMix64`.
private struct ShapeRandom {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in `range` (53 random bits).
    mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * Double(next() >> 11) / Double(1 << 53)
    }

    /// A uniform integer in `0..<n` (the bias of the remainder is below 2⁻⁵⁰ for the counts used here).
    mutating func index(below n: Int) -> Int {
        Int(next() % UInt64(n))
    }
}
