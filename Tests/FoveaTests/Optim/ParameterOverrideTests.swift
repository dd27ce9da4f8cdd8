import Fovea
import Testing

@Suite("SGD parameter overrides and the trapezoid schedule")
struct ParameterOverrideTests {
    @Test("an overridden parameter steps with η·scale and its own weight decay; the others with the optimizer's")
    func override() {
        let a = Tensor(shape: [1], float64: [1], requiresGrad: true), b = Tensor(shape: [1], float64: [1], requiresGrad: true)
        let sgd = SGD(named: [("a", a), ("b", b)], learningRate: 0.1, momentum: 0.5, weightDecay: 0.2, nesterov: true)
        sgd.overrides["b"] = .init(learningRateScale: 4, weightDecay: 0.05)
        for _ in 0..<2 {
            a.grad = Tensor(shape: [1], float64: [0.5]); b.grad = Tensor(shape: [1], float64: [0.5])
            sgd.step()
        }
        // By hand, Nesterov: g = ∇ + λθ, buf = μ·buf + g (buf = g at first), θ ← θ − η·(g + μ·buf).
        func twoSteps(_ lr: Double, _ decay: Double) -> Double {
            var theta = 1.0, buffer = 0.0
            for step in 0..<2 {
                let g = 0.5 + decay * theta
                buffer = step == 0 ? g : 0.5 * buffer + g
                theta -= lr * (g + 0.5 * buffer)
            }
            return theta
        }
        #expect(abs(a.doubles[0] - twoSteps(0.1, 0.2)) < 1e-15)
        #expect(abs(b.doubles[0] - twoSteps(0.4, 0.05)) < 1e-15)
    }

    @Test("trapezoid: from 0.2 × peak up to the peak at 23 % of the steps, then down to 0.07 × at the end")
    func trapezoid() {
        let schedule = LinearWarmupDecaySchedule(peak: 2, totalSteps: 100)
        #expect(schedule.learningRate(at: 0) == 0.4)
        #expect(abs(schedule.learningRate(at: 23) - 2) < 1e-12)
        #expect(abs(schedule.learningRate(at: 100) - 0.14) < 1e-12)
        #expect(abs(schedule.learningRate(at: 11) - 2 * (0.2 + 0.8 * 11 / 23)) < 1e-12)
        #expect(abs(schedule.learningRate(at: 50) - 2 * (1 - 0.93 * 27 / 77)) < 1e-12)
    }

    @Test("Dirac filters: the first min(out, in) filters pass their channel through; the rest are kept")
    func dirac() {
        var rng = SplitMix64(seed: 1)
        let weight = Tensor.normal([5, 3, 3, 3], using: &rng)
        let dirac = Initializer.diracFirstFilters(weight)
        let x = Tensor.normal([1, 3, 6, 6], using: &rng)
        let y = conv2d(x, weight: dirac, padding: 1)
        expectEqualValues(y.sliced(0..<3, axis: 1), x)
        #expect(dirac.sliced(3..<5).doubles == weight.sliced(3..<5).doubles)
    }

    private func expectEqualValues(_ a: Tensor, _ b: Tensor) {
        #expect(a.shape == b.shape)
        #expect(zip(a.doubles, b.doubles).allSatisfy { abs($0 - $1) < 1e-6 })
    }
}
