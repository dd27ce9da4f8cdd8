import Fovea

/// The two paths of a 3×3 'same' convolution side by side: im2col + sgemm and the direct AVX-512
/// kernels, each phase timed on its own (forward, input gradient, weight gradient), on the 3×3 shapes
/// of ResNet-20, the VGG-style net and airbench94 at batch 128. Lines: `conv3x3_CtoK_S_PATH_PHASE`.
/// Where the direct path does not take a phase (CPU+DirectConvolution.swift), both lines time im2col.
/// ResNet-20's two stride-2 layers: forward and weight gradient (`conv3x3s2_…`; their input gradient is im2col).
enum ConvPathMeasurements {
    static let shapes = [(16, 16, 32), (32, 32, 16), (64, 64, 8), (64, 64, 32), (64, 128, 16), (128, 128, 16), (128, 256, 8),
                         (24, 64, 31), (64, 64, 15), (64, 256, 15), (256, 256, 7)]  // the last four: airbench94's

    /// (input channels, output channels, input side) of ResNet-20's stride-2 convolutions.
    static let stride2Shapes = [(16, 32, 32), (32, 64, 16)]

    static func run(warmup: Int, repeats: Int) {
        for (cin, cout, side) in stride2Shapes { measure(cin, cout, side, stride: 2, warmup: warmup, repeats: repeats) }
        for (cin, cout, side) in shapes { measure(cin, cout, side, stride: 1, warmup: warmup, repeats: repeats) }
    }

    /// Each phase of one 3×3 layer with padding 1 at batch 128 through both paths (stride 2: forward
    /// and weight gradient only, as the input gradient is im2col on both).
    static func measure(_ cin: Int, _ cout: Int, _ side: Int, stride: Int, warmup: Int, repeats: Int) {
        let backend = CPUBackend.shared, n = 128, out = side / stride
        let p = Conv2dParameters(stride: (stride, stride), padding: (1, 1))
        var rng = SplitMix64(seed: 0)
        let x = Tensor.normal([n, cin, side, side], using: &rng), w = Tensor.normal([cout, cin, 3, 3], using: &rng)
        let dOut = Tensor.normal([n, cout, out, out], using: &rng)
        let flop = 2.0 * Double(n * cout * out * out * cin * 9)
        var phases: [(String, () -> Void)] = [("fwd", { _ = backend.conv2d(x, weight: w, bias: nil, p) })]
        if stride == 1 {
            phases.append(("dinput", { _ = backend.conv2dBackward(dOut, x: x, weight: w, p, needInput: true, needWeight: false, needBias: false) }))
        }
        phases.append(("dweight", { _ = backend.conv2dBackward(dOut, x: x, weight: w, p, needInput: false, needWeight: true, needBias: false) }))
        let prefix = stride == 1 ? "conv3x3" : "conv3x3s\(stride)"
        for (path, direct) in [("im2col", false), ("direct", true)] where !direct || CPUBackend.avx512KernelsEnabled {
            for (phase, body) in phases {
                let r = CPUBackend.withAVX512Kernels(direct) { Timing.measure(warmup: warmup, repeats: repeats, body) }
                emit(["kind": "measurement", "name": "\(prefix)_\(cin)to\(cout)_\(side)_\(path)_\(phase)", "op": "conv2d",
                      "path": path, "phase": phase, "throughput": flop / r.median / 1e9, "unit": "GFLOP/s"].merging(r.fields) { $1 })
            }
        }
    }
}
