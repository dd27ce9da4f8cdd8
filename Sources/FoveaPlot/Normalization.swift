import Fovea

/// The interval of values that a colormap spreads over, lowest colour at `lower`.
public struct ValueRange: Sendable, Equatable {
    public var lower: Double
    public var upper: Double

    /// - Precondition: `lower < upper`.
    public init(lower: Double, upper: Double) {
        require(lower < upper, "ValueRange: lower \(lower) must be below upper \(upper)")
        self.lower = lower
        self.upper = upper
    }

    /// Where `value` falls, clamped to 0...1: `t = (v − lower) / (upper − lower)`.
    /// ±∞ clamp to the ends; NaN has no place and gives NaN.
    public func fraction(of value: Double) -> Double {
        min(max((value - lower) / (upper - lower), 0), 1)
    }
}

/// How the values of an image are mapped onto the colour scale 0...1.
public enum Normalization: Sendable, Equatable {
    /// From the smallest to the largest value of each image: shows the most detail.
    case minMax
    /// `[−m, m]` with `m = max |v|`, so that 0 sits in the middle (white in `Colormap.diverging`):
    /// for weights and gradients, whose sign matters.
    case symmetric
    /// A fixed interval, the same for every image, so that images can be compared.
    case fixed(Double, Double)
    /// Values are already in 0...1 (such as pixels of a photo).
    case none

    /// The interval mapped onto 0...1 for these values; NaN and ±∞ are ignored.
    ///
    /// A range that would be empty is widened: constant values `c` under `.minMax` give `[c, c + 1]`
    /// (so they take the lowest colour, as a dead feature map should), all-zero values under
    /// `.symmetric` give `[−1, 1]` (white), and no finite values at all give `[0, 1]`.
    ///
    /// - Precondition: for `.fixed(lo, hi)`, `lo < hi`.
    public func range<S: Sequence>(of values: S) -> ValueRange where S.Element: BinaryFloatingPoint {
        switch self {
        case let .fixed(lower, upper):
            require(lower < upper, "Normalization.fixed(\(lower), \(upper)): the lower end must be below the upper end")
            return ValueRange(lower: lower, upper: upper)
        case .none:
            return ValueRange(lower: 0, upper: 1)
        case .minMax, .symmetric:
            var lo = Double.infinity
            var hi = -Double.infinity
            for v in values where v.isFinite {
                lo = min(lo, Double(v))
                hi = max(hi, Double(v))
            }
            guard lo <= hi else { return ValueRange(lower: 0, upper: 1) }
            if self == .symmetric {
                let m = max(abs(lo), abs(hi))
                return m > 0 ? ValueRange(lower: -m, upper: m) : ValueRange(lower: -1, upper: 1)
            }
            return lo < hi ? ValueRange(lower: lo, upper: hi) : ValueRange(lower: lo, upper: lo + 1)
        }
    }

    /// A few words for subtitles: "min–max per map", "symmetric: 0 = centre", …
    var summary: String {
        switch self {
        case .minMax: "min–max"
        case .symmetric: "symmetric around 0"
        case let .fixed(lo, hi): "fixed range \(NumberFormat.interval(ValueRange(lower: lo, upper: hi)))"
        case .none: "values as 0…1"
        }
    }
}
