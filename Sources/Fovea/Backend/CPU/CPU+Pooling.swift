// Pooling kernels on the CPU. Each (image, channel) plane is independent, so planes are split
// across threads. Must equal Ops/Pooling.swift's reference loops (tested).

import CKernels

extension CPUBackend {
    public func maxPool2d(_ x: Tensor, _ p: Pool2dParameters) -> (out: Tensor, argmax: [Int32]) {
        switch x.dtype {
        case .float32: maxPoolKernel(x, p, Float.self)
        case .float64: maxPoolKernel(x, p, Double.self)
        case .int64: requirementFailed("maxPool2d is not defined for int64 tensors")
        }
    }

    public func maxPool2dBackward(_ dOut: Tensor, argmax: [Int32], inputShape: [Int]) -> Tensor {
        switch dOut.dtype {
        case .float32: maxPoolBackwardKernel(dOut, argmax, inputShape, Float.self)
        case .float64: maxPoolBackwardKernel(dOut, argmax, inputShape, Double.self)
        case .int64: requirementFailed("maxPool2d is not defined for int64 tensors")
        }
    }

    public func avgPool2d(_ x: Tensor, _ p: Pool2dParameters) -> Tensor {
        switch x.dtype {
        case .float32: avgPoolKernel(x, p, Float.self)
        case .float64: avgPoolKernel(x, p, Double.self)
        case .int64: requirementFailed("avgPool2d is not defined for int64 tensors")
        }
    }

    public func avgPool2dBackward(_ dOut: Tensor, inputShape: [Int], _ p: Pool2dParameters) -> Tensor {
        switch dOut.dtype {
        case .float32: avgPoolBackwardKernel(dOut, inputShape, p, Float.self)
        case .float64: avgPoolBackwardKernel(dOut, inputShape, p, Double.self)
        case .int64: requirementFailed("avgPool2d is not defined for int64 tensors")
        }
    }

    public func adaptiveAvgPool2d(_ x: Tensor, outputSize: (Int, Int)) -> Tensor {
        switch x.dtype {
        case .float32: adaptiveKernel(x, outputSize, Float.self)
        case .float64: adaptiveKernel(x, outputSize, Double.self)
        case .int64: requirementFailed("adaptiveAvgPool2d is not defined for int64 tensors")
        }
    }

    public func adaptiveAvgPool2dBackward(_ dOut: Tensor, inputShape: [Int]) -> Tensor {
        switch dOut.dtype {
        case .float32: adaptiveBackwardKernel(dOut, inputShape, Float.self)
        case .float64: adaptiveBackwardKernel(dOut, inputShape, Double.self)
        case .int64: requirementFailed("adaptiveAvgPool2d is not defined for int64 tensors")
        }
    }

    /// Window of output `o` along one axis, clipped to the image: `[o·s − pad, o·s − pad + k) ∩ [0, n)`.
    @inline(__always)
    func window(_ o: Int, _ s: Int, _ pad: Int, _ k: Int, _ n: Int) -> Range<Int> {
        let start = o * s - pad
        return max(start, 0)..<min(start + k, n)
    }

    func maxPoolKernel<T: FloatElement>(_ x: Tensor, _ p: Pool2dParameters, _: T.Type) -> (out: Tensor, argmax: [Int32]) {
        let (N, C, H, W) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (OH, OW) = p.outputSize(height: H, width: W)
        let out = Tensor(uninitialized: [N, C, OH, OW], dtype: x.dtype)
        var argmax = [Int32](repeating: -1, count: out.count)
        let src = x.pointer(T.self), dst = out.pointer(T.self)
        argmax.withUnsafeMutableBufferPointer { idx in
            let idx = idx.baseAddress!
            if T.self == Float.self && p.kernel == (2, 2) && p.stride == (2, 2) && p.padding == (0, 0) {
                // 2×2, stride 2: sixteen windows at once with AVX-512 (Sources/CKernels), else eight
                // in Swift SIMD (CPU+Pooling2x2.swift).
                if Self.avx512KernelsEnabled {
                    let xs = UnsafeRawPointer(src).assumingMemoryBound(to: Float.self)
                    let os = UnsafeMutableRawPointer(dst).assumingMemoryBound(to: Float.self)
                    parallelFor(N * C, grain: 4) { planes in
                        for plane in planes {
                            fovea_maxpool2x2_plane(xs + plane * H * W, Int32(W), Int32(OH), Int32(OW),
                                                   os + plane * OH * OW, idx + plane * OH * OW)
                        }
                    }
                    return
                }
                let xs = UnsafeRawPointer(src), os = UnsafeMutableRawPointer(dst)
                parallelFor(N * C, grain: 4) { planes in
                    for plane in planes {
                        maxPool2x2Plane(xs + 4 * plane * H * W, width: W, outHeight: OH, outWidth: OW,
                                        out: os + 4 * plane * OH * OW, argmax: idx + plane * OH * OW)
                    }
                }
                return
            }
            if p.kernel.0 <= p.stride.0 && p.kernel.1 <= p.stride.1 && p.padding == (0, 0) {
                // Windows that do not overlap and lie inside the image (2×2 with stride 2 in Double;
                // 1×1 windows pick pixels): no clipping.
                let (kh, kw) = p.kernel, (sh, sw) = p.stride
                parallelFor(N * C, grain: 4) { planes in
                    for plane in planes {
                        let xp = src + plane * H * W, op = dst + plane * OH * OW, ip = idx + plane * OH * OW
                        for oh in 0..<OH {
                            for ow in 0..<OW {
                                var at = oh * sh * W + ow * sw
                                var best = xp[at]   // the window's first value; the loop compares the others
                                for i in 0..<kh {
                                    let row = (oh * sh + i) * W + ow * sw
                                    for j in (i == 0 ? 1 : 0)..<kw where xp[row + j] > best || (xp[row + j].isNaN && !best.isNaN) {
                                        best = xp[row + j]
                                        at = row + j
                                    }
                                }
                                op[oh * OW + ow] = best
                                ip[oh * OW + ow] = Int32(at)
                            }
                        }
                    }
                }
                return
            }
            parallelFor(N * C) { planes in
                for plane in planes {
                    let xp = src + plane * H * W, op = dst + plane * OH * OW, ip = idx + plane * OH * OW
                    for oh in 0..<OH {
                        let rows = window(oh, p.stride.0, p.padding.0, p.kernel.0, H)
                        for ow in 0..<OW {
                            let cols = window(ow, p.stride.1, p.padding.1, p.kernel.1, W)
                            var best = -T.infinity, at = -1
                            for ih in rows {
                                for iw in cols {
                                    let v = xp[ih * W + iw]
                                    if v > best || v.isNaN || at < 0 { best = v; at = ih * W + iw }  // strict: first max wins
                                    if v.isNaN { break }
                                }
                            }
                            op[oh * OW + ow] = best
                            ip[oh * OW + ow] = Int32(at)
                        }
                    }
                }
            }
        }
        return (out, argmax)
    }

    func maxPoolBackwardKernel<T: FloatElement>(_ dOut: Tensor, _ argmax: [Int32], _ inputShape: [Int], _: T.Type) -> Tensor {
        let dx = Tensor(zeros: inputShape, dtype: dOut.dtype)
        let planeIn = inputShape[2] * inputShape[3], planeOut = dOut.shape[2] * dOut.shape[3]
        let d = dOut.pointer(T.self), dst = dx.pointer(T.self)
        argmax.withUnsafeBufferPointer { idx in
            parallelFor(inputShape[0] * inputShape[1]) { planes in
                for plane in planes {
                    for o in 0..<planeOut {
                        let at = Int(idx[plane * planeOut + o])
                        if at >= 0 { dst[plane * planeIn + at] += d[plane * planeOut + o] }
                    }
                }
            }
        }
        return dx
    }

    func avgPoolKernel<T: FloatElement>(_ x: Tensor, _ p: Pool2dParameters, _: T.Type) -> Tensor {
        let (N, C, H, W) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (OH, OW) = p.outputSize(height: H, width: W)
        let out = Tensor(uninitialized: [N, C, OH, OW], dtype: x.dtype)
        let area = T(p.kernel.0 * p.kernel.1)  // padding counts in the divisor, as PyTorch's default
        let src = x.pointer(T.self), dst = out.pointer(T.self)
        parallelFor(N * C) { planes in
            for plane in planes {
                let xp = src + plane * H * W, op = dst + plane * OH * OW
                for oh in 0..<OH {
                    let rows = window(oh, p.stride.0, p.padding.0, p.kernel.0, H)
                    for ow in 0..<OW {
                        let cols = window(ow, p.stride.1, p.padding.1, p.kernel.1, W)
                        var s: T = 0
                        for ih in rows { for iw in cols { s += xp[ih * W + iw] } }
                        op[oh * OW + ow] = s / area
                    }
                }
            }
        }
        return out
    }

    func avgPoolBackwardKernel<T: FloatElement>(_ dOut: Tensor, _ inputShape: [Int], _ p: Pool2dParameters, _: T.Type) -> Tensor {
        let dx = Tensor(zeros: inputShape, dtype: dOut.dtype)
        let (H, W) = (inputShape[2], inputShape[3]), (OH, OW) = (dOut.shape[2], dOut.shape[3])
        let area = T(p.kernel.0 * p.kernel.1)
        let d = dOut.pointer(T.self), dst = dx.pointer(T.self)
        parallelFor(inputShape[0] * inputShape[1]) { planes in
            for plane in planes {
                let dp = d + plane * OH * OW, xp = dst + plane * H * W
                for oh in 0..<OH {
                    let rows = window(oh, p.stride.0, p.padding.0, p.kernel.0, H)
                    for ow in 0..<OW {
                        let cols = window(ow, p.stride.1, p.padding.1, p.kernel.1, W)
                        let g = dp[oh * OW + ow] / area
                        for ih in rows { for iw in cols { xp[ih * W + iw] += g } }
                    }
                }
            }
        }
        return dx
    }

    /// Adaptive window `i` of `out` over `n` inputs: `[⌊i·n/out⌋, ⌈(i+1)·n/out⌉)`.
    @inline(__always)
    func adaptiveWindow(_ i: Int, _ out: Int, _ n: Int) -> Range<Int> {
        (i * n / out)..<(((i + 1) * n + out - 1) / out)
    }

    func adaptiveKernel<T: FloatElement>(_ x: Tensor, _ size: (Int, Int), _: T.Type) -> Tensor {
        let (N, C, H, W) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (OH, OW) = size
        let out = Tensor(uninitialized: [N, C, OH, OW], dtype: x.dtype)
        let src = x.pointer(T.self), dst = out.pointer(T.self)
        parallelFor(N * C) { planes in
            for plane in planes {
                let xp = src + plane * H * W
                for oh in 0..<OH {
                    let rows = adaptiveWindow(oh, OH, H)
                    for ow in 0..<OW {
                        let cols = adaptiveWindow(ow, OW, W)
                        var s: T = 0
                        for ih in rows { for iw in cols { s += xp[ih * W + iw] } }
                        dst[plane * OH * OW + oh * OW + ow] = s / T(rows.count * cols.count)
                    }
                }
            }
        }
        return out
    }

    func adaptiveBackwardKernel<T: FloatElement>(_ dOut: Tensor, _ inputShape: [Int], _: T.Type) -> Tensor {
        let dx = Tensor(zeros: inputShape, dtype: dOut.dtype)
        let (H, W) = (inputShape[2], inputShape[3]), (OH, OW) = (dOut.shape[2], dOut.shape[3])
        let d = dOut.pointer(T.self), dst = dx.pointer(T.self)
        parallelFor(inputShape[0] * inputShape[1]) { planes in
            for plane in planes {
                let xp = dst + plane * H * W
                for oh in 0..<OH {
                    let rows = adaptiveWindow(oh, OH, H)
                    for ow in 0..<OW {
                        let cols = adaptiveWindow(ow, OW, W)
                        let g = d[plane * OH * OW + oh * OW + ow] / T(rows.count * cols.count)
                        for ih in rows { for iw in cols { xp[ih * W + iw] += g } }
                    }
                }
            }
        }
        return dx
    }
}
