// Elementwise kernels: each unary op's function and its derivative side by side, and broadcasting
// binary ops. Plain loops over unsafe pointers, which the compiler turns into SIMD code.

extension CPUBackend {
    public func unary(_ op: UnaryOp, _ x: Tensor) -> Tensor {
        switch x.dtype {
        case .float32: unaryKernel(op, x, Float.self)
        case .float64: unaryKernel(op, x, Double.self)
        case .int64: requirementFailed("\(op) is not defined for int64 tensors")
        }
    }

    public func unaryBackward(_ op: UnaryOp, x: Tensor, out: Tensor, dOut: Tensor) -> Tensor {
        switch x.dtype {
        case .float32: unaryBackwardKernel(op, x, out, dOut, Float.self)
        case .float64: unaryBackwardKernel(op, x, out, dOut, Double.self)
        case .int64: requirementFailed("\(op) is not defined for int64 tensors")
        }
    }

    public func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor) -> Tensor {
        require(a.dtype == b.dtype, "\(op): dtypes differ, \(a.dtype) and \(b.dtype)")
        switch a.dtype {
        case .float32: return binaryKernel(op, a, b, Float.self)
        case .float64: return binaryKernel(op, a, b, Double.self)
        case .int64: requirementFailed("\(op) is not defined for int64 tensors")
        }
    }

    /// Applies `f` to every element, split across threads for large tensors.
    @inline(__always)
    func map<T: FloatElement>(_ x: Tensor, _: T.Type, _ f: (T) -> T) -> Tensor {
        let out = Tensor(uninitialized: x.shape, dtype: x.dtype)
        let src = x.pointer(T.self), dst = out.pointer(T.self)
        parallelFor(x.count, grain: elementwiseGrain) { r in
            for i in r { dst[i] = f(src[i]) }
        }
        return out
    }

    /// `dOut[i] · g(x[i], out[i])` for every element.
    @inline(__always)
    func mapBackward<T: FloatElement>(_ x: Tensor, _ y: Tensor, _ dOut: Tensor, _: T.Type, _ g: (T, T) -> T) -> Tensor {
        let dx = Tensor(uninitialized: x.shape, dtype: x.dtype)
        let xs = x.pointer(T.self), ys = y.pointer(T.self), d = dOut.pointer(T.self), dst = dx.pointer(T.self)
        parallelFor(x.count, grain: elementwiseGrain) { r in
            for i in r { dst[i] = d[i] * g(xs[i], ys[i]) }
        }
        return dx
    }

    /// Φ(x) = ½(1 + erf(x/√2)), the standard normal distribution function.
    @inline(__always)
    func normalCDF<T: FloatElement>(_ x: T) -> T { T(0.5) * (1 + T.erf(x * T(0.70710678118654752440))) }

    /// φ(x) = e^(−x²/2)/√(2π), the standard normal density.
    @inline(__always)
    func normalPDF<T: FloatElement>(_ x: T) -> T { T(0.39894228040143267794) * T.exp(T(-0.5) * x * x) }

    /// f(x) for each unary op.
    func unaryKernel<T: FloatElement>(_ op: UnaryOp, _ x: Tensor, _ t: T.Type) -> Tensor {
        switch op {
        case .neg: map(x, t) { -$0 }
        case .exp: map(x, t) { T.exp($0) }
        case .log: map(x, t) { T.log($0) }
        case .sqrt: map(x, t) { $0.squareRoot() }
        case .abs: map(x, t) { Swift.abs($0) }
        case .sign: map(x, t) { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }
        case .relu: reluKernel(x, t)
        case .sigmoid: map(x, t) { 1 / (1 + T.exp(-$0)) }
        case .tanh: map(x, t) { T.tanh($0) }
        case .gelu: geluKernel(x, t)                                              // CPU+GELU.swift
        case .pow(let p):
            if p == 2 { map(x, t) { $0 * $0 } }
            else if p == p.rounded(), Swift.abs(p) < 64 { map(x, t) { T.pow($0, Int(p)) } }  // defined for x < 0 too
            else { map(x, t) { T.pow($0, T(p)) } }
        case .leakyRelu(let slope): map(x, t) { $0 > 0 ? $0 : T(slope) * $0 }
        case .clamp(let lo, let hi): map(x, t) { Swift.min(Swift.max($0, T(lo)), T(hi)) }
        case .addScalar(let s): map(x, t) { $0 + T(s) }
        case .mulScalar(let s): map(x, t) { $0 * T(s) }
        case .reciprocalTimes(let s): map(x, t) { T(s) / $0 }
        }
    }

    /// dOut · f′(x) for each unary op (y = f(x) where the derivative is cheaper from it).
    func unaryBackwardKernel<T: FloatElement>(_ op: UnaryOp, _ x: Tensor, _ y: Tensor, _ dOut: Tensor, _ t: T.Type) -> Tensor {
        switch op {
        case .neg: mapBackward(x, y, dOut, t) { _, _ in -1 }
        case .exp: mapBackward(x, y, dOut, t) { _, y in y }                      // (eˣ)′ = eˣ
        case .log: mapBackward(x, y, dOut, t) { x, _ in 1 / x }                  // (ln x)′ = 1/x
        case .sqrt: mapBackward(x, y, dOut, t) { _, y in 1 / (2 * y) }           // (√x)′ = 1/(2√x)
        case .abs: mapBackward(x, y, dOut, t) { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) }  // sign(x), 0 at 0
        case .sign: mapBackward(x, y, dOut, t) { _, _ in 0 }                                 // flat almost everywhere
        case .relu: reluBackwardKernel(x, dOut, t)                               // 0 at x = 0, as PyTorch
        case .sigmoid: mapBackward(x, y, dOut, t) { _, y in y * (1 - y) }        // σ′ = σ(1 − σ)
        case .tanh: mapBackward(x, y, dOut, t) { _, y in 1 - y * y }             // tanh′ = 1 − tanh²
        case .gelu: geluBackwardKernel(x, dOut, t)                               // (xΦ)′ = Φ + xφ, CPU+GELU.swift
        case .pow(let p):
            if p == p.rounded(), Swift.abs(p) < 64 { mapBackward(x, y, dOut, t) { x, _ in T(p) * T.pow(x, Int(p) - 1) } }
            else { mapBackward(x, y, dOut, t) { x, _ in T(p) * T.pow(x, T(p - 1)) } }
        case .leakyRelu(let slope): mapBackward(x, y, dOut, t) { x, _ in x > 0 ? 1 : T(slope) }
        case .clamp(let lo, let hi): mapBackward(x, y, dOut, t) { x, _ in x >= T(lo) && x <= T(hi) ? 1 : 0 }
        case .addScalar: mapBackward(x, y, dOut, t) { _, _ in 1 }
        case .mulScalar(let s): mapBackward(x, y, dOut, t) { _, _ in T(s) }
        case .reciprocalTimes(let s): mapBackward(x, y, dOut, t) { x, _ in -T(s) / (x * x) }
        }
    }

    func binaryKernel<T: FloatElement>(_ op: BinaryOp, _ a: Tensor, _ b: Tensor, _ t: T.Type) -> Tensor {
        if a.shape == b.shape, op == .add { return addKernel(a, b, t) }
        switch op {
        case .add: return broadcastCombine(a, b, t, +)
        case .sub: return broadcastCombine(a, b, t, -)
        case .mul: return broadcastCombine(a, b, t, *)
        case .div: return broadcastCombine(a, b, t, /)
        }
    }

    /// `f(a, b)` with NumPy broadcasting: shapes are aligned at the right, and a size-1 (or
    /// missing) dimension repeats to match the other. The inner loop runs along the last axis.
    @inline(__always)
    func broadcastCombine<T: FloatElement>(_ a: Tensor, _ b: Tensor, _: T.Type, _ f: (T, T) -> T) -> Tensor {
        let shape = broadcastShape(a.shape, b.shape)
        let out = Tensor(uninitialized: shape, dtype: a.dtype)
        let pa = a.pointer(T.self), pb = b.pointer(T.self), po = out.pointer(T.self)
        let n = out.count
        if a.shape == b.shape {
            parallelFor(n, grain: elementwiseGrain) { r in for i in r { po[i] = f(pa[i], pb[i]) } }
            return out
        }
        if b.count == 1 {
            let s = pb[0]
            parallelFor(n, grain: elementwiseGrain) { r in for i in r { po[i] = f(pa[i], s) } }
            return out
        }
        if a.count == 1 {
            let s = pa[0]
            parallelFor(n, grain: elementwiseGrain) { r in for i in r { po[i] = f(s, pb[i]) } }
            return out
        }
        let sa = broadcastStrides(a.shape, to: shape), sb = broadcastStrides(b.shape, to: shape)
        let rank = shape.count
        let inner = shape[rank - 1], ia = sa[rank - 1], ib = sb[rank - 1]
        let rows = n / max(inner, 1)
        parallelFor(rows, grain: max(1, elementwiseGrain / max(inner, 1))) { r in
            for row in r {
                // Offsets of this row in a and b: peel the row index into the outer coordinates.
                var rest = row, oa = 0, ob = 0
                for axis in stride(from: rank - 2, through: 0, by: -1) {
                    let k = rest % shape[axis]
                    rest /= shape[axis]
                    oa += k * sa[axis]
                    ob += k * sb[axis]
                }
                let o = row * inner
                for j in 0..<inner { po[o + j] = f(pa[oa + j * ia], pb[ob + j * ib]) }
            }
        }
        return out
    }
}

// The hottest elementwise kernels in training, written as plain loops: a closure passed through
// the thread pool is called once per element, while these loops compile to vector instructions.
extension CPUBackend {
    /// max(x, 0)
    func reluKernel<T: FloatElement>(_ x: Tensor, _: T.Type) -> Tensor {
        let out = Tensor(uninitialized: x.shape, dtype: x.dtype)
        let src = x.pointer(T.self), dst = out.pointer(T.self)
        parallelFor(x.count, grain: elementwiseGrain) { r in
            var i = r.lowerBound
            if T.self == Float.self {  // 8 lanes at a time, a compare and a blend: no branches
                let s = UnsafeRawPointer(src), o = UnsafeMutableRawPointer(dst)
                while i + 8 <= r.upperBound {
                    let v = s.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
                    o.storeBytes(of: v.replacing(with: 0, where: .!(v .> 0)), toByteOffset: 4 * i, as: SIMD8<Float>.self)
                    i += 8
                }
            }
            while i < r.upperBound { let v = src[i]; dst[i] = v > 0 ? v : 0; i += 1 }
        }
        return out
    }

    /// dOut where x > 0, else 0. The mask is data (half the signs are random): a branch per
    /// element mispredicts half the time, so the Float path selects 8 lanes at once instead.
    func reluBackwardKernel<T: FloatElement>(_ x: Tensor, _ dOut: Tensor, _: T.Type) -> Tensor {
        let dx = Tensor(uninitialized: x.shape, dtype: x.dtype)
        let xs = x.pointer(T.self), d = dOut.pointer(T.self), dst = dx.pointer(T.self)
        parallelFor(x.count, grain: elementwiseGrain) { r in
            var i = r.lowerBound
            if T.self == Float.self {
                let s = UnsafeRawPointer(xs), g = UnsafeRawPointer(d), o = UnsafeMutableRawPointer(dst)
                while i + 8 <= r.upperBound {
                    let v = s.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
                    let grad = g.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
                    o.storeBytes(of: grad.replacing(with: 0, where: .!(v .> 0)), toByteOffset: 4 * i, as: SIMD8<Float>.self)
                    i += 8
                }
            }
            while i < r.upperBound { dst[i] = xs[i] > 0 ? d[i] : 0; i += 1 }
        }
        return dx
    }

    /// max(0, a + b), same shapes: the sum, then the comparison and blend of reluKernel, so the
    /// result is relu(a + b) to the bit.
    public func addReLU(_ a: Tensor, _ b: Tensor) -> Tensor {
        require(a.shape == b.shape && a.dtype == b.dtype, "addReLU: \(a.shape) \(a.dtype) and \(b.shape) \(b.dtype) differ")
        switch a.dtype {
        case .float32: return addReLUKernel(a, b, Float.self)
        case .float64: return addReLUKernel(a, b, Double.self)
        case .int64: requirementFailed("addReLU is not defined for int64 tensors")
        }
    }

    func addReLUKernel<T: FloatElement>(_ a: Tensor, _ b: Tensor, _: T.Type) -> Tensor {
        let out = Tensor(uninitialized: a.shape, dtype: a.dtype)
        let pa = a.pointer(T.self), pb = b.pointer(T.self), po = out.pointer(T.self)
        parallelFor(a.count, grain: elementwiseGrain) { r in
            var i = r.lowerBound
            if T.self == Float.self {
                let sa = UnsafeRawPointer(pa), sb = UnsafeRawPointer(pb), o = UnsafeMutableRawPointer(po)
                while i + 8 <= r.upperBound {
                    let v = sa.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
                        + sb.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
                    o.storeBytes(of: v.replacing(with: 0, where: .!(v .> 0)), toByteOffset: 4 * i, as: SIMD8<Float>.self)
                    i += 8
                }
            }
            while i < r.upperBound { let v = pa[i] + pb[i]; po[i] = v > 0 ? v : 0; i += 1 }
        }
        return out
    }

    /// a + b, same shapes (residual connections, gradient accumulation)
    func addKernel<T: FloatElement>(_ a: Tensor, _ b: Tensor, _: T.Type) -> Tensor {
        let out = Tensor(uninitialized: a.shape, dtype: a.dtype)
        let pa = a.pointer(T.self), pb = b.pointer(T.self), po = out.pointer(T.self)
        parallelFor(a.count, grain: elementwiseGrain) { r in
            for i in r { po[i] = pa[i] + pb[i] }
        }
        return out
    }
}

/// The shape two broadcast operands produce (NumPy rules).
public func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int] {
    let rank = max(a.count, b.count)
    return (0..<rank).map { i in
        let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
        let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
        require(da == db || da == 1 || db == 1, "shapes \(a) and \(b) cannot be broadcast together")
        return da == 1 ? db : da
    }
}

/// Strides that read `shape` as if it had `target`'s shape: 0 along repeated dimensions.
func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
    let own = contiguousStrides(shape)
    let offset = target.count - shape.count
    return (0..<target.count).map { i in
        i < offset || shape[i - offset] == 1 ? 0 : own[i - offset]
    }
}
