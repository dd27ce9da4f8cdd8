// Pooling. x [N, C, H, W] → out [N, C, OH, OW], OH = ⌊(H + 2·pad − k) / stride⌋ + 1.
//
//   maxPool2d   forward  out = max over the window (padding never wins)
//               backward dOut goes to the window's first maximum in row-major order (as PyTorch);
//                        overlapping windows add up
//   avgPool2d   forward  out = Σ window / (kh·kw)   (padding counts as zeros, PyTorch's default)
//               backward dOut / (kh·kw) spread over the window
//   adaptiveAvgPool2d  windows [⌊i·H/OH⌋, ⌈(i+1)·H/OH⌉) so any input size maps to OH×OW;
//               with output 1×1 it is global average pooling
//
// The fast path is Backend/CPU/CPU+Pooling.swift; the *Reference functions below are plain loops.

/// Max pooling over `kernel`-sized windows.
///
/// - Parameters:
///   - x: `[N, C, H, W]`
///   - stride: defaults to `kernel` (non-overlapping windows), as PyTorch
/// - Precondition: `padding ≤ kernel / 2`, as PyTorch requires.
public func maxPool2d(_ x: Tensor, kernel: IntPair, stride: IntPair? = nil, padding: IntPair = 0) -> Tensor {
    let p = poolParameters(x, kernel, stride, padding, "maxPool2d")
    let backend = x.backend
    let (out, argmax) = backend.maxPool2d(x, p)
    return Tensor.record(out, "maxPool2d", [x]) { [shape = x.shape] dOut in
        [backend.maxPool2dBackward(dOut, argmax: argmax, inputShape: shape)]
    }
}

/// Average pooling over `kernel`-sized windows (padding counts in the divisor).
public func avgPool2d(_ x: Tensor, kernel: IntPair, stride: IntPair? = nil, padding: IntPair = 0) -> Tensor {
    let p = poolParameters(x, kernel, stride, padding, "avgPool2d")
    let backend = x.backend
    let out = backend.avgPool2d(x, p)
    return Tensor.record(out, "avgPool2d", [x]) { [shape = x.shape] dOut in
        [backend.avgPool2dBackward(dOut, inputShape: shape, p)]
    }
}

/// Average pooling to a fixed output size, whatever the input size. `outputSize: 1` is global
/// average pooling (ResNet's last layer).
public func adaptiveAvgPool2d(_ x: Tensor, outputSize: IntPair = 1) -> Tensor {
    require(x.rank == 4, "adaptiveAvgPool2d expects [N, C, H, W], got \(x.shape)")
    require(outputSize.pair.0 > 0 && outputSize.pair.1 > 0, "adaptiveAvgPool2d: output size \(outputSize) must be positive")
    let backend = x.backend
    let out = backend.adaptiveAvgPool2d(x, outputSize: outputSize.pair)
    return Tensor.record(out, "adaptiveAvgPool2d", [x]) { [shape = x.shape] dOut in
        [backend.adaptiveAvgPool2dBackward(dOut, inputShape: shape)]
    }
}

private func poolParameters(_ x: Tensor, _ kernel: IntPair, _ stride: IntPair?, _ padding: IntPair, _ name: String) -> Pool2dParameters {
    require(x.rank == 4, "\(name) expects [N, C, H, W], got \(x.shape)")
    let p = Pool2dParameters(kernel: kernel.pair, stride: (stride ?? kernel).pair, padding: padding.pair)
    require(p.kernel.0 > 0 && p.kernel.1 > 0 && p.stride.0 > 0 && p.stride.1 > 0, "\(name): invalid \(p)")
    require(p.padding.0 <= p.kernel.0 / 2 && p.padding.1 <= p.kernel.1 / 2,
            "\(name): padding \(padding) must be at most half the kernel \(kernel)")
    let (oh, ow) = p.outputSize(height: x.shape[2], width: x.shape[3])
    require(oh > 0 && ow > 0, "\(name): input \(x.shape) is too small for \(p)")
    return p
}

/// Max pooling as plain loops over Double; also returns the gradient for `dOut` routed to each
/// window's first maximum. For reading and tests.
public func maxPool2dReference(_ x: Tensor, kernel: IntPair, stride: IntPair? = nil, padding: IntPair = 0,
                               dOut: Tensor? = nil) -> (out: Tensor, dInput: Tensor?) {
    let p = poolParameters(x, kernel, stride, padding, "maxPool2d")
    return poolReference(x, p, dOut) { values in
        var best = 0
        for (i, v) in values.enumerated() where v > values[best] { best = i }  // strict >: first maximum wins
        return (values[best], values.indices.map { $0 == best ? 1 : 0 })
    }
}

/// Average pooling as plain loops over Double (divisor kh·kw); also returns the gradient for `dOut`.
public func avgPool2dReference(_ x: Tensor, kernel: IntPair, stride: IntPair? = nil, padding: IntPair = 0,
                               dOut: Tensor? = nil) -> (out: Tensor, dInput: Tensor?) {
    let p = poolParameters(x, kernel, stride, padding, "avgPool2d")
    let area = Double(p.kernel.0 * p.kernel.1)
    return poolReference(x, p, dOut) { values in
        (values.reduce(0, +) / area, values.map { _ in 1 / area })
    }
}

/// Runs `window` (values inside the image → output value and ∂out/∂value) over every window.
private func poolReference(_ x: Tensor, _ p: Pool2dParameters, _ dOut: Tensor?,
                           _ window: ([Double]) -> (Double, [Double])) -> (out: Tensor, dInput: Tensor?) {
    let (N, C, H, W) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (OH, OW) = p.outputSize(height: H, width: W)
    let xs = x.doubles, d = dOut?.doubles
    var out = [Double](repeating: 0, count: N * C * OH * OW), dx = [Double](repeating: 0, count: x.count)
    for plane in 0..<(N * C) {
        for i in 0..<OH {
            for j in 0..<OW {
                var indices: [Int] = []
                for y in (i * p.stride.0 - p.padding.0)..<(i * p.stride.0 - p.padding.0 + p.kernel.0) where y >= 0 && y < H {
                    for z in (j * p.stride.1 - p.padding.1)..<(j * p.stride.1 - p.padding.1 + p.kernel.1) where z >= 0 && z < W {
                        indices.append((plane * H + y) * W + z)
                    }
                }
                let (value, partials) = window(indices.map { xs[$0] })
                let o = (plane * OH + i) * OW + j
                out[o] = value
                if let d { for (k, idx) in indices.enumerated() { dx[idx] += d[o] * partials[k] } }
            }
        }
    }
    let t = Tensor(zeros: [N, C, OH, OW], dtype: x.dtype)
    t.setElements(out)
    var g: Tensor?
    if d != nil { g = Tensor(zeros: x.shape, dtype: x.dtype); g!.setElements(dx) }
    return (t, g)
}
