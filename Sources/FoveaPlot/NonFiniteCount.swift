/// How many values could not be drawn as numbers.
///
/// NaN and ±∞ are never dropped silently: images draw NaN in `Theme.nanColor` and clamp ±∞ to the
/// ends of the scale, charts mark or skip them, and every figure states the counts in its header.
public struct NonFiniteCount: Sendable, Equatable {
    public var nan = 0
    public var infinite = 0

    public init(nan: Int = 0, infinite: Int = 0) {
        self.nan = nan
        self.infinite = infinite
    }

    /// Counts the NaN and infinite entries of `values`.
    public init<S: Sequence>(_ values: S) where S.Element: BinaryFloatingPoint {
        for v in values where !v.isFinite {
            if v.isNaN { nan += 1 } else { infinite += 1 }
        }
    }

    public var isZero: Bool { nan == 0 && infinite == 0 }

    public static func + (a: NonFiniteCount, b: NonFiniteCount) -> NonFiniteCount {
        NonFiniteCount(nan: a.nan + b.nan, infinite: a.infinite + b.infinite)
    }

    /// Header lines, e.g. `["3 NaN values shown in magenta"]`; `nanFate` and `infiniteFate` say
    /// what the figure did with them.
    package func notes(
        nanFate: String = "shown in magenta",
        infiniteFate: String = "clamped to the ends of the scale"
    ) -> [String] {
        var lines: [String] = []
        if nan > 0 { lines.append("\(counted(nan, "NaN value")) \(nanFate)") }
        if infinite > 0 { lines.append("\(counted(infinite, "infinite value")) \(infiniteFate)") }
        return lines
    }
}

/// "1 NaN value", "3 NaN values": a count with its noun, plural when needed.
package func counted(_ n: Int, _ noun: String) -> String {
    "\(n) \(noun)\(n == 1 ? "" : "s")"
}
