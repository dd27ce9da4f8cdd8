// Elementwise ops and their backward. Shapes: any; binary ops broadcast (NumPy rules), and the
// backward of a broadcast operand sums the gradient back over the repeated axes.
//
//   op            forward        backward (dInput)
//   a + b         a + b          dOut, dOut
//   a − b         a − b          dOut, −dOut
//   a · b         a · b          dOut · b, dOut · a
//   a / b         a / b          dOut / b, −dOut · a / b²
//   exp           eˣ             dOut · eˣ
//   log           ln x           dOut / x
//   sqrt          √x             dOut / (2√x)
//   pow(p)        xᵖ             dOut · p · xᵖ⁻¹
//   abs           |x|            dOut · sign(x)        (0 at x = 0)
//   clamp(lo,hi)  min(max(x,lo),hi)  dOut where lo ≤ x ≤ hi, else 0
//   relu          max(x, 0)      dOut · [x > 0]        (0 at x = 0, as PyTorch)
//   leakyRelu(a)  x or a·x       dOut · (x > 0 ? 1 : a)
//   sigmoid       σ = 1/(1+e⁻ˣ)  dOut · σ(1 − σ)
//   tanh          tanh x         dOut · (1 − tanh² x)
//   gelu          x·Φ(x)         dOut · (Φ(x) + x·φ(x))   Φ(x) = ½(1 + erf(x/√2)), φ(x) = e^(−x²/2)/√(2π)
// The derivatives themselves are computed by the backend's unaryBackward, beside each function.

extension Tensor {
    /// Applies a unary op and records its backward.
    ///
    /// The backward needs the output's values (σ, tanh, eˣ, √x reuse them), but it must not hold
    /// the output tensor itself: the output owns this backward record, and a record that owned its
    /// output back would be a reference cycle, keeping the whole graph alive whenever backward
    /// never runs. It keeps a second tensor over the same storage instead.
    ///
    /// Ops whose derivative follows from the output alone (ReLU: y > 0 exactly where x > 0; eˣ, √x,
    /// σ, tanh; the affine ones) do not keep their input either, so that it can be freed as soon
    /// as the forward pass has used it.
    func applying(_ op: UnaryOp, _ name: String) -> Tensor {
        let out = backend.unary(op, self)
        let saved = Tensor(shape: out.shape, storage: out.storage)
        let backend = backend
        switch op {
        case .relu, .exp, .sqrt, .sigmoid, .tanh, .neg, .addScalar, .mulScalar:
            return Tensor.record(out, name, [self]) { dOut in
                [backend.unaryBackward(op, x: saved, out: saved, dOut: dOut)]
            }
        default:
            return Tensor.record(out, name, [self]) { [self] dOut in
                [backend.unaryBackward(op, x: self, out: saved, dOut: dOut)]
            }
        }
    }

    public func exp() -> Tensor { applying(.exp, "exp") }
    public func log() -> Tensor { applying(.log, "log") }
    public func sqrt() -> Tensor { applying(.sqrt, "sqrt") }
    public func abs() -> Tensor { applying(.abs, "abs") }
    /// `xᵖ` elementwise.
    public func pow(_ exponent: Double) -> Tensor { applying(.pow(exponent), "pow") }
    /// Limits every element to `[min, max]`.
    public func clamped(min lo: Double, max hi: Double) -> Tensor {
        require(lo <= hi, "clamped: min \(lo) is greater than max \(hi)")
        return applying(.clamp(min: lo, max: hi), "clamp")
    }

    /// Gradient of a broadcast operand: sums `g` over the axes along which `shape` was repeated.
    static func reduced(_ g: Tensor, to shape: [Int]) -> Tensor {
        if g.shape == shape { return g }
        let offset = g.rank - shape.count
        let axes = (0..<g.rank).filter { $0 < offset || (shape[$0 - offset] == 1 && g.shape[$0] != 1) }
        let summed = axes.isEmpty ? g : g.backend.reduce(.sum, g, axes: axes)
        return Tensor(shape: shape, storage: summed.storage)
    }
}

/// Records a broadcasting binary op.
private func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor, _ name: String,
                    _ grads: @escaping (Tensor) -> (Tensor?, Tensor?)) -> Tensor {
    require(a.device == b.device, "\(name): tensors on different devices, \(a.device) and \(b.device)")
    let out = a.backend.binary(op, a, b)
    let (shapeA, shapeB) = (a.shape, b.shape)  // only the shapes: `grads` captures the values it needs
    return Tensor.record(out, name, [a, b]) { dOut in
        let (da, db) = grads(dOut)
        return [da.map { Tensor.reduced($0, to: shapeA) }, db.map { Tensor.reduced($0, to: shapeB) }]
    }
}

public func + (a: Tensor, b: Tensor) -> Tensor {
    binary(.add, a, b, "add") { dOut in (dOut, dOut) }
}

public func - (a: Tensor, b: Tensor) -> Tensor {
    let needsB = b.requiresGrad
    return binary(.sub, a, b, "sub") { dOut in (dOut, needsB ? -dOut : nil) }
}

public func * (a: Tensor, b: Tensor) -> Tensor {
    binary(.mul, a, b, "mul") { dOut in
        (a.requiresGrad ? dOut * b : nil, b.requiresGrad ? dOut * a : nil)
    }
}

public func / (a: Tensor, b: Tensor) -> Tensor {
    binary(.div, a, b, "div") { dOut in
        (a.requiresGrad ? dOut / b : nil, b.requiresGrad ? -(dOut * a / (b * b)) : nil)
    }
}

public prefix func - (x: Tensor) -> Tensor { x.applying(.neg, "neg") }

public func + (a: Tensor, s: Double) -> Tensor { a.applying(.addScalar(s), "add") }
public func + (s: Double, a: Tensor) -> Tensor { a.applying(.addScalar(s), "add") }
public func - (a: Tensor, s: Double) -> Tensor { a.applying(.addScalar(-s), "sub") }
public func - (s: Double, a: Tensor) -> Tensor { (-a).applying(.addScalar(s), "sub") }
public func * (a: Tensor, s: Double) -> Tensor { a.applying(.mulScalar(s), "mul") }
public func * (s: Double, a: Tensor) -> Tensor { a.applying(.mulScalar(s), "mul") }
public func / (a: Tensor, s: Double) -> Tensor { a.applying(.mulScalar(1 / s), "div") }
public func / (s: Double, a: Tensor) -> Tensor { a.applying(.reciprocalTimes(s), "div") }

/// Rectified linear unit: `max(x, 0)`. Its gradient is 0 at x = 0, as in PyTorch.
public func relu(_ x: Tensor) -> Tensor { x.applying(.relu, "relu") }

/// `x` where `x > 0`, else `slope · x` (PyTorch's default slope is 0.01).
public func leakyRelu(_ x: Tensor, slope: Double = 0.01) -> Tensor { x.applying(.leakyRelu(slope: slope), "leakyRelu") }

/// The logistic function `σ(x) = 1 / (1 + e⁻ˣ)`.
public func sigmoid(_ x: Tensor) -> Tensor { x.applying(.sigmoid, "sigmoid") }

/// Hyperbolic tangent.
public func tanh(_ x: Tensor) -> Tensor { x.applying(.tanh, "tanh") }

/// The Gaussian error linear unit (Hendrycks & Gimpel, 2016): `x·Φ(x)`, where Φ is the standard
/// normal distribution function, in its exact form with erf (PyTorch's `nn.GELU()` default). A
/// smooth ReLU: about `x` for large `x`, about 0 for very negative `x`, and slightly negative
/// (down to −0.17 at x ≈ −0.75) in between.
public func gelu(_ x: Tensor) -> Tensor { x.applying(.gelu, "gelu") }
