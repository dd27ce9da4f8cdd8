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
        let backend = CPUBackend.shared, n = 128, p = Conv2dParameters(padding: (1, 1))
        for (cin, cout, side) in stride2Shapes {
            var rng = SplitMix64(seed: 0)
            let x = Tensor.normal([n, cin, side, side], using: &rng), w = Tensor.normal([cout, cin, 3, 3], using: &rng)
            let s2 = Conv2dParameters(stride: (2, 2), padding: (1, 1))
            let flop = 2.0 * Double(n * cout * (side / 2) * (side / 2) * cin * 9)
            let dOut = Tensor.normal([n, cout, side / 2, side / 2], using: &rng)
            let phases: [(String, () -> Void)] = [
                ("fwd", { _ = backend.conv2d(x, weight: w, bias: nil, s2) }),
                ("dweight", { _ = backend.conv2dBackward(dOut, x: x, weight: w, s2, needInput: false, needWeight: true, needBias: false) }),
            ]
            for (path, direct) in [("im2col", false), ("direct", true)] where !direct || CPUBackend.avx512KernelsEnabled {
                for (phase, body) in phases {
                    let r = CPUBackend.withAVX512Kernels(direct) { Timing.measure(warmup: warmup, repeats: repeats, body) }
                    emit(["kind": "measurement", "name": "conv3x3s2_\(cin)to\(cout)_\(side)_\(path)_\(phase)", "op": "conv2d",
                          "path": path, "phase": phase, "throughput": flop / r.median / 1e9, "unit": "GFLOP/s"].merging(r.fields) { $1 })
                }
            }
        }
        for (cin, cout, side) in shapes {
            var rng = SplitMix64(seed: 0)
            let x = Tensor.normal([n, cin, side, side], using: &rng), w = Tensor.normal([cout, cin, 3, 3], using: &rng)
            let dOut = Tensor.normal([n, cout, side, side], using: &rng)
            let flop = 2.0 * Double(n * cout * side * side * cin * 9)
            let phases: [(String, () -> Void)] = [
                ("fwd", { _ = backend.conv2d(x, weight: w, bias: nil, p) }),
                ("dinput", { _ = backend.conv2dBackward(dOut, x: x, weight: w, p, needInput: true, needWeight: false, needBias: false) }),
                ("dweight", { _ = backend.conv2dBackward(dOut, x: x, weight: w, p, needInput: false, needWeight: true, needBias: false) }),
            ]
            for (path, direct) in [("im2col", false), ("direct", true)] where !direct || CPUBackend.avx512KernelsEnabled {
                for (phase, body) in phases {
                    let r = CPUBackend.withAVX512Kernels(direct) { Timing.measure(warmup: warmup, repeats: repeats, body) }
                    emit(["kind": "measurement", "name": "conv3x3_\(cin)to\(cout)_\(side)_\(path)_\(phase)", "op": "conv2d",
                          "path": path, "phase": phase, "throughput": flop / r.median / 1e9, "unit": "GFLOP/s"].merging(r.fields) { $1 })
                }
            }
        }
    }
}
