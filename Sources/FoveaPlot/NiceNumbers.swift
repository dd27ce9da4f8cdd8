import Fovea
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Round tick steps: 1, 2 or 5 × 10^k ("nice numbers", after Heckbert, Graphics Gems, 1990).
///
/// An axis from 0.3 to 2.3 with about 6 ticks needs a step of at least (2.3 − 0.3) / 5 = 0.4; the
/// next nice number is 0.5, so the ticks are 0, 0.5, 1, 1.5, 2, 2.5.
public enum NiceNumbers {
    /// The smallest of 1, 2, 5 × 10^k that is at least `rough`.
    ///
    /// - Precondition: `rough` is positive and finite.
    public static func step(atLeast rough: Double) -> Double {
        require(rough > 0 && rough.isFinite, "NiceNumbers.step: \(rough) must be positive and finite")
        let base = pow(10, floor(log10(rough)))
        for multiple in [1.0, 2, 5] where multiple * base >= rough * (1 - 1e-9) {
            return multiple * base
        }
        return 10 * base
    }

    /// The 1, 2 or 5 × 10^k closest to `rough` (Heckbert's rounding: a leading factor below 1.5
    /// becomes 1, below 3 becomes 2, below 7 becomes 5, else 10), for when about `n` steps are
    /// wanted rather than at most `n`, as for contour levels.
    ///
    /// - Precondition: `rough` is positive and finite.
    public static func step(near rough: Double) -> Double {
        require(rough > 0 && rough.isFinite, "NiceNumbers.step: \(rough) must be positive and finite")
        let base = pow(10, floor(log10(rough)))
        let factor = rough / base
        return base * (factor < 1.5 ? 1 : factor < 3 ? 2 : factor < 7 ? 5 : 10)
    }

    /// The multiples of `step` in `lower...upper` (with a little slack for rounding errors),
    /// computed as `k · step` so that errors do not accumulate.
    public static func multiples(of step: Double, from lower: Double, to upper: Double) -> [Double] {
        let first = (lower / step - 1e-9).rounded(.up)
        let last = (upper / step + 1e-9).rounded(.down)
        guard first <= last else { return [] }
        return stride(from: first, through: last, by: 1).map { $0 * step }
    }

    /// The label of a tick at `value` on an axis whose ticks are `step` apart: as many decimals as
    /// the step needs (step 0.5 → "1.5", step 0.02 → "0.04"), and scientific notation for
    /// very large or very small numbers ("2e-5").
    public static func label(_ value: Double, step: Double) -> String {
        let v = abs(value) < step * 1e-6 ? 0 : value
        let exponent = Int(floor(log10(step) + 1e-9))
        if v != 0 && (max(abs(v), step) >= 1e6 || step < 1e-4) {
            let valueExponent = Int(floor(log10(abs(v))))
            return NumberFormat.scientific(v, decimals: min(3, max(0, valueExponent - exponent)))
        }
        return NumberFormat.fixed(v, decimals: max(0, -exponent))
    }

    /// Up to 4 significant digits, for numbers that are not on a tick grid.
    public static func shortString(_ value: Double) -> String {
        NumberFormat.short(value)
    }
}
