import CBLAS
import Fovea
import FoveaTestSupport
import Foundation
import Testing

@Suite("CPU backend")
struct CPUBackendTests {
    @Test("OpenBLAS opens and names its kernel")
    func blas() {
        let backend = CPUBackend.shared
        #expect(backend.blasKernel != "unavailable")
        #expect(!backend.blasKernel.isEmpty)
        #expect(backend.name.contains(backend.blasKernel))
    }

    @Test("sgemm agrees with the Double triple loop on odd shapes")
    func gemmMatchesReference() {
        var rng = SplitMix64(seed: 11)
        for (m, k, n) in [(1, 1, 1), (7, 13, 5), (33, 65, 17), (128, 3, 64)] {
            let a = Tensor.normal([m, k], using: &rng), b = Tensor.normal([k, n], using: &rng)
            let fast = matmul(a, b), reference = matmulReference(a, b)
            for (x, y) in zip(fast.doubles, reference.doubles) { #expect(abs(x - y) <= 1e-5 + 1e-4 * abs(y)) }
        }
    }

    @Test("fast conv2d equals the reference on larger odd shapes")
    func convolutionFastPath() {
        var rng = SplitMix64(seed: 12)
        let x = Tensor.normal([3, 5, 11, 13], using: &rng), w = Tensor.normal([7, 5, 3, 3], using: &rng)
        let b = Tensor.normal([7], using: &rng)
        let fast = conv2d(x, weight: w, bias: b, stride: 2, padding: 1)
        let reference = conv2dReference(x, weight: w, bias: b, stride: 2, padding: 1)
        #expect(fast.shape == reference.shape)
        for (p, q) in zip(fast.doubles, reference.doubles) { #expect(abs(p - q) <= 1e-4 + 1e-4 * abs(q)) }
    }

    @Test("fast conv2d forward and backward equal the reference on a 'same' convolution with many positions")
    func convolutionLargeImages() {
        // 17×16 outputs per image: the per-image product path and the whole-image im2col/col2im path.
        var rng = SplitMix64(seed: 13)
        let x = Tensor.normal([2, 3, 17, 16], using: &rng), w = Tensor.normal([4, 3, 3, 3], using: &rng)
        let b = Tensor.normal([4], using: &rng)
        expectConv2dMatchesReference(x: x, weight: w, bias: b, padding: 1, using: &rng, "a 17 × 16 'same' convolution")
    }

    @Test("fast conv2d backward equals the reference when the batch splits into many uneven image groups")
    func convolutionManyGroups() {
        // 26 images of 23×23 outputs: one image per product, 26 groups summed in 13 partial sums.
        var rng = SplitMix64(seed: 15)
        let x = Tensor.normal([26, 2, 23, 23], using: &rng), w = Tensor.normal([3, 2, 3, 3], using: &rng)
        x.requiresGrad = true
        w.requiresGrad = true
        let out = conv2d(x, weight: w, padding: 1)
        let dOut = Tensor.normal(out.shape, using: &rng)
        out.backward(dOut)
        let (dx, dw, _) = conv2dBackwardReference(dOut, x: x, weight: w, padding: 1)
        for (fast, slow) in [(x.grad!, dx), (w.grad!, dw)] {
            for (p, q) in zip(fast.doubles, slow.doubles) { #expect(abs(p - q) <= 1e-4 + 1e-4 * abs(q)) }
        }
    }

    @Test("results do not depend on the thread count")
    func threadCountIndependence() {
        var rng = SplitMix64(seed: 14)
        let x = Tensor.normal([8, 16, 12, 12], using: &rng), w = Tensor.normal([32, 16, 3, 3], using: &rng)
        let dOut = Tensor.normal([8, 32, 12, 12], using: &rng)
        let p = Conv2dParameters(padding: (1, 1))
        let results = [1, 2, 3].map { threads -> [[Double]] in
            let backend = CPUBackend(threads: threads)
            let y = backend.conv2d(x, weight: w, bias: nil, p)
            let (dx, dw, _) = backend.conv2dBackward(dOut, x: x, weight: w, p, needInput: true, needWeight: true, needBias: false)
            let (mean, variance) = backend.channelMoments(y)
            let pooled = backend.maxPool2d(y, Pool2dParameters(kernel: (2, 2), stride: (2, 2))).out
            let product = backend.matmul(y.reshaped([8, -1]), y.reshaped([8, -1]), transposeA: false, transposeB: true)
            return [y.doubles, dx!.doubles, dw!.doubles, mean.doubles, variance.doubles, pooled.doubles, product.doubles,
                    backend.reduce(.sum, y, axes: [0, 2, 3]).doubles]
        }
        let names = ["conv2d", "conv2d dInput", "conv2d dWeight", "mean", "variance", "maxPool2d", "matmul", "sum"]
        for threads in 1...2 {
            for (i, name) in names.enumerated() {
                let worst = zip(results[0][i], results[threads][i]).map { abs($0 - $1) }.max() ?? 0
                #expect(results[0][i] == results[threads][i], "\(name) differs between 1 and \(threads + 1) threads by up to \(worst)")
            }
        }
    }
}

@Suite("OpenBLAS kernel choice")
struct BLASKernelChoiceTests {
    @Test("Fovea forces a kernel only for a Prescott fallback on AVX-512, and never over the user's choice")
    func rule() {
        #expect(fovea_blas_should_force(nil, "Prescott", 1) == 1)
        #expect(fovea_blas_should_force("", "Prescott", 1) == 1)
        #expect(fovea_blas_should_force("Haswell", "Prescott", 1) == 0)  // the user's value wins
        #expect(fovea_blas_should_force(nil, "Zen", 1) == 0)             // detection worked
        #expect(fovea_blas_should_force(nil, "Cooperlake", 1) == 0)
        #expect(fovea_blas_should_force(nil, "Prescott", 0) == 0)        // no AVX-512: SkylakeX would crash
    }

    @Test("a fresh OpenBLAS copy in its own namespace takes OPENBLAS_CORETYPE and multiplies correctly")
    func freshCopy() async {
        // The mechanism used on Prescott fallbacks, with a kernel every x86-64 CPU runs; in a child
        // process, because it sets an environment variable.
        await #expect(processExitsWith: .success) {
            var name = [CChar](repeating: 0, count: 64)
            var c = [Float](repeating: 0, count: 4)
            guard fovea_blas_probe_fresh_copy("Prescott", &name, name.count, &c) == 0 else { exit(2) }
            let kernel = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard kernel == "Prescott", c == [19, 22, 43, 50] else { exit(3) }
            exit(0)
        }
    }
}
