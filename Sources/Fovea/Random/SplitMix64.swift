import RealModule

/// A small, fast, seedable random number generator (Steele, Lea & Flood, 2014).
///
/// Every random thing in Fovea (initialisation, dropout masks, shuffling) takes its generator as
/// an argument, so the same seed gives the same numbers and there is no hidden global state.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension RandomNumberGenerator {
    /// A uniform number in `[0, 1)` with 53 random bits.
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A standard normal number, by the Box–Muller transform: for U₁, U₂ uniform on (0, 1],
    /// `sqrt(-2 ln U₁) · cos(2π U₂)` is N(0, 1).
    public mutating func nextStandardNormal() -> Double {
        let u1 = 1 - nextUnitDouble()  // (0, 1], so the log is finite
        let u2 = nextUnitDouble()
        return Double.sqrt(-2 * Double.log(u1)) * Double.cos(2 * Double.pi * u2)
    }
}
