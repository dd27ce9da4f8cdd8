// Batch-norm kernels on the CPU, one channel per unit of work. Must equal batch norm composed from
// primitive ops (mean, subtract, multiply, …), which the tests check.
//
//   forward   x̂ = (x − μ_c) · s_c,   s_c = 1/√(σ²_c + ε),   y = γ_c · x̂ + β_c
//   backward  dβ_c = Σ dy,   dγ_c = Σ dy · x̂,
//             dx = γ_c · s_c / M · (M · dy − dβ_c − x̂ · dγ_c)      (M = N·H·W, statistics from the batch)

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

    /// Mean and biased variance per channel, two passes. Each plane is summed in `T`, planes are
    /// added in Double, so long channels keep their precision in Float32.
    func momentsKernel<T: FloatElement>(_ x: Tensor, _: T.Type) -> (mean: Tensor, variance: Tensor) {
        let (N, C) = (x.shape[0], x.shape[1]), HW = x.count / max(N * C, 1)
        let mean = Tensor(zeros: [C], dtype: x.dtype), variance = Tensor(zeros: [C], dtype: x.dtype)
        let src = x.pointer(T.self), mp = mean.pointer(T.self), vp = variance.pointer(T.self)
        let M = Double(N * HW)
        parallelFor(C) { channels in
            for c in channels {
                var total = 0.0
                for n in 0..<N {
                    let p = src + (n * C + c) * HW
                    var s: T = 0
                    for i in 0..<HW { s += p[i] }
                    total += Double(s)
                }
                let mu = T(total / M)
                var squares = 0.0
                for n in 0..<N {
                    let p = src + (n * C + c) * HW
                    var s: T = 0
                    for i in 0..<HW { let d = p[i] - mu; s += d * d }
                    squares += Double(s)
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
        parallelFor(N * C) { planes in
            for plane in planes {
                let c = plane % C
                let scale = sp[c] * (gp?[c] ?? 1)           // y = x·a + b
                let shift = (bp?[c] ?? 0) - mp[c] * scale
                let i0 = plane * HW
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
        let M = T(N * HW)
        parallelFor(C) { channels in
            for c in channels {
                let mu = mp[c], s = sp[c]
                var sumDy = 0.0, sumDyXhat = 0.0
                for n in 0..<N {
                    let o = (n * C + c) * HW
                    var a: T = 0, b: T = 0
                    for i in o..<(o + HW) { a += dy[i]; b += dy[i] * (xs[i] - mu) }
                    sumDy += Double(a)
                    sumDyXhat += Double(b)
                }
                let dBetaC = T(sumDy), dGammaC = T(sumDyXhat) * s
                db[c] = dBetaC
                dg[c] = dGammaC
                let k = (gp?[c] ?? 1) * s / M
                for n in 0..<N {
                    let o = (n * C + c) * HW
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
