// Stochastic gradient descent with momentum (Polyak 1964; Sutskever et al. 2013), PyTorch's form:
//
//   g ← ∇θ + λ·θ                          (weight decay λ, L2)
//   b ← μ·b + (1 − dampening)·g          (b = g on the first step)
//   g ← g + μ·b   if Nesterov,  else  g ← b
//   θ ← θ − η·g
// A parameter with an override uses its own λ and η·scale.

/// SGD with optional momentum, Nesterov momentum and weight decay.
public final class SGD: Optimizer {
    public let parameters: [Tensor]
    public let parameterNames: [String]
    public var learningRate: Double
    public let momentum: Double, dampening: Double, weightDecay: Double, nesterov: Bool
    /// Parameters whose learning rate or weight decay differ from the optimizer's, by name
    /// (PyTorch's parameter groups): airbench trains batch-norm biases at 64 × the rate.
    public var overrides: [String: ParameterOverride] = [:]
    /// The momentum buffer b of each parameter, by name (absent before its first step).
    private var buffers: [String: Tensor] = [:]

    /// A parameter's own settings: η · `learningRateScale`, and λ = `weightDecay` in place of the optimizer's.
    public struct ParameterOverride: Sendable, Equatable {
        public var learningRateScale: Double
        public var weightDecay: Double
        public init(learningRateScale: Double = 1, weightDecay: Double) {
            (self.learningRateScale, self.weightDecay) = (learningRateScale, weightDecay)
        }
    }

    /// SGD over `parameters`, named by position (`"0"`, `"1"`, …).
    public convenience init(_ parameters: [Tensor], learningRate: Double, momentum: Double = 0, dampening: Double = 0,
                            weightDecay: Double = 0, nesterov: Bool = false) {
        self.init(named: zip(positionalNames(parameters.count), parameters).map { ($0, $1) }, learningRate: learningRate,
                  momentum: momentum, dampening: dampening, weightDecay: weightDecay, nesterov: nesterov)
    }

    /// SGD over named parameters, usually `model.namedParameters()`: the state is saved by name.
    public init(named parameters: [(name: String, tensor: Tensor)], learningRate: Double, momentum: Double = 0,
                dampening: Double = 0, weightDecay: Double = 0, nesterov: Bool = false) {
        require(!nesterov || (momentum > 0 && dampening == 0), "Nesterov momentum needs momentum > 0 and no dampening")
        require(Set(parameters.map(\.name)).count == parameters.count, "SGD: parameter names must be unique")
        self.parameters = parameters.map(\.tensor)
        self.parameterNames = parameters.map(\.name)
        (self.learningRate, self.momentum, self.dampening, self.weightDecay, self.nesterov) =
            (learningRate, momentum, dampening, weightDecay, nesterov)
    }

    public func step() {
        noGrad {
            for (p, key) in zip(parameters, parameterNames) {
                guard var g = p.grad else { continue }
                let override = overrides[key]
                let decay = override?.weightDecay ?? weightDecay
                if decay != 0 { g = g + p * decay }
                if momentum != 0 {
                    let b = buffers[key].map { $0 * momentum + g * (1 - dampening) } ?? g.copied()
                    buffers[key] = b
                    g = nesterov ? g + b * momentum : b
                }
                p.assign(p - g * (learningRate * (override?.learningRateScale ?? 1)))
            }
        }
    }

    /// `momentum_buffer.NAME` for every parameter that has taken a step with momentum.
    public func stateDict() -> [(name: String, tensor: Tensor)] {
        parameterNames.compactMap { name in buffers[name].map { ("momentum_buffer." + name, $0) } }
    }

    public func loadStateDict(_ tensors: [String: Tensor], source: String) throws {
        if let unknown = tensors.keys.sorted().first(where: { !$0.hasPrefix("momentum_buffer.") }) {
            throw CheckpointError.unexpectedTensor(name: unknown, path: source)
        }
        let state = try parameterState(tensors, kinds: ["momentum_buffer"], source: source)
        buffers = (state["momentum_buffer"] ?? [:]).mapValues { $0.copied() }
    }
}
