import Fovea
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Number-to-text conversions for labels, without Foundation: fixed decimals, scientific
/// notation, and thousands separators. Negative numbers use the typographic minus "−".
package enum NumberFormat {
    /// `value` with exactly `decimals` digits after the point: `fixed(2.5, 2)` is "2.50".
    package static func fixed(_ value: Double, decimals: Int) -> String {
        let scaled = (abs(value) * pow(10, Double(decimals))).rounded()
        guard scaled < 9e18 else { return scientific(value, decimals: 3) }
        var digits = String(Int64(scaled))
        if decimals > 0 {
            if digits.count <= decimals { digits = String(repeating: "0", count: decimals + 1 - digits.count) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
        }
        return (value < 0 && scaled != 0 ? "−" : "") + digits
    }

    /// `m·10^e` written as "2.5e-5": the mantissa with `decimals` digits, trailing zeros dropped.
    package static func scientific(_ value: Double, decimals: Int) -> String {
        guard value != 0, value.isFinite else { return value.isNaN ? "NaN" : value == 0 ? "0" : (value > 0 ? "∞" : "−∞") }
        var exponent = Int(floor(log10(abs(value))))
        var mantissa = value / pow(10, Double(exponent))
        if abs((mantissa * pow(10, Double(decimals))).rounded()) >= 10 * pow(10, Double(decimals)) {
            exponent += 1
            mantissa /= 10
        }
        return trimmed(fixed(mantissa, decimals: decimals)) + "e" + (exponent < 0 ? "-" : "") + String(abs(exponent))
    }

    /// At most `significant` significant digits, trailing zeros dropped; scientific notation
    /// outside 1e-4 ≤ |v| < 1e6. For values without a step to go by (colour-bar ends, statistics).
    package static func short(_ value: Double, significant: Int = 4) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "−∞") }
        guard value != 0 else { return "0" }
        let exponent = Int(floor(log10(abs(value))))
        guard (-4..<6).contains(exponent) else { return scientific(value, decimals: significant - 1) }
        return trimmed(fixed(value, decimals: max(0, significant - 1 - exponent)))
    }

    /// An integer with thousands separators: 12345 is "12,345".
    package static func grouped(_ value: Int) -> String {
        let digits = String(abs(value))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (value < 0 ? "−" : "") + out
    }

    /// An interval for subtitles and notes: "[−1.5, 2]".
    package static func interval(_ range: ValueRange) -> String {
        "[\(short(range.lower)), \(short(range.upper))]"
    }

    /// A percentage with one decimal: 0.8731 is "87.3%".
    package static func percent(_ fraction: Double) -> String {
        fixed(fraction * 100, decimals: 1) + "%"
    }

    /// Drops trailing zeros after a decimal point, and the point itself: "2.50" is "2.5".
    private static func trimmed(_ s: String) -> String {
        guard s.contains(".") else { return s }
        var t = Substring(s)
        while t.hasSuffix("0") { t = t.dropLast() }
        if t.hasSuffix(".") { t = t.dropLast() }
        return String(t)
    }
}
