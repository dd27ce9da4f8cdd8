/// A font of Cairo's toy text API: a family name, a size in pixels and a weight.
public struct Font: Sendable, Equatable {
    public var family: String
    public var size: Double
    public var isBold: Bool

    public init(size: Double, bold: Bool = false, family: String = "DejaVu Sans") {
        self.family = family
        self.size = size
        self.isBold = bold
    }
}

/// The look shared by every figure: fonts, colours and margins.
///
/// Sizes are chosen to stay legible when a PNG is shown scaled down in a README: tick labels and
/// captions 12 px, axis labels 14 px, titles 16 px bold. Colours: a white background, light grid
/// lines, and the Tableau 10 palette as the colour cycle for series.
public struct Theme: Sendable {
    public var titleFont = Font(size: 16, bold: true)
    public var subtitleFont = Font(size: 13)
    public var labelFont = Font(size: 14)
    public var tickFont = Font(size: 12)
    public var captionFont = Font(size: 12)
    public var noteFont = Font(size: 12)

    public var background = Color.white
    public var text = Color(hex: 0x1F2328)
    public var mutedText = Color(hex: 0x57606A)
    public var gridLine = Color(hex: 0xE3E6EA)
    public var minorGridLine = Color(hex: 0xF2F3F5)
    public var axisLine = Color(hex: 0x8C959F)
    /// The 1-pixel lines between the tiles of a grid.
    public var separator = Color(hex: 0x9AA1A9)
    /// Where NaN values are drawn; see `Color.magenta`.
    public var nanColor = Color.magenta
    /// Notes about values that could not be drawn as numbers (a dark magenta, readable on white).
    public var noteText = Color(hex: 0xA3009E)
    /// Captions and frames of wrong predictions.
    public var wrong = Color(hex: 0xD62728)
    /// The colour cycle for series and trajectories (Tableau 10).
    public var seriesColors: [Color] = [
        0x4E79A7, 0xF28E2B, 0xE15759, 0x59A14F, 0xB07AA1,
        0x76B7B2, 0xEDC948, 0xFF9DA7, 0x9C755F, 0xBAB0AC,
    ].map { Color(hex: $0) }
    /// Space between the figure's content and the edge of the canvas.
    public var margin = 16.0

    public init() {}

    /// The house style.
    public static let standard = Theme()

    /// The `index`-th colour of the cycle, wrapping around.
    public func seriesColor(_ index: Int) -> Color {
        seriesColors[index % seriesColors.count]
    }
}
