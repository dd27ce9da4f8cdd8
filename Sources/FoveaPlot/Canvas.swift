import Fovea
import CCairo

/// A drawing surface: a Cairo ARGB32 image surface and its context, with the few shapes,
/// text and image calls that FoveaPlot's figures are made of.
///
///     let canvas = try Canvas(width: 200, height: 100)
///     canvas.fill(Rect(x: 10, y: 10, width: 50, height: 30), Color(hex: 0x4E79A7))
///     canvas.text("hello", at: Point(x: 100, y: 50), font: Font(size: 14), color: .black,
///                 align: .center, vertical: .middle)
///     try canvas.writePNG(to: "out/hello.png")
///
/// Coordinates are pixels with the origin at the top-left. A 1-pixel line covers one row or column
/// of pixels only when it runs along a half-pixel coordinate (`y = j + 0.5` for row `j`); the
/// hairline calls below do that for you. Every call saves and restores the Cairo state, so calls
/// do not leak colours, clips or transforms into each other.
public final class Canvas {
    public let width: Int
    public let height: Int
    let surface: OpaquePointer
    let context: OpaquePointer

    /// A canvas filled with `background`.
    ///
    /// - Precondition: `width > 0` and `height > 0`.
    public init(width: Int, height: Int, background: Color = Theme.standard.background) throws {
        require(width > 0 && height > 0, "Canvas: size \(width)×\(height) must be positive")
        let surface: OpaquePointer = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            throw PlotError.cannotCreateCanvas(width: width, height: height, reason: String(cString: cairo_status_to_string(status)))
        }
        self.width = width
        self.height = height
        self.surface = surface
        context = cairo_create(surface)
        fill(Rect(x: 0, y: 0, width: Double(width), height: Double(height)), background)
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    /// Runs `body` between `cairo_save` and `cairo_restore`.
    func withSavedState<T>(_ body: () throws -> T) rethrows -> T {
        cairo_save(context)
        defer { cairo_restore(context) }
        return try body()
    }

    func setColor(_ color: Color) {
        cairo_set_source_rgba(context, color.red, color.green, color.blue, color.alpha)
    }

    /// Draws only inside `rect` while `body` runs.
    public func clipped(to rect: Rect, _ body: () throws -> Void) rethrows {
        try withSavedState {
            cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
            cairo_clip(context)
            try body()
        }
    }
}
