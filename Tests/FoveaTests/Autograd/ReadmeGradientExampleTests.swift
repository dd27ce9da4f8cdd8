import Fovea
import Testing

/// The README's "check a gradient you derived by hand" example, line for line, so that the README
/// never shows code that does not compile or does not agree.
@Suite("README example")
struct ReadmeGradientExampleTests {
    @Test("a hand-derived gradient agrees with autograd and with finite differences")
    func handGradient() {
        // f(x) = Σ σ(x)²;  by hand: ∂f/∂x = 2 σ(x) · σ(x)(1 − σ(x))
        var rng = SplitMix64(seed: 0)
        let x = Tensor.normal([6], dtype: .float64, using: &rng)
        x.requiresGrad = true
        let s = sigmoid(x)
        (s * s).sum().backward()
        let byHand = s.doubles.map { 2 * $0 * $0 * (1 - $0) }
        let worst = zip(byHand, x.grad!.doubles).map { abs($0 - $1) }.max()!
        let report = gradientCheck([x], using: &rng) { (sigmoid($0[0]) * sigmoid($0[0])).sum() }
        #expect(worst < 1e-12)
        #expect(report.maxRelativeError < 1e-6)
    }
}
