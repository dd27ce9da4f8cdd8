import Fovea
import Testing

@Suite("conv2d and im2col")
struct ConvolutionTests {
    @Test("weights · im2col equals conv2d; the matrix has one row per filter tap", arguments: [(1, 0), (2, 1)])
    func im2colProduct(stride: Int, padding: Int) {
        var rng = SplitMix64(seed: 21)
        let x = Tensor.normal([2, 3, 6, 5], using: &rng), w = Tensor.normal([4, 3, 3, 3], using: &rng)
        let columns = im2col(x, kernel: 3, stride: IntPair(stride), padding: IntPair(padding))
        let out = conv2d(x, weight: w, stride: IntPair(stride), padding: IntPair(padding))
        let (n, k, oh, ow) = (out.shape[0], out.shape[1], out.shape[2], out.shape[3])
        #expect(columns.shape == [3 * 3 * 3, n * oh * ow])
        let product = matmul(w.reshaped([4, 27]), columns)                                   // [K, N·OH·OW]
        let reordered = product.reshaped([k, n, oh, ow]).permuted([1, 0, 2, 3])              // [N, K, OH, OW]
        for (a, b) in zip(reordered.doubles, out.doubles) { #expect(abs(a - b) <= 1e-4 + 1e-4 * abs(b)) }
    }

    @Test("the output-size formula: ⌊(H + 2p − d(k − 1) − 1)/s⌋ + 1")
    func outputSize() {
        #expect(Conv2dParameters.outputSize(input: 32, kernel: 5, stride: 1, padding: 0, dilation: 1) == 28)
        #expect(Conv2dParameters.outputSize(input: 32, kernel: 3, stride: 2, padding: 1, dilation: 1) == 16)
        #expect(Conv2dParameters.outputSize(input: 7, kernel: 3, stride: 1, padding: 2, dilation: 2) == 7)
        var rng = SplitMix64(seed: 1)
        let y = conv2d(Tensor.normal([1, 1, 9, 8], using: &rng), weight: Tensor.normal([1, 1, 3, 2], using: &rng), stride: [2, 1], padding: [1, 0], dilation: [1, 2])
        #expect(y.shape == [1, 1, 5, 6])
    }
}
