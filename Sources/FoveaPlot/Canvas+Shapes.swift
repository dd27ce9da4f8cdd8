import CCairo

// Rectangles, lines, polygons and circles.
extension Canvas {
    /// Fills `rect` with `color`.
    public func fill(_ rect: Rect, _ color: Color) {
        withSavedState {
            setColor(color)
            cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
            cairo_fill(context)
        }
    }

    /// Strokes a border of `lineWidth` pixels just inside `rect`.
    ///
    /// The path runs `lineWidth / 2` inside the edges, so for a rectangle on whole pixels and a
    /// whole line width the border covers exactly the outermost `lineWidth` rings of pixels: crisp.
    public func stroke(_ rect: Rect, _ color: Color, lineWidth: Double = 1) {
        let path = rect.insetBy(lineWidth / 2)
        withSavedState {
            setColor(color)
            cairo_set_line_width(context, lineWidth)
            cairo_set_line_join(context, CAIRO_LINE_JOIN_MITER)
            cairo_rectangle(context, path.x, path.y, path.width, path.height)
            cairo_stroke(context)
        }
    }

    /// A 1-pixel horizontal line covering pixel row `y` from `x0` to `x1`, drawn along `y + 0.5`.
    public func horizontalHairline(y: Int, from x0: Double, to x1: Double, color: Color) {
        strokeLines([[Point(x: x0, y: Double(y) + 0.5), Point(x: x1, y: Double(y) + 0.5)]],
                    color: color, width: 1, cap: CAIRO_LINE_CAP_BUTT)
    }

    /// A 1-pixel vertical line covering pixel column `x` from `y0` to `y1`, drawn along `x + 0.5`.
    public func verticalHairline(x: Int, from y0: Double, to y1: Double, color: Color) {
        strokeLines([[Point(x: Double(x) + 0.5, y: y0), Point(x: Double(x) + 0.5, y: y1)]],
                    color: color, width: 1, cap: CAIRO_LINE_CAP_BUTT)
    }

    /// A straight line; `dash` lists on/off lengths in pixels (empty for a solid line).
    public func line(from start: Point, to end: Point, color: Color, width: Double = 1, dash: [Double] = []) {
        strokeLines([[start, end]], color: color, width: width, dash: dash, cap: CAIRO_LINE_CAP_BUTT)
    }

    /// A polyline through `points` with round joins and caps (the look of a data series).
    public func polyline(_ points: [Point], color: Color, width: Double = 2, dash: [Double] = []) {
        strokeLines([points], color: color, width: width, dash: dash, cap: CAIRO_LINE_CAP_ROUND)
    }

    /// Several polylines stroked as one path: where they overlap, a translucent colour is not
    /// darkened twice (Cairo rasterises the whole path into one coverage mask).
    public func polylines(_ paths: [[Point]], color: Color, width: Double = 1) {
        strokeLines(paths, color: color, width: width, cap: CAIRO_LINE_CAP_ROUND)
    }

    /// Fills the polygon through `points`.
    public func fillPolygon(_ points: [Point], _ color: Color) {
        guard let first = points.first else { return }
        withSavedState {
            setColor(color)
            cairo_move_to(context, first.x, first.y)
            for p in points.dropFirst() { cairo_line_to(context, p.x, p.y) }
            cairo_close_path(context)
            cairo_fill(context)
        }
    }

    /// A circle, filled and/or stroked.
    public func circle(center: Point, radius: Double, fill: Color?, stroke: Color? = nil, lineWidth: Double = 1) {
        withSavedState {
            cairo_new_path(context)
            cairo_arc(context, center.x, center.y, radius, 0, 2 * Double.pi)
            if let fill {
                setColor(fill)
                cairo_fill_preserve(context)
            }
            if let stroke {
                setColor(stroke)
                cairo_set_line_width(context, lineWidth)
                cairo_stroke_preserve(context)
            }
            cairo_new_path(context)
        }
    }

    private func strokeLines(
        _ paths: [[Point]], color: Color, width: Double, dash: [Double] = [], cap: cairo_line_cap_t
    ) {
        withSavedState {
            setColor(color)
            cairo_set_line_width(context, width)
            cairo_set_line_cap(context, cap)
            cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
            dash.withUnsafeBufferPointer { cairo_set_dash(context, $0.baseAddress, Int32($0.count), 0) }
            cairo_new_path(context)
            for path in paths {
                guard let first = path.first else { continue }
                cairo_move_to(context, first.x, first.y)
                for p in path.dropFirst() { cairo_line_to(context, p.x, p.y) }
            }
            cairo_stroke(context)
        }
    }
}
