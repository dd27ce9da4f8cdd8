import Fovea
import Testing

/// The fast paths of max pooling (2×2 stride 2: the AVX-512 kernel and the Swift SIMD path; windows
/// no larger than the stride, as 1×1 windows that pick pixels) against the plain-loop reference: values,
/// and the gradient routed to the first maximum of each window (ties are frequent here).
@Suite("max pooling fast paths")
struct MaxPoolFastPathTests {
    @Test("equals the reference, ties and odd sizes included", arguments: [[2, 3, 31, 31], [1, 2, 16, 17], [3, 1, 9, 40], [1, 1, 2, 16], [2, 4, 15, 15], [1, 2, 7, 7], [1, 1, 2, 2], [2, 2, 10, 66], [1, 3, 28, 28]])
    func matchesReference(_ shape: [Int]) {
        var rng = SplitMix64(seed: UInt64(shape.reduce(0, +)))
        let count = shape.reduce(1, *)
        let x = Tensor(shape: shape, (0..<count).map { _ in Float(Int(rng.next() % 5)) * 0.5 - 1 }, requiresGrad: true)   // 5 values: many ties
        let outShape = [shape[0], shape[1], shape[2] / 2, shape[3] / 2]
        let dOut = Tensor.normal(outShape, using: &rng)
        let reference = maxPool2dReference(x, kernel: 2, dOut: dOut)
        for avx512 in [true, false] {  // the AVX-512 kernel where the CPU has it, and the Swift SIMD path
            x.zeroGrad()
            let y = CPUBackend.withAVX512Kernels(avx512) { maxPool2d(x, kernel: 2) }
            CPUBackend.withAVX512Kernels(avx512) { y.backward(dOut) }
            #expect(y.shape == outShape)
            #expect(y.doubles == reference.out.doubles, "values differ (AVX-512 kernels \(avx512 ? "on" : "off"))")
            #expect(x.grad!.doubles == reference.dInput!.doubles, "gradient differs (AVX-512 kernels \(avx512 ? "on" : "off"))")
        }
    }

    @Test("a NaN in a window wins, as in PyTorch")
    func nan() {
        var values = [Float](repeating: 1, count: 2 * 16)
        values[3] = .nan          // window 1 of the output row
        values[16 + 8] = 5        // window 4, bottom row
        for avx512 in [true, false] {
            let y = CPUBackend.withAVX512Kernels(avx512) { maxPool2d(Tensor(shape: [1, 1, 2, 16], values), kernel: 2).doubles }
            #expect(y[1].isNaN && y[4] == 5 && y[0] == 1)
        }
    }

    @Test("windows no larger than the stride (1×1 picks pixels) equal the reference",
          arguments: [((1, 1), (2, 2)), ((1, 1), (2, 3)), ((1, 1), (3, 1)), ((2, 1), (3, 2)), ((2, 2), (2, 3))])
    func windowsWithinStride(kernel: (Int, Int), stride: (Int, Int)) {
        var rng = SplitMix64(seed: UInt64(kernel.0 * 100 + stride.0 * 10 + stride.1))
        let x = Tensor.normal([2, 3, 9, 8], using: &rng)
        x.requiresGrad = true
        let y = maxPool2d(x, kernel: IntPair(kernel.0, kernel.1), stride: IntPair(stride.0, stride.1))
        let dOut = Tensor.normal(y.shape, using: &rng)
        y.backward(dOut)
        let reference = maxPool2dReference(x, kernel: IntPair(kernel.0, kernel.1), stride: IntPair(stride.0, stride.1), dOut: dOut)
        #expect(y.shape == reference.out.shape)
        #expect(y.doubles == reference.out.doubles)
        #expect(x.grad!.doubles == reference.dInput!.doubles)
    }
}
