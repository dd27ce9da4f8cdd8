import Fovea
import CCairo

// Reading a canvas back as numbers: the way from a Cairo drawing to an image a network can take.
extension Canvas {
    /// The canvas as a `[channels, height, width]` image with values in 0...1: red, green and blue
    /// planes for 3 channels, luminance (`Color.luminance`'s weights) for 1.
    ///
    ///     let canvas = try Canvas(width: 32, height: 32, background: .white)
    ///     canvas.circle(center: Point(x: 16, y: 16), radius: 10, fill: .black)
    ///     let image = canvas.pixels(channels: 1)     // [1, 32, 32], 0 inside the disc
    ///
    /// - Precondition: `channels` is 1 or 3.
    public func pixels(channels: Int = 3) -> PlotArray {
        var values = [Float](repeating: 0, count: channels * width * height)
        readPixels(channels: channels, into: &values, at: 0)
        return PlotArray(shape: [channels, height, width], values: values)
    }

    /// Writes the canvas's `channels × height × width` planar values into `values` from `offset`,
    /// so that a batch of images can be drawn on one canvas and gathered without copies.
    ///
    /// Cairo's ARGB32 pixels are native-endian `UInt32` `0xAARRGGBB` (the bytes B, G, R, A on
    /// little-endian machines) with the colour premultiplied by alpha, in rows
    /// `cairo_format_stride_for_width` bytes apart. Colour is divided by alpha again; a fully
    /// transparent pixel reads as black. Figures are opaque, so that division rarely matters.
    ///
    /// - Precondition: `channels` is 1 or 3 and `values` has room from `offset`.
    func readPixels(channels: Int, into values: inout [Float], at offset: Int) {
        require(channels == 1 || channels == 3, "Canvas.pixels: channels \(channels) must be 1 or 3")
        let plane = width * height
        require(offset >= 0 && offset + channels * plane <= values.count,
                "Canvas.pixels: \(channels * plane) values do not fit at \(offset) of \(values.count)")
        cairo_surface_flush(surface)
        guard let data = cairo_image_surface_get_data(surface) else { return }
        let stride = Int(cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, Int32(width)))
        values.withUnsafeMutableBufferPointer { out in
            for y in 0..<height {
                let row = UnsafeRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
                for x in 0..<width {
                    let (r, g, b) = Canvas.unpremultiplied(row[x])
                    let i = offset + y * width + x
                    if channels == 3 {
                        out[i] = r
                        out[i + plane] = g
                        out[i + 2 * plane] = b
                    } else {
                        out[i] = min(0.2126 * r + 0.7152 * g + 0.0722 * b, 1)   // the weights' sum may round above 1
                    }
                }
            }
        }
    }

    /// Red, green and blue in 0...1 of one premultiplied `0xAARRGGBB` pixel.
    private static func unpremultiplied(_ pixel: UInt32) -> (Float, Float, Float) {
        let alpha = Float(pixel >> 24)
        guard alpha > 0 else { return (0, 0, 0) }
        let scale = 1 / alpha   // alpha 255 gives byte / 255
        return (Float((pixel >> 16) & 0xFF) * scale, Float((pixel >> 8) & 0xFF) * scale, Float(pixel & 0xFF) * scale)
    }
}

extension Canvas {
    /// A canvas for drawing an image in memory, not a figure: there is no file to name in an error,
    /// so a canvas Cairo cannot create (out of memory) stops the program with Cairo's reason.
    ///
    /// - Precondition: `width > 0` and `height > 0`.
    static func offscreen(width: Int, height: Int, background: Color = .white) -> Canvas {
        do {
            return try Canvas(width: width, height: height, background: background)
        } catch {
            requirementFailed("\(error)")
        }
    }
}
