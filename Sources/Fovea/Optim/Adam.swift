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
    public var learningRate: Double
    public let beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double, decoupledWeightDecay: Bool
    private var moments: [ObjectIdentifier: (m: Tensor, v: Tensor)] = [:]
    private var t = 0

    public init(_ parameters: [Tensor], learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
                epsilon: Double = 1e-8, weightDecay: Double = 0, decoupledWeightDecay: Bool = false) {
        self.parameters = parameters
        (self.learningRate, self.beta1, self.beta2, self.epsilon, self.weightDecay, self.decoupledWeightDecay) =
            (learningRate, beta1, beta2, epsilon, weightDecay, decoupledWeightDecay)
    }

    public func step() {
        t += 1
        let correction1 = 1 - Double.pow(beta1, t), correction2 = 1 - Double.pow(beta2, t)
        noGrad {
            for p in parameters {
                guard var g = p.grad else { continue }
                var theta: Tensor = p
                if weightDecay != 0 {
                    if decoupledWeightDecay { theta = p * (1 - learningRate * weightDecay) } else { g = g + p * weightDecay }
                }
                let key = ObjectIdentifier(p)
                let previous = moments[key] ?? (Tensor.zeros(like: p), Tensor.zeros(like: p))
                let m = previous.m * beta1 + g * (1 - beta1)
                let v = previous.v * beta2 + g * g * (1 - beta2)
                moments[key] = (m, v)
                let update = (m / correction1) / ((v / correction2).sqrt() + epsilon)
                p.assign(theta - update * learningRate)
            }
        }
    }
}

/// AdamW: Adam with decoupled weight decay (PyTorch's default decay is 0.01).
public func AdamW(_ parameters: [Tensor], learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
                  epsilon: Double = 1e-8, weightDecay: Double = 0.01) -> Adam {
    Adam(parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
         weightDecay: weightDecay, decoupledWeightDecay: true)
}
