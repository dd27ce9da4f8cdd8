// Lookahead with an exponential moving average, as hlb-cifar10 and airbench use it (Zhang et al.
// 2019's Lookahead, with the slow weights kept as an average): every k steps
//
//   ā ← ā + (1 − decay)·(θ − ā)        for every floating-point entry of the state dict
//   θ ← ā                              (the fast weights jump back to the average)
//
// The entries are the parameters and the float buffers (batch norm's running statistics); integer
// counters are left alone. With decay near 1 early and towards 0 late (airbench: 0.95⁵·(t/T)³),
// the average damps the noise of the large early steps and lets the late small steps through.

/// The averaged state of a model, by state-dict name, and the update that pulls the model to it.
public final class Lookahead {
    /// ā for each floating-point state-dict entry, by name.
    public private(set) var average: [String: Tensor]

    /// Starts the average at the model's current state.
    public init(_ model: any Module) {
        average = Dictionary(uniqueKeysWithValues: Lookahead.averaged(model).map { ($0.name, $0.tensor.copied()) })
    }

    /// Moves the average towards the model's state by `1 − decay`, then sets the model to it.
    /// `decay = 1` only sets the model to the average (what airbench does after the last step).
    public func update(_ model: any Module, decay: Double) {
        require(decay >= 0 && decay <= 1, "Lookahead: decay must be in [0, 1], not \(decay)")
        noGrad {
            for (name, tensor) in Lookahead.averaged(model) {
                guard let slow = average[name] else { requirementFailed("Lookahead: the model has \(name), which the average lacks") }
                // ā + (1 − decay)·(θ − ā), PyTorch's lerp_: exact where θ = ā (frozen weights stay bit-identical).
                if decay < 1 { slow.assign(slow + (tensor - slow) * (1 - decay)) }
                tensor.assign(slow)
            }
        }
    }

    /// `lookahead.NAME` for every averaged entry: what a checkpoint saves.
    public func stateDict() -> [(name: String, tensor: Tensor)] {
        average.keys.sorted().map { ("lookahead." + $0, average[$0]!) }
    }

    /// Restores the average saved by ``stateDict()``.
    ///
    /// - Throws: ``CheckpointError`` naming `source` and the first entry missing, unknown or of the wrong shape.
    public func loadStateDict(_ tensors: [String: Tensor], source: String) throws {
        var loaded: [String: Tensor] = [:]
        for (key, tensor) in tensors {
            let name = String(key.dropFirst("lookahead.".count))
            guard key.hasPrefix("lookahead."), let own = average[name] else { throw CheckpointError.unexpectedTensor(name: key, path: source) }
            guard tensor.shape == own.shape else {
                throw CheckpointError.shapeMismatch(name: key, model: own.shape, checkpoint: tensor.shape, path: source)
            }
            loaded[name] = tensor.dtype == own.dtype ? tensor.copied() : tensor.converted(to: own.dtype)
        }
        if let missing = average.keys.sorted().first(where: { loaded[$0] == nil }) {
            throw CheckpointError.missingTensor(name: "lookahead." + missing, path: source)
        }
        average = loaded
    }

    /// The entries that are averaged: every state-dict tensor that is not an integer counter.
    static func averaged(_ model: any Module) -> [(name: String, tensor: Tensor)] {
        model.stateDict().filter { $0.tensor.dtype != .int64 }
    }
}
