import CCairo

extension BuiltinImage {
    /// A landscape that looks a little like a photo: a sky fading towards the horizon, a sun with a
    /// glow, a hazy far hill, a near hill, and a house with a roof, a door and a window. The
    /// gradients are smooth areas, the house gives sharp edges and corners next to them.
    static func drawScene(on canvas: Canvas) {
        let vertical = { (top: Double, bottom: Double, colors: [UInt32]) in
            Paint.linear(from: Point(x: 0, y: top), to: Point(x: 0, y: bottom), colors: colors.map { Color(hex: $0) })
        }
        // Sky and sun.
        canvas.fill(vertical(0, 0.62, [0x3F73BA, 0x9CC8EC, 0xEFE8D0])) { cairo_rectangle($0, 0, 0, 1, 1) }
        let sun = Point(x: 0.76, y: 0.21)
        canvas.fill(.radial(center: sun, radius: 0.2, colors: [Color(hex: 0xFFF4C2, alpha: 0.85), Color(hex: 0xFFF4C2, alpha: 0)])) {
            cairo_rectangle($0, 0, 0, 1, 1)
        }
        canvas.fill(.radial(center: sun, radius: 0.08, colors: [Color(hex: 0xFFF8D6), Color(hex: 0xFFD03F)])) {
            cairo_arc($0, sun.x, sun.y, 0.08, 0, 2 * Double.pi)
        }

        // Hills: the far one hazy and blue-green, the near one brighter.
        canvas.fill(vertical(0.4, 0.8, [0x86B39A, 0x4D8468])) { context in
            cairo_move_to(context, 0, 0.6)
            cairo_curve_to(context, 0.2, 0.5, 0.45, 0.38, 0.68, 0.44)
            cairo_curve_to(context, 0.82, 0.48, 0.92, 0.53, 1, 0.5)
            cairo_line_to(context, 1, 1)
            cairo_line_to(context, 0, 1)
            cairo_close_path(context)
        }
        canvas.fill(vertical(0.6, 1, [0x9BCB62, 0x3D7A2C])) { context in
            cairo_move_to(context, 0, 0.66)
            cairo_curve_to(context, 0.15, 0.6, 0.4, 0.59, 0.56, 0.68)
            cairo_curve_to(context, 0.7, 0.76, 0.86, 0.79, 1, 0.74)
            cairo_line_to(context, 1, 1)
            cairo_line_to(context, 0, 1)
            cairo_close_path(context)
        }

        // The house on the near hill: chimney, walls shaded from left to right, roof, door, window.
        canvas.fill(.solid(Color(hex: 0x7E3A2F))) { cairo_rectangle($0, 0.345, 0.44, 0.04, 0.09) }
        canvas.fill(.linear(from: Point(x: 0.16, y: 0), to: Point(x: 0.4, y: 0),
                            colors: [Color(hex: 0xF4E6CB), Color(hex: 0xD6BD94)])) {
            cairo_rectangle($0, 0.16, 0.555, 0.24, 0.165)
        }
        canvas.fill(vertical(0.42, 0.57, [0xC8553F, 0x8E3328])) { context in
            cairo_move_to(context, 0.13, 0.565)
            cairo_line_to(context, 0.28, 0.42)
            cairo_line_to(context, 0.43, 0.565)
            cairo_close_path(context)
        }
        canvas.fill(.solid(Color(hex: 0x6B4226))) { cairo_rectangle($0, 0.305, 0.6, 0.06, 0.12) }
        canvas.fill(.solid(Color(hex: 0x4A3A2A))) { cairo_rectangle($0, 0.195, 0.595, 0.08, 0.07) }
        canvas.fill(vertical(0.605, 0.655, [0xCFE8F7, 0x7FB2DA])) { cairo_rectangle($0, 0.205, 0.605, 0.06, 0.05) }
    }
}
