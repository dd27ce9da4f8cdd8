import Fovea
import Testing

/// GELU's Float32 vector path (polynomial erf and exp) against the scalar reference (libm's erf
/// and exp, in Float64), within 1e-6·max(1, |x|), over [−12, 12] and a tensor whose size is not a
/// multiple of 8 (the tail path).
@Suite("GELU fast path")
struct GELUFastPathTests {
    static let inputs: [Double] = stride(from: -12.0, through: 12.0, by: 0.001).map { $0 } + [0, -0.0, 1e-8, -1e-8, 100, -100]

    @Test("forward and backward equal the Float64 reference")
    func matchesReference() {
        let xs = Self.inputs, n = xs.count
        #expect(n % 8 != 0)
        var rng = SplitMix64(seed: 2)
        let upstream = (0..<n).map { _ in rng.nextUnitDouble() * 2 - 1 }
        let fast = Tensor(shape: [n], xs.map(Float.init), requiresGrad: true)
        let reference = Tensor(shape: [n], float64: xs.map { Double(Float($0)) }, requiresGrad: true)
        let yFast = gelu(fast), yReference = gelu(reference)
        yFast.backward(Tensor(shape: [n], upstream.map(Float.init)))
        yReference.backward(Tensor(shape: [n], float64: upstream.map { Double(Float($0)) }))
        var worst = (forward: 0.0, backward: 0.0)
        for (i, x) in xs.enumerated() {
            let scale = max(1, abs(x))
            worst.forward = max(worst.forward, abs(yFast.doubles[i] - yReference.doubles[i]) / scale)
            worst.backward = max(worst.backward, abs(fast.grad!.doubles[i] - reference.grad!.doubles[i]))
        }
        #expect(worst.forward <= 1e-6, "largest forward difference \(worst.forward)")
        #expect(worst.backward <= 1e-6, "largest backward difference \(worst.backward)")
    }

    @Test("the limits: 0 at 0, x for large x, 0 for very negative x; slope ½ at 0, 1 and 0 far out")
    func limits() {
        let x = Tensor(shape: [5], [0, 20, -20, 3, -3], requiresGrad: true)
        let y = gelu(x)
        #expect(y.doubles[0] == 0 && y.doubles[1] == 20 && y.doubles[2] == 0)
        y.sum().backward()
        #expect(abs(x.grad!.doubles[0] - 0.5) < 1e-7 && abs(x.grad!.doubles[1] - 1) < 1e-7 && x.grad!.doubles[2] == 0)
    }
}
