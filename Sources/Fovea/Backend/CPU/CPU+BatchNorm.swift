// Batch-norm kernels on the CPU, one channel per unit of work. Must equal batch norm composed from
// primitive ops (mean, subtract, multiply, …), which the tests check.
//
//   forward   x̂ = (x − μ_c) · s_c,   s_c = 1/√(σ²_c + ε),   y = γ_c · x̂ + β_c
//   backward  dβ_c = Σ dy,   dγ_c = Σ dy · x̂,
//             dx = γ_c · s_c / M · (M · dy − dβ_c − x̂ · dγ_c)      (M = N·H·W, statistics from the batch)
//
// In Float32 on CPUs with AVX-512 the plane loops run in Sources/CKernels/fovea_batchnorm.c (16
// lanes; Swift's own SIMD code here compiles to 4-lane SSE): the same formulas and the same 16
// partial sums per plane, added across the lanes in another order.
import CKernels

extension CPUBackend {
    public func channelMoments(_ x: Tensor) -> (mean: Tensor, variance: Tensor) {
        switch x.dtype {
        case .float32: momentsKernel(x, Float.self)
        case .float64: momentsKernel(x, Double.self)
        case .int64: requirementFailed("batch norm is not defined for int64 tensors")
        }
    }

    public func batchNormApply(_ x: Tensor, mean: Tensor, invStd: Tensor, gamma: Tensor?, beta: Tensor?) -> Tensor {
        switch x.dtype {
        case .float32: applyKernel(x, mean, invStd, gamma, beta, Float.self)
        case .float64: applyKernel(x, mean, invStd, gamma, beta, Double.self)
        case .int64: requirementFailed("batch norm is not defined for int64 tensors")
        }
    }

    public func batchNormBackward(_ dOut: Tensor, x: Tensor, mean: Tensor, invStd: Tensor, gamma: Tensor?)
        -> (dInput: Tensor, dGamma: Tensor, dBeta: Tensor) {
        switch x.dtype {
        case .float32: bnBackwardKernel(dOut, x, mean, invStd, gamma, Float.self)
        case .float64: bnBackwardKernel(dOut, x, mean, invStd, gamma, Double.self)
        case .int64: requirementFailed("batch norm is not defined for int64 tensors")
        }
    }

    /// Mean and biased variance per channel, two passes. Each plane is summed in `T` (in 16 lanes,
    /// see `laneSum`), planes are added in Double, so long channels keep their precision in Float32.
    func momentsKernel<T: FloatElement>(_ x: Tensor, _: T.Type) -> (mean: Tensor, variance: Tensor) {
        let (N, C) = (x.shape[0], x.shape[1]), HW = x.count / max(N * C, 1)
        let mean = Tensor(zeros: [C], dtype: x.dtype), variance = Tensor(zeros: [C], dtype: x.dtype)
        let src = x.pointer(T.self), mp = mean.pointer(T.self), vp = variance.pointer(T.self)
        let M = Double(N * HW), avx512 = T.self == Float.self && Self.avx512KernelsEnabled
        let floats = UnsafeRawPointer(src).assumingMemoryBound(to: Float.self)
        parallelFor(C) { channels in
            for c in channels {
                var total = 0.0
                for n in 0..<N {
                    let o = (n * C + c) * HW
                    total += avx512 ? Double(fovea_lane_sum(floats + o, HW)) : Double(laneSum(src + o, HW))
                }
                let mu = T(total / M)
                var squares = 0.0
                for n in 0..<N {
                    let o = (n * C + c) * HW
                    squares += avx512 ? Double(fovea_lane_sum_of_squares(floats + o, HW, Float(mu)))
                                      : Double(laneSumOfSquares(src + o, HW, minus: mu))
                }
                mp[c] = mu
                vp[c] = T(squares / M)
            }
        }
        return (mean, variance)
    }

    func applyKernel<T: FloatElement>(_ x: Tensor, _ mean: Tensor, _ invStd: Tensor, _ gamma: Tensor?, _ beta: Tensor?, _: T.Type) -> Tensor {
        let (N, C) = (x.shape[0], x.shape[1]), HW = x.count / max(N * C, 1)
        let out = Tensor(uninitialized: x.shape, dtype: x.dtype)
        let src = x.pointer(T.self), dst = out.pointer(T.self)
        let mp = mean.pointer(T.self), sp = invStd.pointer(T.self)
        let gp = gamma?.pointer(T.self), bp = beta?.pointer(T.self)
        let avx512 = T.self == Float.self && Self.avx512KernelsEnabled
        parallelFor(N * C) { planes in
            for plane in planes {
                let c = plane % C
                let scale = sp[c] * (gp?[c] ?? 1)           // y = x·a + b
                let shift = (bp?[c] ?? 0) - mp[c] * scale
                let i0 = plane * HW
                if avx512 {
                    fovea_scale_shift(UnsafeRawPointer(src + i0).assumingMemoryBound(to: Float.self),
                                      UnsafeMutableRawPointer(dst + i0).assumingMemoryBound(to: Float.self), HW,
                                      Float(scale), Float(shift))
                    continue
                }
                for i in i0..<(i0 + HW) { dst[i] = src[i] * scale + shift }
            }
        }
        return out
    }

    func bnBackwardKernel<T: FloatElement>(_ dOut: Tensor, _ x: Tensor, _ mean: Tensor, _ invStd: Tensor, _ gamma: Tensor?, _: T.Type)
        -> (dInput: Tensor, dGamma: Tensor, dBeta: Tensor) {
        let (N, C) = (x.shape[0], x.shape[1]), HW = x.count / max(N * C, 1)
        let dx = Tensor(uninitialized: x.shape, dtype: x.dtype)
        let dGamma = Tensor(zeros: [C], dtype: x.dtype), dBeta = Tensor(zeros: [C], dtype: x.dtype)
        let xs = x.pointer(T.self), dy = dOut.pointer(T.self), dxs = dx.pointer(T.self)
        let mp = mean.pointer(T.self), sp = invStd.pointer(T.self), gp = gamma?.pointer(T.self)
        let dg = dGamma.pointer(T.self), db = dBeta.pointer(T.self)
        let M = T(N * HW), avx512 = T.self == Float.self && Self.avx512KernelsEnabled
        let xf = UnsafeRawPointer(xs).assumingMemoryBound(to: Float.self), df = UnsafeRawPointer(dy).assumingMemoryBound(to: Float.self)
        let dxf = UnsafeMutableRawPointer(dxs).assumingMemoryBound(to: Float.self)
        parallelFor(C) { channels in
            for c in channels {
                let mu = mp[c], s = sp[c]
                var sumDy = 0.0, sumDyXhat = 0.0
                for n in 0..<N {
                    let o = (n * C + c) * HW
                    if avx512 {
                        var a: Float = 0, b: Float = 0
                        fovea_lane_sum_and_dot(df + o, xf + o, HW, Float(mu), &a, &b)
                        sumDy += Double(a)
                        sumDyXhat += Double(b)
                        continue
                    }
                    let (a, b) = laneSumAndDot(dy + o, xs + o, HW, minus: mu)
                    sumDy += Double(a)
                    sumDyXhat += Double(b)
                }
                let dBetaC = T(sumDy), dGammaC = T(sumDyXhat) * s
                db[c] = dBetaC
                dg[c] = dGammaC
                let k = (gp?[c] ?? 1) * s / M
                for n in 0..<N {
                    let o = (n * C + c) * HW
                    if avx512 {
                        fovea_batchnorm_input_gradient(xf + o, df + o, dxf + o, HW, Float(mu), Float(s), Float(k), Float(M),
                                                       Float(dBetaC), Float(dGammaC))
                        continue
                    }
                    for i in o..<(o + HW) {
                        let xhat = (xs[i] - mu) * s
                        dxs[i] = k * (M * dy[i] - dBetaC - xhat * dGammaC)
                    }
                }
            }
        }
        return (dx, dGamma, dBeta)
    }
}

// Plane sums for batch norm. A plain `s += p[i]` loop runs one add at a time (the compiler may not
// reorder floating-point additions), which made the batch-norm kernels a tenth of a ResNet training
// step. These keep 16 partial sums in SIMD lanes, always in the same order, so the result is the
// same on every run and thread count; Double tensors keep the plain loops.

/// Σ p[i], i < n.
@inline(__always)
func laneSum<T: FloatElement>(_ p: UnsafeMutablePointer<T>, _ n: Int) -> T {
    guard T.self == Float.self else { var s: T = 0; for i in 0..<n { s += p[i] }; return s }
    let raw = UnsafeRawPointer(p)
    var acc = SIMD16<Float>(), i = 0
    while i + 16 <= n { acc += raw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self); i += 16 }
    var s = acc.sum()
    let f = raw.assumingMemoryBound(to: Float.self)
    while i < n { s += f[i]; i += 1 }
    return unsafeBitCast(s, to: T.self)
}

/// Σ (p[i] − mu)², i < n.
@inline(__always)
func laneSumOfSquares<T: FloatElement>(_ p: UnsafeMutablePointer<T>, _ n: Int, minus mu: T) -> T {
    guard T.self == Float.self else { var s: T = 0; for i in 0..<n { let d = p[i] - mu; s += d * d }; return s }
    let raw = UnsafeRawPointer(p), m = unsafeBitCast(mu, to: Float.self)
    var acc = SIMD16<Float>(), i = 0
    while i + 16 <= n {
        let d = raw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self) - m
        acc += d * d
        i += 16
    }
    var s = acc.sum()
    let f = raw.assumingMemoryBound(to: Float.self)
    while i < n { let d = f[i] - m; s += d * d; i += 1 }
    return unsafeBitCast(s, to: T.self)
}

/// (Σ dy[i], Σ dy[i]·(x[i] − mu)), i < n.
@inline(__always)
func laneSumAndDot<T: FloatElement>(_ dy: UnsafeMutablePointer<T>, _ x: UnsafeMutablePointer<T>, _ n: Int, minus mu: T) -> (T, T) {
    guard T.self == Float.self else {
        var a: T = 0, b: T = 0
        for i in 0..<n { a += dy[i]; b += dy[i] * (x[i] - mu) }
        return (a, b)
    }
    let g = UnsafeRawPointer(dy), v = UnsafeRawPointer(x), m = unsafeBitCast(mu, to: Float.self)
    var sum = SIMD16<Float>(), dot = SIMD16<Float>(), i = 0
    while i + 16 <= n {
        let d = g.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self)
        sum += d
        dot += d * (v.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self) - m)
        i += 16
    }
    var a = sum.sum(), b = dot.sum()
    let gf = g.assumingMemoryBound(to: Float.self), vf = v.assumingMemoryBound(to: Float.self)
    while i < n { a += gf[i]; b += gf[i] * (vf[i] - m); i += 1 }
    return (unsafeBitCast(a, to: T.self), unsafeBitCast(b, to: T.self))
}
