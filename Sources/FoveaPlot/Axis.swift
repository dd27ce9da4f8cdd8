import Fovea
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A labelled position on an axis.
public struct Tick: Sendable, Equatable {
    public var value: Double
    public var label: String

    public init(value: Double, label: String) {
        self.value = value
        self.label = label
    }
}

/// One axis of a chart: the interval of data values it shows, how values map onto it, and its ticks.
///
/// `fraction(of:)` gives 0 at `lower` and 1 at `upper`; `ChartLayout` turns that into pixels.
/// `lower` may be above `upper` to run an axis backwards (categories listed top to bottom).
public struct Axis: Sendable, Equatable {
    public enum Scale: Sendable, Equatable {
        /// `t = (v − lower) / (upper − lower)`.
        case linear
        /// `t = (log₁₀ v − log₁₀ lower) / (log₁₀ upper − log₁₀ lower)`; values must be positive.
        case logarithmic
        /// Category `i` sits at value `i`; like `.linear`, but without grid lines.
        case categorical
    }

    public var lower: Double
    public var upper: Double
    public var scale: Scale
    /// Labelled ticks, with grid lines.
    public var ticks: [Tick]
    /// Unlabelled ticks with fainter grid lines (2×…9× on a log axis).
    public var minorTicks: [Double]

    public init(lower: Double, upper: Double, scale: Scale, ticks: [Tick], minorTicks: [Double] = []) {
        self.lower = lower
        self.upper = upper
        self.scale = scale
        self.ticks = ticks
        self.minorTicks = minorTicks
    }

    /// Where `value` falls along the axis: 0 at `lower`, 1 at `upper`, not clamped.
    public func fraction(of value: Double) -> Double {
        switch scale {
        case .logarithmic: (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
        case .linear, .categorical: (value - lower) / (upper - lower)
        }
    }

    /// A linear axis over the data interval `lower...upper` with about `targetTicks` ticks a nice
    /// step apart (see `NiceNumbers`).
    ///
    /// - Parameters:
    ///   - extendToTicks: widen the interval to the ticks just outside the data (0.3…2.3 becomes
    ///     0…2.5), so that the axis starts and ends on a labelled round number.
    ///   - integerTicks: use a step of at least 1 (for counts).
    /// An empty interval `c...c` is widened by 10% of `|c|` (or by 1 when c = 0) on each side.
    public static func linear(
        from lower: Double, to upper: Double, targetTicks: Int = 6,
        extendToTicks: Bool = true, integerTicks: Bool = false
    ) -> Axis {
        var (lo, hi) = (min(lower, upper), max(lower, upper))
        if !lo.isFinite || !hi.isFinite { (lo, hi) = (0, 1) }
        if lo == hi {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            (lo, hi) = (lo - pad, hi + pad)
        }
        var step = NiceNumbers.step(atLeast: (hi - lo) / Double(max(targetTicks - 1, 1)))
        if integerTicks { step = max(step, 1) }
        if extendToTicks {
            // The slack snaps values a rounding error away from a multiple onto it (not past it).
            lo = (lo / step + 1e-9).rounded(.down) * step
            hi = (hi / step - 1e-9).rounded(.up) * step
        }
        let ticks = NiceNumbers.multiples(of: step, from: lo, to: hi).map {
            Tick(value: $0, label: NiceNumbers.label($0, step: step))
        }
        return Axis(lower: lo, upper: hi, scale: .linear, ticks: ticks)
    }

    /// A log-10 axis over the data interval `lower...upper`, padded by 4% of its decades on each
    /// side. Ticks at powers of ten, plus 2× and 5× when fewer than three powers fall inside;
    /// the other multiples become minor ticks.
    ///
    /// - Precondition: `0 < lower ≤ upper`, both finite.
    public static func logarithmic(from lower: Double, to upper: Double) -> Axis {
        require(lower > 0 && upper >= lower && upper.isFinite,
                "Axis.logarithmic: needs 0 < lower ≤ upper, got \(lower)...\(upper)")
        var (a, b) = (log10(lower), log10(upper))
        if a == b { (a, b) = (a - 0.5, b + 0.5) }
        let pad = 0.04 * (b - a)
        let (lo, hi) = (pow(10, a - pad), pow(10, b + pad))
        let inside = { (v: Double) in v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9) }

        let decades = Int(floor(log10(lo)))...Int(ceil(log10(hi)))
        var major = decades.map { pow(10, Double($0)) }.filter(inside)
        var minor = decades.flatMap { k in (2...9).map { Double($0) * pow(10, Double(k)) } }.filter(inside)
        if major.count < 3 {
            major = (major + minor.filter { value in
                let m = (value / pow(10, floor(log10(value) + 1e-9))).rounded()
                return m == 2 || m == 5
            }).sorted()
            minor.removeAll { major.contains($0) }
        }
        if major.count > 8 {
            let keep = Set(major.enumerated().filter { $0.offset % 2 == 0 }.map(\.element))
            minor += major.filter { !keep.contains($0) }
            major = major.filter { keep.contains($0) }
        }
        let ticks = major.map { Tick(value: $0, label: NiceNumbers.shortString($0)) }
        return Axis(lower: lo, upper: hi, scale: .logarithmic, ticks: ticks, minorTicks: minor)
    }

    /// An axis of named categories, category `i` at value `i`, each in a band of width 1.
    /// `topToBottom` runs it backwards, so that on a vertical axis the first name is at the top.
    public static func categories(_ names: [String], topToBottom: Bool = false) -> Axis {
        let n = Double(names.count)
        let ticks = names.enumerated().map { Tick(value: Double($0.offset), label: $0.element) }
        return topToBottom
            ? Axis(lower: n - 0.5, upper: -0.5, scale: .categorical, ticks: ticks)
            : Axis(lower: -0.5, upper: n - 0.5, scale: .categorical, ticks: ticks)
    }
}
