import Fovea
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Round contour levels inside the range of the sampled values.
package enum ContourLevels {
    /// About `count` levels strictly inside `min...max` of `values`: multiples of the nice step
    /// nearest to `(max − min) / (count + 1)`, or, `logarithmic`, the values 1, 2, 5 × 10^k (thinned to 1, 3 × 10^k, then
    /// powers of ten, when there are too many), which only positive values reach.
    package static func choose(_ values: [Double], count: Int, logarithmic: Bool) -> [Double] {
        guard let lo = values.min(), let hi = values.max(), lo < hi else { return [] }
        guard logarithmic else {
            let step = NiceNumbers.step(near: (hi - lo) / Double(count + 1))
            return NiceNumbers.multiples(of: step, from: lo, to: hi).filter { $0 > lo && $0 < hi }
        }
        guard hi > 0 else { return [] }
        let smallest = values.filter { $0 > 0 }.min() ?? hi / 1e6
        let decades = Int(floor(log10(smallest)))...Int(ceil(log10(hi)))
        for multiples in [[1.0, 2, 5], [1.0, 3], [1.0]] {
            let candidates = decades.flatMap { k in multiples.map { $0 * pow(10, Double(k)) } }
                .filter { $0 > smallest && $0 < hi }
            if candidates.count <= count + 2 { return candidates }
        }
        let powers = decades.map { pow(10, Double($0)) }.filter { $0 > smallest && $0 < hi }
        let every = Int((Double(powers.count) / Double(count)).rounded(.up))
        return powers.enumerated().filter { $0.offset % every == 0 }.map(\.element)
    }
}
