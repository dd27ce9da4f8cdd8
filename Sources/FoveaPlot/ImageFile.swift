import CCairo
import Fovea

/// Loading and saving images as tensors: PNG files through Cairo, values in [0, 1].
///
///     let photo = try ImageFile.read("cat.png")          // [3, H, W]
///     try ImageFile.write(photo * 0.5, to: "darker.png")
public enum ImageFile {
    /// Reads a PNG file as a Float32 tensor `[3, H, W]` (or `[1, H, W]` with `channels: 1`,
    /// the luminance), values in [0, 1].
    ///
    /// - Throws: `PlotError.cannotRead` naming the file when it is missing or not a PNG.
    public static func read(_ path: String, channels: Int = 3) throws -> Tensor {
        require(channels == 1 || channels == 3, "ImageFile.read: channels \(channels) must be 1 or 3")
        let surface = cairo_image_surface_create_from_png(path)
        defer { cairo_surface_destroy(surface) }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw PlotError.cannotRead(path: path, reason: String(cString: cairo_status_to_string(status)))
        }
        let (width, height) = (Int(cairo_image_surface_get_width(surface)), Int(cairo_image_surface_get_height(surface)))
        let canvas = try Canvas(width: width, height: height, background: Color(red: 0, green: 0, blue: 0))
        cairo_set_source_surface(canvas.context, surface, 0, 0)
        cairo_paint(canvas.context)
        return Tensor(canvas.pixels(channels: channels))
    }

    /// Writes a tensor `[3, H, W]`, `[1, H, W]` or `[H, W]` with values in [0, 1] (clamped) as an
    /// 8-bit PNG, creating missing folders.
    ///
    /// - Throws: `PlotError` naming the path when it cannot be written, or for an unsupported shape.
    public static func write(_ image: Tensor, to path: String) throws {
        let shape = image.rank == 2 ? [1] + image.shape : image.shape
        guard shape.count == 3, shape[0] == 1 || shape[0] == 3, shape[1] > 0, shape[2] > 0 else {
            throw PlotError.unsupportedShape(image.shape, expected: "[3, H, W], [1, H, W] or [H, W]")
        }
        let (channels, height, width) = (shape[0], shape[1], shape[2])
        let values = image.scalars
        let canvas = try Canvas(width: width, height: height)
        cairo_surface_flush(canvas.surface)
        let data = cairo_image_surface_get_data(canvas.surface)!
        let stride = Int(cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, Int32(width)))
        func byte(_ v: Float) -> UInt32 { UInt32((min(max(v.isNaN ? 0 : v, 0), 1) * 255).rounded()) }
        for y in 0..<height {
            let row = UnsafeMutableRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
            for x in 0..<width {
                let i = y * width + x
                let (r, g, b) = channels == 3
                    ? (byte(values[i]), byte(values[height * width + i]), byte(values[2 * height * width + i]))
                    : (byte(values[i]), byte(values[i]), byte(values[i]))
                row[x] = 0xFF00_0000 | r << 16 | g << 8 | b  // opaque ARGB32
            }
        }
        cairo_surface_mark_dirty(canvas.surface)
        try canvas.writePNG(to: path)
    }
}
