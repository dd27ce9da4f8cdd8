import CCairo

// The plain built-in pictures, drawn in units of the image ((0, 0) top-left, (1, 1) bottom-right).
extension BuiltinImage {
    /// The colours and places of `shapes`, for tests that look for them in the pixels.
    package enum ShapesPicture {
        package static let background = Color(hex: 0xF3F1EC)
        package static let circle = (center: Point(x: 0.29, y: 0.3), radius: 0.19, color: Color(hex: 0xE15759))
        // The square's sides and the triangle's base lie on whole pixels at size 64, so they are crisp there.
        package static let square = (center: Point(x: 46.0 / 64, y: 21.0 / 64), radius: 10.0 / 64 / ShapeOutline.squareHalfSide,
                             color: Color(hex: 0x4E79A7))
        package static let triangle = (center: Point(x: 0.5, y: 0.755), radius: 0.2, color: Color(hex: 0x59A14F))
    }

    /// A red circle, a blue square and a green triangle on a light background.
    package static func drawShapes(on canvas: Canvas) {
        typealias P = ShapesPicture
        canvas.fill(.solid(P.background)) { cairo_rectangle($0, 0, 0, 1, 1) }
        for (shape, place) in [(ShapeOutline.circle, P.circle), (.square, P.square), (.triangle, P.triangle)] {
            canvas.fill(.solid(place.color)) { shape.addPath(to: $0, center: place.center, radius: place.radius) }
        }
    }

    /// Four patches of stripes: vertical (top-left), horizontal (top-right), rising diagonal
    /// (bottom-left) and falling diagonal (bottom-right), each with its own period.
    package static func drawStripes(on canvas: Canvas) {
        let (light, dark) = (Color(hex: 0xF2EEE4), Color(hex: 0x22304A))
        canvas.fill(.solid(light)) { cairo_rectangle($0, 0, 0, 1, 1) }
        // (angle of the stripes' normal, period) per quadrant; periods are whole pixels at size 64.
        let patches: [(angle: Double, period: Double)] = [
            (0, 8.0 / 64), (Double.pi / 2, 12.0 / 64), (Double.pi / 4, 6.0 / 64), (3 * Double.pi / 4, 10.0 / 64),
        ]
        for (k, patch) in patches.enumerated() {
            let origin = Point(x: Double(k % 2) / 2, y: Double(k / 2) / 2)
            canvas.clipped(to: Rect(x: origin.x, y: origin.y, width: 0.5, height: 0.5)) {
                canvas.fill(.solid(dark)) { context in
                    cairo_translate(context, origin.x + 0.25, origin.y + 0.25)
                    cairo_rotate(context, patch.angle)
                    // Dark bands half a period wide, across the whole patch (whose corners are within 0.36).
                    var x = -patch.period * 4
                    while x > -0.4 { x -= patch.period }
                    while x < 0.4 {
                        cairo_rectangle(context, x, -0.4, patch.period / 2, 0.8)
                        x += patch.period
                    }
                }
            }
        }
    }

    /// A bold "F" in DejaVu Sans, dark on light, its ink centred and about 72 % of the image high.
    package static func drawLetter(on canvas: Canvas) {
        let (light, dark) = (Color(hex: 0xF4F1EA), Color(hex: 0x1F2A44))
        canvas.fill(.solid(light)) { cairo_rectangle($0, 0, 0, 1, 1) }
        canvas.fill(.solid(dark)) { context in
            cairo_select_font_face(context, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD)
            // Measured on the outline itself: text extents come from hinted metrics and can be a
            // fraction of a pixel off the ink.
            func outline(size: Double, at origin: Point) -> (x0: Double, y0: Double, x1: Double, y1: Double) {
                cairo_new_path(context)
                cairo_set_font_size(context, size)
                cairo_move_to(context, origin.x, origin.y)
                cairo_text_path(context, "F")
                var box = (x0: 0.0, y0: 0.0, x1: 0.0, y1: 0.0)
                cairo_path_extents(context, &box.x0, &box.y0, &box.x1, &box.y1)
                return box
            }
            // Whole pixels for the ink's height and its top-left corner, so that the stem's left
            // edge and the top bar's upper edge are crisp at every size.
            var pixels = (1.0, 0.0)
            cairo_user_to_device_distance(context, &pixels.0, &pixels.1)
            let snap = { (u: Double) in (u * pixels.0).rounded() / pixels.0 }
            let unit = outline(size: 1, at: Point(x: 0, y: 0))
            guard unit.y1 > unit.y0 else { return }   // no font at all: leave the background
            let size = snap(0.72) / (unit.y1 - unit.y0)
            let ink = outline(size: size, at: Point(x: 0, y: 0))
            let (left, top) = (snap(0.5 - (ink.x1 - ink.x0) / 2), snap(0.5 - (ink.y1 - ink.y0) / 2))
            _ = outline(size: size, at: Point(x: left - ink.x0, y: top - ink.y0))
        }
    }

    /// 8 × 8 squares, white in the top-left corner, black beside it.
    package static func drawCheckerboard(on canvas: Canvas) {
        canvas.fill(.solid(.white)) { cairo_rectangle($0, 0, 0, 1, 1) }
        canvas.fill(.solid(.black)) { context in
            for row in 0..<8 {
                for column in 0..<8 where (row + column) % 2 == 1 {
                    cairo_rectangle(context, Double(column) / 8, Double(row) / 8, 1.0 / 8, 1.0 / 8)
                }
            }
        }
    }
}
