// Optimizers update parameters from their gradients. Updates run under noGrad with ordinary
// tensor ops (so they work on any backend) and are written into the parameters in place.

/// Something that updates parameters from their `grad`.
public protocol Optimizer: AnyObject {
    /// The parameters being optimised.
    var parameters: [Tensor] { get }
    /// The step size used by the next ``step()``; schedules set it.
    var learningRate: Double { get set }
    /// Applies one update to every parameter that has a gradient.
    func step()
}

extension Optimizer {
    /// Clears every parameter's gradient.
    public func zeroGrad() { parameters.forEach { $0.zeroGrad() } }
}

/// Scales all gradients down so that their global L2 norm is at most `maxNorm`; returns the norm
/// before clipping (as PyTorch's `clip_grad_norm_`).
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Double) -> Double {
    let grads = parameters.compactMap(\.grad)
    let norm = noGrad { grads.reduce(0.0) { $0 + ($1 * $1).sum().item() } }.squareRoot()
    if norm > maxNorm {
        let scale = maxNorm / (norm + 1e-6)
        for p in parameters { if let g = p.grad { p.grad = noGrad { g * scale } } }
    }
    return norm
}

/// A loss (or any number) that became NaN or infinite.
public struct NonFiniteValueError: Error, CustomStringConvertible {
    public let what: String
    public let value: Double
    public var description: String { "\(what) is \(value): training diverged (try a smaller learning rate, or clip gradients)" }
}

/// Throws when `value` is NaN or infinite, naming `what`.
public func checkFinite(_ value: Double, _ what: String = "the loss") throws {
    if !value.isFinite { throw NonFiniteValueError(what: what, value: value) }
}
