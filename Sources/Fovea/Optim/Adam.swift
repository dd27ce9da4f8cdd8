import RealModule

// Adam (Kingma & Ba, 2015) and AdamW (Loshchilov & Hutter, 2019), PyTorch's form, step t = 1, 2, …:
//
//   g ← ∇θ (+ λ·θ for Adam's L2 weight decay)
//   m ← β₁·m + (1 − β₁)·g              v ← β₂·v + (1 − β₂)·g²
//   m̂ = m / (1 − β₁ᵗ)                  v̂ = v / (1 − β₂ᵗ)
//   θ ← θ − η·m̂ / (√v̂ + ε)
// AdamW instead decays the weights directly, θ ← θ·(1 − η·λ), before the update.

/// Adam, or AdamW when `decoupledWeightDecay` is true.
public final class Adam: Optimizer {
    public let parameters: [Tensor]
    public let parameterNames: [String]
    public var learningRate: Double
    public let beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double, decoupledWeightDecay: Bool
    /// The moments m and v of each parameter, by name (absent before its first step).
    private var moments: [String: (m: Tensor, v: Tensor)] = [:]
    /// Steps taken: t in the bias corrections.
    public private(set) var stepCount = 0

    /// Adam over `parameters`, named by position (`"0"`, `"1"`, …).
    public convenience init(_ parameters: [Tensor], learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
                            epsilon: Double = 1e-8, weightDecay: Double = 0, decoupledWeightDecay: Bool = false) {
        self.init(named: zip(positionalNames(parameters.count), parameters).map { ($0, $1) }, learningRate: learningRate,
                  beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay, decoupledWeightDecay: decoupledWeightDecay)
    }

    /// Adam over named parameters, usually `model.namedParameters()`: the state is saved by name.
    public init(named parameters: [(name: String, tensor: Tensor)], learningRate: Double = 1e-3, beta1: Double = 0.9,
                beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0, decoupledWeightDecay: Bool = false) {
        require(Set(parameters.map(\.name)).count == parameters.count, "Adam: parameter names must be unique")
        self.parameters = parameters.map(\.tensor)
        self.parameterNames = parameters.map(\.name)
        (self.learningRate, self.beta1, self.beta2, self.epsilon, self.weightDecay, self.decoupledWeightDecay) =
            (learningRate, beta1, beta2, epsilon, weightDecay, decoupledWeightDecay)
    }

    public func step() {
        stepCount += 1
        let correction1 = 1 - Double.pow(beta1, stepCount), correction2 = 1 - Double.pow(beta2, stepCount)
        noGrad {
            for (p, key) in zip(parameters, parameterNames) {
                guard var g = p.grad else { continue }
                var theta: Tensor = p
                if weightDecay != 0 {
                    if decoupledWeightDecay { theta = p * (1 - learningRate * weightDecay) } else { g = g + p * weightDecay }
                }
                let previous = moments[key] ?? (Tensor.zeros(like: p), Tensor.zeros(like: p))
                let m = previous.m * beta1 + g * (1 - beta1)
                let v = previous.v * beta2 + g * g * (1 - beta2)
                moments[key] = (m, v)
                let update = (m / correction1) / ((v / correction2).sqrt() + epsilon)
                p.assign(theta - update * learningRate)
            }
        }
    }

    /// `step` (an Int64 scalar), and `exp_avg.NAME` (m) and `exp_avg_sq.NAME` (v) for every
    /// parameter that has taken a step.
    public func stateDict() -> [(name: String, tensor: Tensor)] {
        [("step", Tensor(shape: [], int64: [Int64(stepCount)]))] + parameterNames.flatMap { name in
            moments[name].map { [("exp_avg." + name, $0.m), ("exp_avg_sq." + name, $0.v)] } ?? []
        }
    }

    public func loadStateDict(_ tensors: [String: Tensor], source: String) throws {
        let kinds = ["exp_avg", "exp_avg_sq"]
        if let unknown = tensors.keys.sorted().first(where: { key in key != "step" && !kinds.contains { key.hasPrefix($0 + ".") } }) {
            throw CheckpointError.unexpectedTensor(name: unknown, path: source)
        }
        guard let step = tensors["step"], step.count == 1 else { throw CheckpointError.missingTensor(name: "step", path: source) }
        let state = try parameterState(tensors, kinds: kinds, source: source)
        let m = state["exp_avg"] ?? [:], v = state["exp_avg_sq"] ?? [:]
        guard Set(m.keys) == Set(v.keys) else {
            let name = Set(m.keys).symmetricDifference(v.keys).sorted()[0]
            throw CheckpointError.missingTensor(name: (m[name] == nil ? "exp_avg." : "exp_avg_sq.") + name, path: source)
        }
        stepCount = Int(step.int64s[0])
        moments = Dictionary(uniqueKeysWithValues: m.keys.map { ($0, (m[$0]!.copied(), v[$0]!.copied())) })
    }
}

/// AdamW: Adam with decoupled weight decay (PyTorch's default decay is 0.01).
public func AdamW(_ parameters: [Tensor], learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
                  epsilon: Double = 1e-8, weightDecay: Double = 0.01) -> Adam {
    Adam(parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
         weightDecay: weightDecay, decoupledWeightDecay: true)
}
