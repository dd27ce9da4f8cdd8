import Fovea

/// An 8-bit RGB image in memory, row-major, 3 bytes per pixel; `Canvas.draw(_:at:zoom:)` paints it.
public struct PixelImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// Row-major `R, G, B` bytes.
    public private(set) var rgb: [UInt8]

    /// - Precondition: `width > 0` and `height > 0`.
    public init(width: Int, height: Int, fill: Color = .black) {
        require(width > 0 && height > 0, "PixelImage: size \(width)×\(height) must be positive")
        self.width = width
        self.height = height
        rgb = [UInt8](repeating: 0, count: width * height * 3)
        if fill != .black {
            for y in 0..<height { for x in 0..<width { self[x, y] = fill } }
        }
    }

    /// The pixel in column `x`, row `y` (alpha is ignored when setting).
    public subscript(x: Int, y: Int) -> Color {
        get {
            let i = (y * width + x) * 3
            return Color(Double(rgb[i]) / 255, Double(rgb[i + 1]) / 255, Double(rgb[i + 2]) / 255)
        }
        set {
            let i = (y * width + x) * 3
            rgb[i] = Color.byte(newValue.red)
            rgb[i + 1] = Color.byte(newValue.green)
            rgb[i + 2] = Color.byte(newValue.blue)
        }
    }
}

extension PixelImage {
    /// One channel of `height × width` values through a colormap: `colormap(range.fraction(of: v))`,
    /// NaN in `nanColor`.
    init(
        plane values: ArraySlice<Float>, width: Int, height: Int,
        range: ValueRange, colormap: Colormap, nanColor: Color
    ) {
        self.init(width: width, height: height)
        var index = values.startIndex
        for y in 0..<height {
            for x in 0..<width {
                let v = values[index]
                self[x, y] = v.isNaN ? nanColor : colormap.color(at: range.fraction(of: Double(v)))
                index += 1
            }
        }
    }

    /// Three channels (`[3, H, W]`, planar) as red, green and blue, each `range.fraction(of: v)`;
    /// a pixel with NaN in any channel is `nanColor`.
    init(rgbPlanes values: ArraySlice<Float>, width: Int, height: Int, range: ValueRange, nanColor: Color) {
        self.init(width: width, height: height)
        let plane = width * height
        let start = values.startIndex
        for y in 0..<height {
            for x in 0..<width {
                let i = start + y * width + x
                let (r, g, b) = (values[i], values[i + plane], values[i + 2 * plane])
                self[x, y] = r.isNaN || g.isNaN || b.isNaN
                    ? nanColor
                    : Color(
                        range.fraction(of: Double(r)),
                        range.fraction(of: Double(g)),
                        range.fraction(of: Double(b))
                    )
            }
        }
    }

    /// An image of `ImageStack` layout (1 or 3 channels): one channel through `colormap`, three as RGB.
    init(image values: ArraySlice<Float>, channels: Int, width: Int, height: Int,
         range: ValueRange, colormap: Colormap, nanColor: Color) {
        if channels == 3 {
            self.init(rgbPlanes: values, width: width, height: height, range: range, nanColor: nanColor)
        } else {
            self.init(plane: values, width: width, height: height, range: range, colormap: colormap, nanColor: nanColor)
        }
    }
}
