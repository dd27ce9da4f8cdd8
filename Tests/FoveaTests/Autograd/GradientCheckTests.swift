import Fovea
import Testing

/// The same table `fovea gradcheck` prints: every op's backward against central finite
/// differences in Float64, and its fast path against the reference path.
@Suite("gradient check table")
struct GradientCheckTests {
    @Test("backward = finite differences; fast path = reference", arguments: GradientCheckCase.all)
    func gradientCase(_ c: GradientCheckCase) {
        let r = c.run()
        if let fd = r.finiteDifferenceError {
            #expect(fd <= GradientCheckTolerance.finiteDifference, "\(c): autograd vs finite differences, max rel error \(fd)")
        }
        #expect(r.passed, "\(c): fast path vs reference, max abs error \(r.referenceError ?? .nan)")
    }

    @Test("a wrong backward is caught")
    func catchesWrongGradient() {
        // x² whose recorded backward claims 3x instead of 2x: the check must fail.
        var rng = SplitMix64(seed: 1)
        let x = Tensor.uniform([5], low: 0.5, high: 1.5, dtype: .float64, using: &rng)
        let report = gradientCheck([x], using: &rng) { inputs in
            let v = inputs[0]
            let out = noGrad { v * v }
            return Tensor.record(out, "wrongSquare", [v]) { dOut in [dOut * v * 3] }
        }
        #expect(report.maxRelativeError > 0.1)
    }
}
