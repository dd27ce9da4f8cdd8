/// An sRGB colour with components in 0...1.
///
/// Cairo takes colours as doubles and stores them as 8-bit premultiplied ARGB; `PixelImage`
/// stores 8-bit RGB. Both round `c × 255` to the nearest integer (Cairo may differ by one step).
public struct Color: Sendable, Equatable, Hashable {
    public var red: Double
    public var green: Double
    public var blue: Double
    public var alpha: Double

    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    /// An opaque colour from its three components, for tables such as viridis.
    public init(_ red: Double, _ green: Double, _ blue: Double) {
        self.init(red: red, green: green, blue: blue)
    }

    /// A colour from a 24-bit `0xRRGGBB` literal, as written in CSS: `Color(hex: 0x4E79A7)`.
    public init(hex: UInt32, alpha: Double = 1) {
        self.init(
            red: Double((hex >> 16) & 0xFF) / 255,
            green: Double((hex >> 8) & 0xFF) / 255,
            blue: Double(hex & 0xFF) / 255,
            alpha: alpha
        )
    }

    /// The same colour with another opacity.
    public func withAlpha(_ alpha: Double) -> Color {
        Color(red: red, green: green, blue: blue, alpha: alpha)
    }

    /// Linear interpolation towards `other`: `self + t · (other − self)`, component by component.
    public func mixed(with other: Color, amount t: Double) -> Color {
        Color(
            red: red + t * (other.red - red),
            green: green + t * (other.green - green),
            blue: blue + t * (other.blue - blue),
            alpha: alpha + t * (other.alpha - alpha)
        )
    }

    /// Approximate lightness, `0.2126 R + 0.7152 G + 0.0722 B` (Rec. 709 weights on the sRGB
    /// values): 0 for black, 1 for white. Used to pick dark or light text over a filled cell.
    public var luminance: Double {
        0.2126 * red + 0.7152 * green + 0.0722 * blue
    }

    /// The 8-bit value of one component, `round(c × 255)` after clamping to 0...1.
    static func byte(_ component: Double) -> UInt8 {
        UInt8((min(max(component, 0), 1) * 255).rounded())
    }

    public static let white = Color(1, 1, 1)
    public static let black = Color(0, 0, 0)
    /// Pure magenta, the colour of NaN values: no colormap here contains it.
    public static let magenta = Color(1, 0, 1)
}
