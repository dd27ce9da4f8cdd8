import CCairo

/// Where a text's anchor point sits horizontally: at its left end, its middle or its right end.
public enum HorizontalAlignment: Sendable {
    case left, center, right
}

/// Where a text's anchor point sits vertically.
public enum VerticalAlignment: Sendable {
    /// The top of the font's ascent.
    case top
    /// Halfway between ascent and descent: centres digits and capitals on the anchor.
    case middle
    /// The baseline the letters sit on.
    case baseline
    /// The bottom of the font's descent.
    case bottom
}

/// The measured size of a line of text in one font.
public struct TextSize: Sendable, Equatable {
    /// The advance width: how far the pen moves.
    public var width: Double
    /// The font's ascent above the baseline, and descent below it (both positive).
    public var ascent: Double
    public var descent: Double
    /// Ascent plus descent: the height of one line without extra spacing.
    public var height: Double { ascent + descent }
}

// Text through Cairo's toy text API (`cairo_select_font_face`, `cairo_show_text`): enough for
// labels in one font, with no shaping or line breaking.
extension Canvas {
    /// Draws one line of `string` with its anchor at `point`.
    ///
    /// `angle` rotates the text around the anchor, in radians, clockwise on screen
    /// (`-Double.pi / 2` reads bottom to top, for a y-axis label).
    public func text(
        _ string: String, at point: Point, font: Font, color: Color,
        align: HorizontalAlignment = .left, vertical: VerticalAlignment = .baseline, angle: Double = 0
    ) {
        withSavedState {
            Canvas.apply(font, to: context)
            let size = Canvas.measure(string, in: context)
            let dx: Double = switch align {
            case .left: 0
            case .center: -size.width / 2
            case .right: -size.width
            }
            let dy: Double = switch vertical {
            case .top: size.ascent
            case .middle: (size.ascent - size.descent) / 2
            case .baseline: 0
            case .bottom: -size.descent
            }
            cairo_translate(context, point.x, point.y)
            cairo_rotate(context, angle)
            cairo_move_to(context, dx, dy)
            setColor(color)
            cairo_show_text(context, string)
        }
    }

    /// The size of `string` in `font`, measured on a scratch surface, so that layouts can be
    /// computed before the canvas exists.
    public static func measure(_ string: String, font: Font) -> TextSize {
        let scratch = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1)
        let context = cairo_create(scratch)
        defer {
            cairo_destroy(context)
            cairo_surface_destroy(scratch)
        }
        apply(font, to: context!)
        return measure(string, in: context!)
    }

    /// The widest of `strings` in `font` (0 when there are none).
    public static func widest(_ strings: [String], font: Font) -> Double {
        strings.map { measure($0, font: font).width }.max() ?? 0
    }

    private static func apply(_ font: Font, to context: OpaquePointer) {
        cairo_select_font_face(
            context, font.family, CAIRO_FONT_SLANT_NORMAL,
            font.isBold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL
        )
        cairo_set_font_size(context, font.size)
    }

    private static func measure(_ string: String, in context: OpaquePointer) -> TextSize {
        var text = cairo_text_extents_t()
        var font = cairo_font_extents_t()
        cairo_text_extents(context, string, &text)
        cairo_font_extents(context, &font)
        return TextSize(width: text.x_advance, ascent: font.ascent, descent: font.descent)
    }
}
