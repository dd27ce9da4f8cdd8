// Modules: layers and models that own named parameters and buffers.
//
// Names follow PyTorch's state_dict keys, built from the path of child names:
// `conv1.weight`, `bn1.running_mean`, `layers.0.conv1.weight`. A checkpoint saved from a Fovea
// model and one saved from the equivalent PyTorch model use the same names.

/// A layer or model: a function of a tensor that owns parameters, buffers and child modules.
///
/// Conforming types list what they own; everything else (the recursive walks, `train()`,
/// `eval()`, parameter counts, state dicts) comes from the extension below.
///
///     final class TinyNet: Module {
///         var isTraining = true
///         let conv = Conv2d(3, 8, kernelSize: 3, padding: 1, using: &rng)
///         let fc = Linear(8, 10, using: &rng)
///         var children: [(String, any Module)] { [("conv", conv), ("fc", fc)] }
///         func callAsFunction(_ x: Tensor) -> Tensor {
///             fc(adaptiveAvgPool2d(relu(conv(x))).flattened())
///         }
///     }
public protocol Module: AnyObject {
    /// Training mode (batch statistics, dropout on) or evaluation mode.
    var isTraining: Bool { get set }
    /// This module's own learnable tensors, by local name (e.g. "weight", "bias").
    var ownParameters: [(String, Tensor)] { get }
    /// This module's own non-learnable state saved in checkpoints (e.g. "running_mean").
    var ownBuffers: [(String, Tensor)] { get }
    /// Child modules by local name, in order.
    var children: [(String, any Module)] { get }
    /// The module's computation.
    func callAsFunction(_ x: Tensor) -> Tensor
}

extension Module {
    public var ownParameters: [(String, Tensor)] { [] }
    public var ownBuffers: [(String, Tensor)] { [] }
    public var children: [(String, any Module)] { [] }

    /// Every parameter with its full dotted name, depth-first in declaration order.
    public func namedParameters(prefix: String = "") -> [(name: String, tensor: Tensor)] {
        ownParameters.map { (prefix + $0.0, $0.1) }
            + children.flatMap { $0.1.namedParameters(prefix: prefix + $0.0 + ".") }
    }

    /// Every buffer with its full dotted name.
    public func namedBuffers(prefix: String = "") -> [(name: String, tensor: Tensor)] {
        ownBuffers.map { (prefix + $0.0, $0.1) }
            + children.flatMap { $0.1.namedBuffers(prefix: prefix + $0.0 + ".") }
    }

    /// The learnable tensors, for an optimizer.
    public var parameters: [Tensor] { namedParameters().map(\.tensor) }

    /// Parameters and buffers by name: what a checkpoint holds (PyTorch's `state_dict()`).
    public func stateDict() -> [(name: String, tensor: Tensor)] {
        let all = namedParameters() + namedBuffers()
        return all.sorted { $0.name < $1.name }
    }

    /// The number of learnable numbers.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// Switches this module and all its children to training mode.
    public func train() { setTraining(true) }

    /// Switches this module and all its children to evaluation mode.
    public func eval() { setTraining(false) }

    func setTraining(_ on: Bool) {
        isTraining = on
        for (_, child) in children { child.setTraining(on) }
    }

    /// Clears every parameter's gradient.
    public func zeroGrad() { parameters.forEach { $0.zeroGrad() } }

    /// Copies tensors into this module's parameters and buffers, by name.
    ///
    /// - Throws: ``CheckpointError`` naming the first tensor that is missing, unexpected (when
    ///   `strict`), or of the wrong shape, with both shapes; nothing is changed in that case.
    public func loadStateDict(_ tensors: [String: Tensor], strict: Bool = true, source: String = "state dict") throws {
        let own = stateDict()
        for (name, t) in own {
            guard let loaded = tensors[name] else {
                if strict { throw CheckpointError.missingTensor(name: name, path: source) }
                continue
            }
            guard loaded.shape == t.shape else {
                throw CheckpointError.shapeMismatch(name: name, model: t.shape, checkpoint: loaded.shape, path: source)
            }
            guard loaded.dtype == t.dtype || (loaded.dtype != .int64 && t.dtype != .int64) else {
                throw CheckpointError.dtypeMismatch(name: name, model: t.dtype, checkpoint: loaded.dtype.safetensorsName, path: source)
            }
        }
        if strict {
            let names = Set(own.map(\.name))
            if let extra = tensors.keys.sorted().first(where: { !names.contains($0) }) {
                throw CheckpointError.unexpectedTensor(name: extra, path: source)
            }
        }
        for (name, t) in own {  // every check passed: now copy
            if let loaded = tensors[name] { t.assign(loaded.dtype == t.dtype ? loaded : loaded.converted(to: t.dtype)) }
        }
    }
}
