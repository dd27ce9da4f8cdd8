import Fovea
import Testing

/// Optimizer state saved by parameter name and loaded into a fresh model and optimizer continues
/// exactly where the first left off.
@Suite("optimizer state by name")
struct OptimizerStateTests {
    final class Tiny: Module {
        var isTraining = true
        let conv: Conv2d, fc: Linear
        init(seed: UInt64) {
            var rng = SplitMix64(seed: seed)
            conv = Conv2d(2, 3, kernelSize: 3, padding: 1, using: &rng)
            fc = Linear(3, 4, using: &rng)
        }
        var children: [(String, any Module)] { [("conv", conv), ("fc", fc)] }
        func callAsFunction(_ x: Tensor) -> Tensor { fc(adaptiveAvgPool2d(relu(conv(x))).flattened()) }
    }

    static func step(_ model: Tiny, _ optimizer: any Optimizer, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let x = Tensor.normal([5, 2, 6, 6], using: &rng)
        let labels = Tensor(shape: [5], int64: [0, 1, 2, 3, 1])
        optimizer.zeroGrad()
        softmaxCrossEntropy(model(x), labels: labels).backward()
        optimizer.step()
    }

    static let makers: [(String, @Sendable (Tiny) -> any Optimizer)] = [
        ("SGD Nesterov + weight decay", { SGD(named: $0.namedParameters(), learningRate: 0.1, momentum: 0.9, weightDecay: 5e-4, nesterov: true) }),
        ("AdamW", { Adam(named: $0.namedParameters(), learningRate: 0.01, weightDecay: 0.01, decoupledWeightDecay: true) }),
    ]

    @Test("3 steps, save, load into new objects, 2 more steps == 5 steps straight", arguments: [0, 1])
    func roundTrip(_ which: Int) throws {
        let make = Self.makers[which].1
        let straight = Tiny(seed: 1), straightOptimizer = make(straight)
        for s in 0..<5 { Self.step(straight, straightOptimizer, seed: UInt64(s)) }

        let first = Tiny(seed: 1), firstOptimizer = make(first)
        for s in 0..<3 { Self.step(first, firstOptimizer, seed: UInt64(s)) }
        let saved = Dictionary(uniqueKeysWithValues: firstOptimizer.stateDict().map { ($0.name, $0.tensor) })
        #expect(saved.keys.contains { $0.hasSuffix(".conv.weight") || $0.hasSuffix("conv.weight") })
        #expect(!saved.keys.contains { $0.contains("ObjectIdentifier") })

        let resumed = Tiny(seed: 99), resumedOptimizer = make(resumed)
        try resumed.loadStateDict(Dictionary(uniqueKeysWithValues: first.stateDict().map { ($0.name, $0.tensor) }))
        try resumedOptimizer.loadStateDict(saved, source: "test")
        for s in 3..<5 { Self.step(resumed, resumedOptimizer, seed: UInt64(s)) }

        for ((name, a), (_, b)) in zip(straight.stateDict(), resumed.stateDict()) {
            #expect(a.doubles == b.doubles, "\(Self.makers[which].0): \(name) differs after resuming")
        }
    }

    @Test("names follow the module's state-dict names")
    func names() {
        let model = Tiny(seed: 0)
        let sgd = SGD(named: model.namedParameters(), learningRate: 0.1, momentum: 0.9)
        Self.step(model, sgd, seed: 0)
        #expect(sgd.stateDict().map(\.name) == ["momentum_buffer.conv.weight", "momentum_buffer.conv.bias",
                                                "momentum_buffer.fc.weight", "momentum_buffer.fc.bias"])
        let adam = Adam(named: model.namedParameters())
        Self.step(model, adam, seed: 0)
        #expect(adam.stateDict().first?.name == "step")
        #expect(adam.stateDict().contains { $0.name == "exp_avg_sq.fc.bias" })
    }

    @Test("a state entry for a parameter the optimizer does not have, or of the wrong shape, is an error naming it")
    func errors() {
        let model = Tiny(seed: 0)
        let sgd = SGD(named: model.namedParameters(), learningRate: 0.1, momentum: 0.9)
        #expect(throws: CheckpointError.unexpectedTensor(name: "momentum_buffer.fc2.weight", path: "run/last.safetensors")) {
            try sgd.loadStateDict(["momentum_buffer.fc2.weight": Tensor(zeros: [4, 3])], source: "run/last.safetensors")
        }
        #expect(throws: CheckpointError.shapeMismatch(name: "momentum_buffer.fc.weight", model: [4, 3], checkpoint: [3, 4], path: "f")) {
            try sgd.loadStateDict(["momentum_buffer.fc.weight": Tensor(zeros: [3, 4])], source: "f")
        }
    }
}
