// Optimizers update parameters from their gradients. Updates run under noGrad with ordinary
// tensor ops (so they work on any backend) and are written into the parameters in place.

/// Something that updates parameters from their `grad`.
///
/// An optimizer's state (momentum buffers, Adam's moments and step count) is keyed by parameter
/// **name**, as in a module's state dict (`conv1.weight`), so that it can be saved in a checkpoint
/// and loaded into a new optimizer built for a new model object: PyTorch's
/// `optimizer.state_dict()`, with names instead of positions. Build an optimizer from
/// `model.namedParameters()` to get those names; from a plain `[Tensor]` the names are the
/// positions `"0"`, `"1"`, ….
public protocol Optimizer: AnyObject {
    /// The parameters being optimised.
    var parameters: [Tensor] { get }
    /// The name of each parameter, in the order of ``parameters``.
    var parameterNames: [String] { get }
    /// The step size used by the next ``step()``; schedules set it.
    var learningRate: Double { get set }
    /// Applies one update to every parameter that has a gradient.
    func step()
    /// Everything the next ``step()`` depends on besides the parameters, by name:
    /// `momentum_buffer.conv1.weight`, `exp_avg.fc.bias`, `step`, ….
    func stateDict() -> [(name: String, tensor: Tensor)]
    /// Restores a state saved by ``stateDict()``.
    ///
    /// - Throws: ``CheckpointError`` naming `source` and the first entry that names no parameter
    ///   of this optimizer or has the wrong shape; the optimizer is unchanged then.
    func loadStateDict(_ tensors: [String: Tensor], source: String) throws
}

extension Optimizer {
    /// Clears every parameter's gradient.
    public func zeroGrad() { parameters.forEach { $0.zeroGrad() } }

    /// Checks saved per-parameter entries `kind.NAME` against the parameters, then returns them
    /// by parameter name (entries of other kinds are left to the caller).
    func parameterState(_ tensors: [String: Tensor], kinds: [String], source: String) throws -> [String: [String: Tensor]] {
        let shapes = Dictionary(uniqueKeysWithValues: zip(parameterNames, parameters.map(\.shape)))
        var byKind: [String: [String: Tensor]] = [:]
        for (key, tensor) in tensors {
            guard let kind = kinds.first(where: { key.hasPrefix($0 + ".") }) else { continue }
            let name = String(key.dropFirst(kind.count + 1))
            guard let shape = shapes[name] else { throw CheckpointError.unexpectedTensor(name: key, path: source) }
            guard tensor.shape == shape else {
                throw CheckpointError.shapeMismatch(name: key, model: shape, checkpoint: tensor.shape, path: source)
            }
            byKind[kind, default: [:]][name] = tensor
        }
        return byKind
    }
}

/// Default names for parameters given without names: their positions.
func positionalNames(_ count: Int) -> [String] { (0..<count).map(String.init) }

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
