import Fovea
import FoveaTestSupport
import Testing

/// Optimizer steps and learning-rate schedules against PyTorch (Tests/Fixtures/optim.safetensors):
/// the same starting parameter and the same five gradients give the same five parameters.
@Suite("optimizers")
struct OptimizerTests {
    static var optimizerCases: [FixtureCase] {
        Fixtures.allCases(["optim"]).filter { ["sgd", "adam", "adamw"].contains($0.op) }
    }
    static var scheduleCases: [FixtureCase] {
        Fixtures.allCases(["optim"]).filter { !["sgd", "adam", "adamw"].contains($0.op) }
    }

    @Test("optimizer trajectories match PyTorch", arguments: optimizerCases)
    func trajectory(_ c: FixtureCase) throws {
        let p = try c.tensor("param")
        p.requiresGrad = true
        let optimizer: any Optimizer
        switch c.op {
        case "sgd":
            optimizer = SGD([p], learningRate: c.double("lr"), momentum: c.double("momentum"), dampening: c.double("dampening"),
                            weightDecay: c.double("weight_decay"), nesterov: c.bool("nesterov"))
        case "adam":
            optimizer = Adam([p], learningRate: c.double("lr"), beta1: c.double("beta1"), beta2: c.double("beta2"),
                             epsilon: c.double("eps"), weightDecay: c.double("weight_decay"))
        default:
            optimizer = AdamW([p], learningRate: c.double("lr"), beta1: c.double("beta1"), beta2: c.double("beta2"),
                              epsilon: c.double("eps"), weightDecay: c.double("weight_decay"))
        }
        for step in 0..<5 {
            p.grad = try c.tensor("grad\(step)")
            optimizer.step()
            expectClose(p, try c.tensor("after\(step)"), atol: 1e-12, rtol: 1e-10, "\(c) after step \(step)")
        }
    }

    @Test("learning-rate schedules match PyTorch", arguments: scheduleCases)
    func schedule(_ c: FixtureCase) throws {
        let expected = try c.tensor("lrs")
        let schedule: any LearningRateSchedule
        switch c.op {
        case "step": schedule = StepSchedule(initial: c.double("initial"), stepSize: c.int("step_size"), gamma: c.double("gamma"))
        case "cosine": schedule = CosineSchedule(initial: c.double("initial"), totalSteps: c.int("total_steps"), minimum: c.double("minimum"))
        case "one_cycle":
            schedule = OneCycleSchedule(maximum: c.double("maximum"), totalSteps: c.int("total_steps"), warmupFraction: c.double("pct_start"),
                                        divFactor: c.double("div_factor"), finalDivFactor: c.double("final_div_factor"))
        case "warmup":
            schedule = WarmupSchedule(warmupSteps: c.int("warmup_steps"), then: StepSchedule(initial: c.double("initial"), stepSize: 1_000_000))
        default:
            Issue.record("unknown schedule \(c.op)")
            return
        }
        let actual = Tensor(shape: [expected.count], float64: (0..<expected.count).map { schedule.learningRate(at: $0) })
        expectClose(actual, expected, atol: 1e-12, rtol: 1e-10, "\(c) learning rates")
    }

    @Test("SGD descends a quadratic; clipping bounds the gradient norm; a NaN loss is caught")
    func behaviour() throws {
        let w = Tensor([3, -4], requiresGrad: true)
        let optimizer = SGD([w], learningRate: 0.1, momentum: 0.9)
        for _ in 0..<100 {
            optimizer.zeroGrad()
            (w * w).sum().backward()
            optimizer.step()
        }
        #expect(w.doubles.allSatisfy { abs($0) < 0.05 })
        (w * 100).sum().backward()
        let norm = clipGradientNorm([w], maxNorm: 1)
        #expect(norm > 1)
        #expect(abs(w.grad!.doubles.map { $0 * $0 }.reduce(0, +).squareRoot() - 1) < 1e-3)
        #expect(throws: NonFiniteValueError.self) { try checkFinite(.nan) }
    }
}
