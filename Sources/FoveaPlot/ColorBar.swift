/// A vertical colour bar next to an image or a contour plot, with labels on its right.
///
/// - Continuous (`levels == nil`): the colormap from `range.lower` (bottom) to `range.upper` (top),
///   labelled at nice round numbers inside the range.
/// - Banded (`levels` given, as for filled contours): `levels.count + 1` bands of equal height,
///   band `k` (between `levels[k − 1]` and `levels[k]`) in `bandColor(k)`, with the level values
///   written at the boundaries, so that unevenly spaced (logarithmic) levels stay readable.
public struct ColorBar: Sendable {
    public var colormap: Colormap
    public var range: ValueRange
    public var levels: [Double]?
    public var theme: Theme

    /// Width of the coloured strip, and the gap between strip and labels.
    public static let stripWidth = 16.0
    static let labelGap = 7.0

    public init(colormap: Colormap, range: ValueRange, levels: [Double]? = nil, theme: Theme = .standard) {
        self.colormap = colormap
        self.range = range
        self.levels = levels
        self.theme = theme
    }

    /// The labels and their heights along the strip (0 at the bottom, 1 at the top).
    var marks: [(fraction: Double, label: String)] {
        if let levels {
            let every = max(1, Int((Double(levels.count) / 8).rounded(.up)))
            return levels.indices.filter { $0 % every == 0 }.map {
                (Double($0 + 1) / Double(levels.count + 1), NiceNumbers.shortString(levels[$0]))
            }
        }
        return Axis.linear(from: range.lower, to: range.upper, targetTicks: 6, extendToTicks: false).ticks.map {
            (range.fraction(of: $0.value), $0.label)
        }
    }

    /// The whole width: strip, gap and the widest label.
    public var width: Double {
        ColorBar.stripWidth + ColorBar.labelGap + Canvas.widest(marks.map(\.label), font: theme.tickFont)
    }

    /// The colour of band `k` (0 below the first level … `levels.count` above the last): the
    /// colormap at the band's middle, `(k + 0.5) / (levels.count + 1)`.
    public func bandColor(_ k: Int) -> Color {
        colormap.color(at: (Double(k) + 0.5) / Double((levels?.count ?? 0) + 1))
    }

    /// Draws the strip in `strip` (on whole pixels), a thin frame around it, and the labels.
    public func draw(on canvas: Canvas, strip: Rect) {
        let rows = Int(strip.height)
        for r in 0..<rows {
            let t = 1 - (Double(r) + 0.5) / Double(rows)   // height of this pixel row's centre
            let color = levels.map { bandColor(min(Int(t * Double($0.count + 1)), $0.count)) }
                ?? colormap.color(at: t)
            canvas.fill(Rect(x: strip.minX, y: strip.minY + Double(r), width: strip.width, height: 1), color)
        }
        canvas.stroke(strip.insetBy(-1), theme.axisLine)
        for mark in marks {
            let y = strip.maxY - mark.fraction * strip.height
            canvas.line(from: Point(x: strip.maxX, y: y), to: Point(x: strip.maxX + 4, y: y), color: theme.axisLine)
            canvas.text(mark.label, at: Point(x: strip.maxX + ColorBar.labelGap, y: y), font: theme.tickFont,
                        color: theme.mutedText, vertical: .middle)
        }
    }
}
