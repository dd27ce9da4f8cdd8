import Fovea

/// A colour scale: evenly spaced colour stops, linearly interpolated.
///
/// For `t` in 0...1 with `n` stops, `u = t · (n − 1)`, `i = ⌊u⌋`, and the colour is
/// `stops[i] + (u − i) · (stops[i + 1] − stops[i])`. Pick the scale by the meaning of the values:
/// - `viridis` for magnitudes (activations, probabilities, losses);
/// - `diverging` (blue–white–red) for signed values centred on 0 (weights, gradients), with
///   `Normalization.symmetric` so that 0 is white;
/// - `grey` for photographs with one channel;
/// - `blues` (white to dark blue) for counts, where darker means more.
public struct Colormap: Sendable, Equatable {
    public var name: String
    public var stops: [Color]

    /// - Precondition: at least two stops.
    public init(name: String, stops: [Color]) {
        require(stops.count >= 2, "Colormap \(name): needs at least 2 colour stops, got \(stops.count)")
        self.name = name
        self.stops = stops
    }

    /// The colour at `t`, clamped to 0...1 (NaN gives the lowest colour; callers draw NaN themselves).
    public func color(at t: Double) -> Color {
        let clamped = t.isNaN ? 0 : min(max(t, 0), 1)
        let u = clamped * Double(stops.count - 1)
        let i = min(Int(u), stops.count - 2)
        return stops[i].mixed(with: stops[i + 1], amount: u - Double(i))
    }

    /// The same scale mixed towards white by `amount` (0 = unchanged, 1 = white): softer colours
    /// for backgrounds that other marks are drawn over.
    public func lightened(by amount: Double) -> Colormap {
        Colormap(name: "\(name), lightened", stops: stops.map { $0.mixed(with: .white, amount: amount) })
    }

    /// Blue for negative, white for 0, red for positive: ColorBrewer's RdBu, reversed, with a
    /// pure white centre.
    public static let diverging = Colormap(name: "diverging", stops: [
        0x053061, 0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xFFFFFF,
        0xFDDBC7, 0xF4A582, 0xD6604D, 0xB2182B, 0x67001F,
    ].map { Color(hex: $0) })

    /// Black to white.
    public static let grey = Colormap(name: "grey", stops: [.black, .white])

    /// White to dark blue (ColorBrewer's Blues): for counts, darker is more.
    public static let blues = Colormap(name: "blues", stops: [
        0xF7FBFF, 0xDEEBF7, 0xC6DBEF, 0x9ECAE1, 0x6BAED6, 0x4292C6, 0x2171B5, 0x08519C, 0x08306B,
    ].map { Color(hex: $0) })
}
