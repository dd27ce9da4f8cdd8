import Fovea
import FoveaData
import FoveaModels

/// Everything that defines a training run. It is saved (as JSON) in every checkpoint of the run,
/// so that `fovea train --resume RUN_DIR` needs no other flags and `fovea eval` knows the model.
public struct TrainingSettings: Codable, Equatable, Sendable {
    public enum OptimizerKind: String, Codable, CaseIterable, Sendable { case sgd, adamw }
    public enum ScheduleKind: String, Codable, CaseIterable, Sendable {
        /// The same rate throughout.
        case constant
        /// ×0.1 at 50 % and at 75 % of the steps (He et al. 2016's 32k and 48k of 64k iterations).
        case step
        /// Cosine from the rate down to 0 over all steps.
        case cosine
        /// One-cycle: up from rate/25 to the rate over 30 % of the steps, then down to rate/25e4.
        case onecycle
    }

    public var dataset = "cifar10"
    public var model: ModelSpec
    public var epochs: Int
    public var batchSize: Int
    public var optimizer: OptimizerKind = .sgd
    public var learningRate: Double
    /// SGD's momentum (PyTorch's default dampening 0).
    public var momentum: Double = 0.9
    public var nesterov = false
    /// L2 weight decay for SGD, decoupled decay for AdamW.
    public var weightDecay: Double = 5e-4
    public var schedule: ScheduleKind = .cosine
    /// Epochs of linear warm-up before the schedule (0: none).
    public var warmupEpochs = 0
    public var labelSmoothing: Double = 0
    public var seed: UInt64 = 0
    /// Training images held out, at random with the seed, to choose the best epoch (0: none).
    public var validationSplit = 0
    /// The training transform: augmentation and normalisation (evaluation uses its normalisation only).
    public var transform: ImageTransform
    /// Use only the first N training images (quick runs; `nil`: all).
    public var trainingImages: Int?
    /// Evaluate on only the first N test images (quick runs; `nil`: all).
    public var testImages: Int?

    public init(model: ModelSpec, epochs: Int, batchSize: Int, learningRate: Double, transform: ImageTransform) {
        (self.model, self.epochs, self.batchSize, self.learningRate, self.transform) = (model, epochs, batchSize, learningRate, transform)
    }

    /// The learning rate at each optimizer step, for `stepsPerEpoch` steps an epoch.
    public func learningRateSchedule(stepsPerEpoch: Int) -> any LearningRateSchedule {
        let warmup = warmupEpochs * stepsPerEpoch
        let total = max(2, epochs * stepsPerEpoch - warmup)
        let base: any LearningRateSchedule = switch schedule {
        case .constant: ConstantSchedule(rate: learningRate)
        case .step: MultiStepSchedule(initial: learningRate, milestones: [total / 2, total * 3 / 4], gamma: 0.1)
        case .cosine: CosineSchedule(initial: learningRate, totalSteps: total)
        case .onecycle: OneCycleSchedule(maximum: learningRate, totalSteps: total)
        }
        return warmup > 0 ? WarmupSchedule(warmupSteps: warmup, then: AnySchedule(base)) : base
    }

    /// The optimizer for `model`'s named parameters.
    public func makeOptimizer(for model: any Module) -> any Optimizer {
        switch optimizer {
        case .sgd: SGD(named: model.namedParameters(), learningRate: learningRate, momentum: momentum,
                       weightDecay: weightDecay, nesterov: nesterov)
        case .adamw: Adam(named: model.namedParameters(), learningRate: learningRate, weightDecay: weightDecay,
                          decoupledWeightDecay: true)
        }
    }

    /// Checks that the numbers make sense; the message names the flag.
    public func validate() throws {
        func check(_ ok: Bool, _ message: String) throws { if !ok { throw TrainingError.invalidSettings(message) } }
        try check(epochs > 0, "--epochs must be positive, not \(epochs)")
        try check(batchSize > 0, "--batch-size must be positive, not \(batchSize)")
        try check(learningRate > 0 && learningRate.isFinite, "--lr must be a positive number, not \(learningRate)")
        try check(weightDecay >= 0, "--weight-decay must not be negative")
        try check(momentum >= 0 && momentum < 1, "--momentum must be in [0, 1)")
        try check(!nesterov || momentum > 0, "--nesterov needs momentum > 0")
        try check(labelSmoothing >= 0 && labelSmoothing < 1, "--label-smoothing must be in [0, 1)")
        try check(validationSplit >= 0, "--val-split must not be negative")
        try check(warmupEpochs >= 0 && warmupEpochs < epochs, "--warmup must be less than --epochs")
        try check((trainingImages ?? 1) > 0 && (testImages ?? 1) > 0, "--train-images and --test-images must be positive")
    }
}

