import Fovea
import FoveaTestSupport
import Testing

/// The direct convolution kernels (Sources/CKernels, AVX-512) against the plain-loop reference and
/// the im2col path, on shapes that exercise partial blocks of 16 positions, planes smaller than one
/// block, tiles of 1, 2 and 3 blocks, and (forward only) other filter sizes and paddings.
@Suite("Direct convolution", .enabled(if: CPUBackend.avx512KernelsEnabled,
                                           "the direct convolution kernels need AVX-512 (and FOVEA_AVX512 not 0): skipped"))
struct DirectConvolutionTests {
    /// (N, C, K, H, W), rows a multiple of 8 wide (the direct input gradient's condition): 56 positions
    /// (4 blocks, the last half full: tiles of 3 and 1), 96 with 16 → 8 channels, 64 (4 blocks), 256
    /// with 24 → 32 channels, 13×8 with bias, 6×8, 64 and 128 output channels. Odd widths and strides
    /// are checked forward-only in `otherShapes` and for the weight gradient in `weightGradientShapes`.
    static let shapes = [(2, 8, 8, 7, 8), (3, 16, 8, 6, 16), (3, 16, 16, 8, 8), (2, 24, 32, 16, 16), (1, 8, 16, 13, 8),
                         (4, 8, 8, 6, 8), (3, 8, 64, 6, 8), (2, 8, 128, 6, 8)]

    @Test("forward and backward equal the reference", arguments: shapes)
    func matchesReference(shape: (Int, Int, Int, Int, Int)) {
        let (n, c, k, h, w) = shape
        var rng = SplitMix64(seed: UInt64(n * 1000 + c * 100 + k + h * 7 + w))
        let x = Tensor.normal([n, c, h, w], using: &rng), weight = Tensor.normal([k, c, 3, 3], using: &rng)
        let bias = Tensor.normal([k], using: &rng)
        let parameters = Conv2dParameters(padding: (1, 1))
        #expect(CPUBackend.shared.takesDirectConvolutionPath(input: x.shape, weight: weight.shape, parameters))
        expectConv2dMatchesReference(x: x, weight: weight, bias: bias, padding: 1, using: &rng, "\(shape)")
    }

    @Test("the direct path and im2col + sgemm agree, and the direct path is thread-count independent")
    func matchesIm2colAndThreads() {
        var rng = SplitMix64(seed: 33)
        let x = Tensor.normal([6, 16, 12, 16], using: &rng), weight = Tensor.normal([24, 16, 3, 3], using: &rng)
        let dOut = Tensor.normal([6, 24, 12, 16], using: &rng)
        let p = Conv2dParameters(padding: (1, 1))
        func run(_ backend: CPUBackend) -> [Tensor] {
            let y = backend.conv2d(x, weight: weight, bias: nil, p)
            let (dx, dw, _) = backend.conv2dBackward(dOut, x: x, weight: weight, p, needInput: true, needWeight: true, needBias: false)
            return [y, dx!, dw!]
        }
        let direct = [1, 2, 3].map { run(CPUBackend(threads: $0)) }
        let im2col = CPUBackend.withAVX512Kernels(false) { run(CPUBackend(threads: 2)) }
        #expect(!CPUBackend.withAVX512Kernels(false) { CPUBackend.shared.takesDirectConvolutionPath(input: x.shape, weight: weight.shape, p) })
        for (i, name) in ["forward", "input gradient", "weight gradient"].enumerated() {
            #expect(direct[0][i].doubles == direct[1][i].doubles && direct[0][i].doubles == direct[2][i].doubles,
                    "\(name) depends on the thread count")
            expectClose(direct[0][i], im2col[i], atol: 1e-4, rtol: 1e-4, "\(name): direct against im2col")
        }
    }

    /// (N, C, K, H, W, kernel, padding, stride): LeNet's first two layers (5×5, no padding: outputs
    /// narrower than the input, 6 output channels padded to 8), airbench's 2×2 whitening, 5×5 'same',
    /// 3×3 without padding, a non-square 3×2 filter, and 3×3 'same' on odd widths (airbench's 7×7 and
    /// 15-wide planes); and 3×3 with stride 2 (ResNet's downsampling layers): 32 → 16 and 16 → 8 as
    /// in ResNet-20, outputs 32 wide (blocks that start mid-row), an odd number of blocks (the last tile
    /// of one block), and a single block from 3 channels. Only the forward pass is direct for these.
    static let otherShapes = [(2, 3, 6, 32, 32, (5, 5), (0, 0), 1), (3, 6, 16, 14, 14, (5, 5), (0, 0), 1), (2, 3, 24, 9, 11, (2, 2), (0, 0), 1),
                              (2, 4, 16, 8, 7, (5, 5), (2, 2), 1), (2, 5, 12, 8, 8, (3, 3), (0, 0), 1), (2, 3, 9, 10, 5, (3, 2), (1, 0), 1),
                              (2, 8, 16, 7, 7, (3, 3), (1, 1), 1), (2, 8, 8, 9, 15, (3, 3), (1, 1), 1),
                              (2, 16, 32, 32, 32, (3, 3), (1, 1), 2), (2, 8, 16, 16, 16, (3, 3), (1, 1), 2), (1, 4, 8, 16, 64, (3, 3), (1, 1), 2),
                              (2, 8, 8, 6, 32, (3, 3), (1, 1), 2), (1, 3, 8, 4, 16, (3, 3), (1, 1), 2)]

    @Test("other filter sizes and paddings: forward equals the reference", arguments: otherShapes)
    func otherShapesMatchReference(shape: (Int, Int, Int, Int, Int, (Int, Int), (Int, Int), Int)) {
        let (n, c, k, h, w, kernel, padding, stride) = shape
        var rng = SplitMix64(seed: UInt64(n * 1000 + c * 100 + k + h * 7 + w))
        let x = Tensor.normal([n, c, h, w], using: &rng), weight = Tensor.normal([k, c, kernel.0, kernel.1], using: &rng)
        let bias = Tensor.normal([k], using: &rng)
        let p = Conv2dParameters(stride: (stride, stride), padding: padding)
        #expect(CPUBackend.shared.takesDirectConvolutionPath(input: x.shape, weight: weight.shape, p))
        let fast = conv2d(x, weight: weight, bias: bias, stride: IntPair(stride), padding: IntPair(padding.0, padding.1))
        let reference = conv2dReference(x, weight: weight, bias: bias, stride: IntPair(stride), padding: IntPair(padding.0, padding.1))
        expectClose(fast, reference, atol: 1e-4, rtol: 1e-4, "\(shape) against the reference")
    }

    /// (N, C, K, H, W) with stride 2 and padding 1: ResNet-20's two downsampling layers (smaller
    /// batches), outputs 32 wide, an odd number of blocks, and 3 input channels. The forward and the
    /// weight gradient are direct, the input gradient im2col; all three against the reference, and
    /// the weight gradient on 1, 2 and 3 threads.
    static let stride2Shapes = [(3, 16, 32, 32, 32), (2, 32, 64, 16, 16), (2, 4, 8, 16, 64), (3, 8, 8, 6, 32), (2, 3, 16, 4, 16)]

    @Test("stride 2: forward, input and weight gradients equal the reference", arguments: stride2Shapes)
    func stride2MatchesReference(shape: (Int, Int, Int, Int, Int)) {
        let (n, c, k, h, w) = shape
        var rng = SplitMix64(seed: UInt64(n * 1000 + c * 100 + k + h * 7 + w))
        let x = Tensor.normal([n, c, h, w], using: &rng), weight = Tensor.normal([k, c, 3, 3], using: &rng)
        let p = Conv2dParameters(stride: (2, 2), padding: (1, 1))
        #expect(CPUBackend.shared.takesDirectConvolutionPath(input: x.shape, weight: weight.shape, p))
        let dOut = Tensor.normal([n, k, h / 2, w / 2], using: &rng)
        let results = [1, 2, 3].map { threads in
            let backend = CPUBackend(threads: threads)
            let (dx, dw, _) = backend.conv2dBackward(dOut, x: x, weight: weight, p, needInput: true, needWeight: true, needBias: false)
            return [backend.conv2d(x, weight: weight, bias: nil, p), dx!, dw!]
        }
        let reference = conv2dReference(x, weight: weight, bias: nil, stride: IntPair(2), padding: IntPair(1))
        let (dx, dw, _) = conv2dBackwardReference(dOut, x: x, weight: weight, stride: IntPair(2), padding: IntPair(1))
        for (i, (name, slow)) in [("out", reference), ("dx", dx), ("dw", dw)].enumerated() {
            expectClose(results[0][i], slow, atol: 1e-4, rtol: 1e-4, "\(name) of \(shape) against the reference")
            #expect(results[0][i].doubles == results[1][i].doubles && results[0][i].doubles == results[2][i].doubles,
                    "\(name) of \(shape) depends on the thread count")
        }
    }

    /// (N, C, K, H, W, filter side, padding, stride) for the weight-gradient kernel, which takes any
    /// plane: 3×3 with output channels not a multiple of 16 (24, 40, 8: zero lanes), input channels that
    /// leave a short last tile (5, 17, 9, 3), odd planes with stride 1 and 2, airbench94's 31 × 31, 40 × 40
    /// planes with 8 channels (two images per partial sum but one per sub-run of the kernel, whose
    /// output gradient is padded to 16 channels: sub-runs added up, partials fetched ahead), 130 output
    /// channels (tiles of 64, 64 and 16), paddings 0 and 2; 5×5: LeNet's two layers (no padding),
    /// 'same' padding, stride 2, 64 output channels.
    static let weightGradientShapes = [(3, 5, 24, 7, 9, 3, 1, 1), (2, 17, 48, 15, 15, 3, 1, 1), (2, 24, 64, 31, 31, 3, 1, 1),
                                       (2, 9, 40, 9, 11, 3, 1, 2), (3, 3, 16, 32, 32, 3, 1, 1), (2, 3, 8, 7, 5, 3, 1, 2),
                                       (4, 8, 8, 40, 40, 3, 1, 1), (5, 2, 130, 3, 4, 3, 1, 1), (3, 16, 32, 32, 32, 3, 1, 2),
                                       (2, 6, 16, 8, 9, 3, 0, 1), (2, 6, 16, 8, 9, 3, 2, 2),
                                       (3, 3, 6, 32, 32, 5, 0, 1), (3, 6, 16, 14, 14, 5, 0, 1), (2, 7, 20, 9, 12, 5, 2, 1),
                                       (2, 5, 24, 11, 10, 5, 2, 2), (2, 3, 64, 12, 12, 5, 1, 1)]

    @Test("weight gradient, 3×3 and 5×5, any plane and padding, stride 1 or 2: equals the reference, the same on 1, 2 and 3 threads",
          arguments: weightGradientShapes)
    func weightGradientMatchesReference(shape: (Int, Int, Int, Int, Int, Int, Int, Int)) {
        let (n, c, k, h, w, side, padding, stride) = shape
        var rng = SplitMix64(seed: UInt64(n * 1000 + c * 100 + k + h * 7 + w + side * 3 + padding + stride))
        let x = Tensor.normal([n, c, h, w], using: &rng), weight = Tensor.normal([k, c, side, side], using: &rng)
        let p = Conv2dParameters(stride: (stride, stride), padding: (padding, padding))
        #expect(CPUBackend.shared.takesDirectWeightGradientPath(input: x.shape, weight: weight.shape, p))
        let outSide = { (input: Int) in (input + 2 * padding - side) / stride + 1 }
        let dOut = Tensor.normal([n, k, outSide(h), outSide(w)], using: &rng)
        let dw = [1, 2, 3].map { threads in
            CPUBackend(threads: threads).conv2dBackward(dOut, x: x, weight: weight, p, needInput: false, needWeight: true, needBias: false).dWeight!
        }
        let reference = conv2dBackwardReference(dOut, x: x, weight: weight, stride: IntPair(stride), padding: IntPair(padding)).dWeight
        // Each entry sums N·OH·OW products of two standard normals in Float32: about one rounding
        // of 6e-8 · Σ|product| (Σ|product| ≈ 0.64 per term), so the bound grows with the term count.
        let terms = Double(dOut.shape[0] * dOut.shape[2] * dOut.shape[3])
        expectClose(dw[0], reference, atol: 1e-4 + 1e-7 * terms, rtol: 1e-4, "dw of \(shape) against the reference")
        #expect(dw[0].doubles == dw[1].doubles && dw[0].doubles == dw[2].doubles, "dw of \(shape) depends on the thread count")
    }

    @Test("shapes the kernels do not cover keep the im2col path")
    func coverage() {
        let backend = CPUBackend.shared
        #expect(!backend.takesDirectConvolutionPath(input: [1, 8, 8, 8], weight: [16, 8, 3, 3], Conv2dParameters(stride: (2, 2), padding: (1, 1))))
        #expect(!backend.takesDirectConvolutionPath(input: [1, 8, 16, 16], weight: [12, 8, 3, 3], Conv2dParameters(stride: (2, 2), padding: (1, 1))))
        #expect(!backend.takesDirectConvolutionPath(input: [1, 8, 6, 16], weight: [16, 8, 3, 3], Conv2dParameters(stride: (2, 2), padding: (1, 1))))
        #expect(!backend.takesDirectConvolutionPath(input: [1, 8, 16, 16], weight: [16, 8, 3, 3], Conv2dParameters(stride: (2, 2), padding: (0, 0))))
        #expect(!backend.takesDirectConvolutionPath(input: [1, 8, 8, 8], weight: [16, 8, 3, 3], Conv2dParameters(padding: (2, 2))))
        #expect(!backend.takesDirectConvolutionPath(input: [1, 8, 4, 4], weight: [16, 8, 3, 3], Conv2dParameters(padding: (1, 1))))
        #expect(!backend.takesDirectConvolutionPath(input: [1, 8, 8, 8], weight: [16, 8, 1, 1], Conv2dParameters()))
        #expect(!backend.takesDirectConvolutionPath(input: [1, 8, 8, 8], weight: [16, 8, 3, 3], Conv2dParameters(padding: (1, 1), dilation: (2, 2))))
        #expect(!backend.takesDirectConvolutionPath(input: [1, 8, 8, 8], weight: [16, 4, 3, 3], Conv2dParameters(padding: (1, 1), groups: 2)))
        // The weight-gradient kernel: 3×3 and 5×5, stride 1 or 2, up to 256 × 256 channels.
        #expect(backend.takesDirectWeightGradientPath(input: [1, 256, 7, 7], weight: [256, 256, 3, 3], Conv2dParameters(padding: (1, 1))))
        #expect(!backend.takesDirectWeightGradientPath(input: [1, 512, 7, 7], weight: [512, 512, 3, 3], Conv2dParameters(padding: (1, 1))))
        #expect(!backend.takesDirectWeightGradientPath(input: [1, 8, 9, 9], weight: [16, 8, 3, 3], Conv2dParameters(stride: (3, 3), padding: (1, 1))))
        #expect(!backend.takesDirectWeightGradientPath(input: [1, 8, 8, 8], weight: [16, 8, 7, 7], Conv2dParameters(padding: (3, 3))))
        #expect(!backend.takesDirectWeightGradientPath(input: [1, 8, 8, 8], weight: [16, 8, 3, 5], Conv2dParameters(padding: (1, 2))))
        #expect(!backend.takesDirectWeightGradientPath(input: [1, 8, 8, 8], weight: [16, 8, 3, 3], Conv2dParameters(padding: (1, 1), dilation: (2, 2))))
        #expect(!backend.takesDirectWeightGradientPath(input: [1, 8, 8, 8], weight: [16, 4, 3, 3], Conv2dParameters(padding: (1, 1), groups: 2)))
    }
}
