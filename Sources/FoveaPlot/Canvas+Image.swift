import Fovea
import CCairo

extension Canvas {
    /// Paints `image` with its top-left corner at `origin`, each pixel as a `zoom × zoom` square.
    ///
    /// The pixels go into a Cairo ARGB32 surface (opaque, so premultiplying changes nothing): one
    /// native-endian `UInt32` `0xAARRGGBB` per pixel, which is the bytes B, G, R, A on little-endian
    /// machines, with rows `cairo_format_stride_for_width` bytes apart (not always `4 × width`).
    /// That surface is the source pattern, scaled with `CAIRO_FILTER_NEAREST` so that zoomed pixels
    /// stay sharp squares instead of blurring.
    ///
    /// - Precondition: `zoom ≥ 1`.
    public func draw(_ image: PixelImage, at origin: Point, zoom: Int = 1) {
        require(zoom >= 1, "Canvas.draw: zoom \(zoom) must be at least 1")
        let source = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(image.width), Int32(image.height))
        defer { cairo_surface_destroy(source) }
        guard cairo_surface_status(source) == CAIRO_STATUS_SUCCESS,
              let data = cairo_image_surface_get_data(source) else { return }
        let stride = Int(cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, Int32(image.width)))
        cairo_surface_flush(source)
        image.rgb.withUnsafeBufferPointer { rgb in
            for y in 0..<image.height {
                let row = UnsafeMutableRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
                for x in 0..<image.width {
                    let i = (y * image.width + x) * 3
                    row[x] = 0xFF00_0000 | UInt32(rgb[i]) << 16 | UInt32(rgb[i + 1]) << 8 | UInt32(rgb[i + 2])
                }
            }
        }
        cairo_surface_mark_dirty(source)

        withSavedState {
            cairo_translate(context, origin.x, origin.y)
            cairo_scale(context, Double(zoom), Double(zoom))
            cairo_set_source_surface(context, source, 0, 0)
            cairo_pattern_set_filter(cairo_get_source(context), CAIRO_FILTER_NEAREST)
            cairo_rectangle(context, 0, 0, Double(image.width), Double(image.height))
            cairo_fill(context)
        }
    }
}
