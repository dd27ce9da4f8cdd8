import CCairo

/// What a path is filled with: one colour, or colours that blend along a line or outwards from a
/// point (Cairo's linear and radial gradients), for drawings that should look more like photos.
enum Paint {
    case solid(Color)
    /// `colors` evenly spaced from `start` to `end`; beyond the ends the end colours continue.
    case linear(from: Point, to: Point, colors: [Color])
    /// `colors` evenly spaced from `center` out to `radius`.
    case radial(center: Point, radius: Double, colors: [Color])
}

extension Canvas {
    /// Fills the path that `path` builds (with Cairo calls on the context it is given) with `paint`.
    ///
    /// Coordinates are those of the current transform, so a drawing made with `cairo_scale` in
    /// effect can use units such as fractions of the image.
    func fill(_ paint: Paint, path: (OpaquePointer) -> Void) {
        withSavedState {
            cairo_new_path(context)
            path(context)
            let pattern: OpaquePointer? = switch paint {
            case .solid: nil
            case let .linear(start, end, _): cairo_pattern_create_linear(start.x, start.y, end.x, end.y)
            case let .radial(center, radius, _): cairo_pattern_create_radial(center.x, center.y, 0, center.x, center.y, radius)
            }
            defer { if let pattern { cairo_pattern_destroy(pattern) } }
            switch paint {
            case let .solid(color):
                setColor(color)
            case let .linear(_, _, colors), let .radial(_, _, colors):
                for (i, color) in colors.enumerated() {
                    let offset = colors.count > 1 ? Double(i) / Double(colors.count - 1) : 0
                    cairo_pattern_add_color_stop_rgba(pattern, offset, color.red, color.green, color.blue, color.alpha)
                }
                cairo_set_source(context, pattern)
            }
            cairo_fill(context)
        }
    }
}
