// Stochastic gradient descent with momentum (Polyak 1964; Sutskever et al. 2013), PyTorch's form:
//
//   g ← ∇θ + λ·θ                          (weight decay λ, L2)
//   b ← μ·b + (1 − dampening)·g          (b = g on the first step)
//   g ← g + μ·b   if Nesterov,  else  g ← b
//   θ ← θ − η·g

/// SGD with optional momentum, Nesterov momentum and weight decay.
public final class SGD: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Double
    public let momentum: Double, dampening: Double, weightDecay: Double, nesterov: Bool
    private var buffers: [ObjectIdentifier: Tensor] = [:]

    public init(_ parameters: [Tensor], learningRate: Double, momentum: Double = 0, dampening: Double = 0,
                weightDecay: Double = 0, nesterov: Bool = false) {
        require(!nesterov || (momentum > 0 && dampening == 0), "Nesterov momentum needs momentum > 0 and no dampening")
        self.parameters = parameters
        (self.learningRate, self.momentum, self.dampening, self.weightDecay, self.nesterov) =
            (learningRate, momentum, dampening, weightDecay, nesterov)
    }

    public func step() {
        noGrad {
            for p in parameters {
                guard var g = p.grad else { continue }
                if weightDecay != 0 { g = g + p * weightDecay }
                if momentum != 0 {
                    let key = ObjectIdentifier(p)
                    let b = buffers[key].map { $0 * momentum + g * (1 - dampening) } ?? g.copied()
                    buffers[key] = b
                    g = nesterov ? g + b * momentum : b
                }
                p.assign(p - g * learningRate)
            }
        }
    }
}
