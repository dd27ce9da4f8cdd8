import Fovea
import FoveaTestSupport
import Testing

/// Batch norm's Float32 plane loops in AVX-512 C (Sources/CKernels/fovea_batchnorm.c) against the
/// same op in Float64 (the portable Swift loops, which the PyTorch fixtures check), in training mode
/// (batch statistics, forward and backward) and evaluation mode (running statistics), on planes
/// whose size is a multiple of 16 and on planes with a tail (7 × 9 = 63 positions).
@Suite("Batch norm fast path", .enabled(if: CPUBackend.avx512KernelsEnabled,
                                        "the AVX-512 batch-norm loops need AVX-512 (and FOVEA_AVX512 not 0): skipped"))
struct BatchNormFastPathTests {
    static let shapes = [[4, 3, 16, 16], [3, 5, 7, 9], [2, 4, 1, 17]]

    @Test("training and evaluation mode equal the Float64 computation", arguments: shapes)
    func matchesFloat64(shape: [Int]) {
        var rng = SplitMix64(seed: UInt64(shape.reduce(0, +)))
        let c = shape[1]
        let x = Tensor.normal(shape, using: &rng) * 3 + 1
        let gamma = Tensor.normal([c], using: &rng), beta = Tensor.normal([c], using: &rng)
        let dOut = Tensor.normal(shape, using: &rng)
        func run(_ dtype: DType, training: Bool) -> [Tensor] {
            let input = x.converted(to: dtype), weight = gamma.converted(to: dtype), bias = beta.converted(to: dtype)
            for t in [input, weight, bias] { t.requiresGrad = true }
            let mean = Tensor(zeros: [c], dtype: dtype) + 0.5, variance = Tensor(zeros: [c], dtype: dtype) + 2
            let out = batchNorm2d(input, weight: weight, bias: bias, runningMean: mean, runningVar: variance, training: training)
            out.backward(dOut.converted(to: dtype))
            return [out, input.grad!, weight.grad!, bias.grad!, mean, variance]
        }
        for training in [true, false] {
            let fast = run(.float32, training: training), reference = run(.float64, training: training)
            for (i, name) in ["out", "dx", "dgamma", "dbeta", "running mean", "running var"].enumerated() {
                expectClose(fast[i], reference[i], atol: 1e-4, rtol: 1e-4, "\(name) of \(shape), training \(training)")
            }
        }
    }

    @Test("the AVX-512 and portable loops agree in Float32, and neither depends on the thread count")
    func pathsAgree() {
        var rng = SplitMix64(seed: 5)
        let x = Tensor.normal([6, 8, 9, 12], using: &rng), dOut = Tensor.normal([6, 8, 9, 12], using: &rng)
        let gamma = Tensor.normal([8], using: &rng), beta = Tensor.normal([8], using: &rng)
        func run(_ backend: CPUBackend) -> [Tensor] {
            let (mean, variance) = backend.channelMoments(x)
            let invStd = 1 / (variance + 1e-5).sqrt()
            let y = backend.batchNormApply(x, mean: mean, invStd: invStd, gamma: gamma, beta: beta)
            let (dx, dGamma, dBeta) = backend.batchNormBackward(dOut, x: x, mean: mean, invStd: invStd, gamma: gamma)
            return [mean, variance, y, dx, dGamma, dBeta]
        }
        let fast = [1, 2, 3].map { run(CPUBackend(threads: $0)) }
        let portable = CPUBackend.withAVX512Kernels(false) { run(CPUBackend(threads: 2)) }
        for (i, name) in ["mean", "variance", "apply", "dx", "dgamma", "dbeta"].enumerated() {
            #expect(fast[0][i].doubles == fast[1][i].doubles && fast[0][i].doubles == fast[2][i].doubles, "\(name) depends on the thread count")
            expectClose(fast[0][i], portable[i], atol: 1e-5, rtol: 1e-5, "\(name): AVX-512 against the portable loops")
        }
    }
}
