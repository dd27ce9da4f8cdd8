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
        /// airbench's: a line from 0.2 × the rate up to the rate over 23 % of the steps, then down to 0.07 ×.
        case trapezoid
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

    // The fast recipe's tricks (airbench94). Optional, so that settings saved before they existed
    // still read; `nil` is off.
    /// Drop each epoch's last, smaller batch.
    public var dropLastBatch: Bool?
    /// Every this many steps, pull the weights to their moving average (``Lookahead``), with decay
    /// 0.95⁵·(t/T)³ at step t of T; after the last step the weights become the average.
    public var lookaheadEvery: Int?
    /// Batch-norm biases learn at this multiple of the rate, with the weight decay divided by it
    /// (so that each step decays them as much as the other weights).
    public var normBiasRateScale: Double?
    /// The whitening layer's bias trains for this many epochs, then stays fixed.
    public var whiteningBiasEpochs: Int?
    /// Initialise the whitening layer from this many (normalised) training images; 0: no
    /// whitening, the layer keeps its random initialisation and learns like any other (an ablation).
    public var whiteningImages: Int?
    /// The views averaged for the final test accuracy (`test_acc_tta` in `metrics.csv`).
    public var testTimeAugmentation: TestTimeAugmentation?

    // ImageNet (`dataset` "imagenet"): images decoded from a folder. Optional for the same reason.
    /// The side of the square training and evaluation crops (default 224).
    public var imageSize: Int?
    /// Leave out images that fail to decode (each is named in the log) instead of stopping.
    public var skipBadImages: Bool?
    /// Rotation, affine and colour jitter on top of the crop and flip (`--rotation`, `--jitter`).
    public var extraAugmentation: ExtraAugmentation?

    /// ImageNet's standard recipe (Goyal et al. 2017's scaling of He et al. 2016): SGD with momentum
    /// 0.9, rate 0.1 × batch/256, weight decay 1e-4, 90 epochs; a cosine schedule here.
    public static func imagenet(model: String, classes: Int = 1000, batchSize: Int = 256, imageSize: Int = 224) -> TrainingSettings {
        var settings = TrainingSettings(model: ModelSpec(name: model, classes: classes), epochs: 90, batchSize: batchSize,
                                        learningRate: 0.1 * Double(batchSize) / 256,
                                        transform: ImageTransform(mean: ImageNetTransform.mean, std: ImageNetTransform.std))
        (settings.dataset, settings.weightDecay, settings.imageSize, settings.dropLastBatch) = ("imagenet", 1e-4, imageSize, true)
        return settings
    }

    /// Downsampled ImageNet (Chrabaszcz et al. 2017) at `size`×`size` (`dataset` "imagenet32"), with
    /// their recipe's parts: SGD momentum 0.9, rate 0.1 at batch 128, weight decay 5e-4, 40 epochs,
    /// random crops from a 4-pixel zero padding (1 at 8×8, 2 at 16×16) and flips; here with a cosine
    /// schedule (theirs steps ×0.2 at epochs 10, 20 and 30) and ImageNet's normalisation.
    public static func downsampledImageNet(model: String, size: Int, batchSize: Int = 128) -> TrainingSettings {
        var settings = TrainingSettings(model: ModelSpec(name: model, classes: 1000), epochs: 40, batchSize: batchSize,
                                        learningRate: 0.1 * Double(batchSize) / 128,
                                        transform: ImageTransform(cropPadding: min(4, max(1, size / 8)), horizontalFlip: true,
                                                                  mean: ImageNetTransform.mean, std: ImageNetTransform.std))
        (settings.dataset, settings.imageSize, settings.dropLastBatch) = (DownsampledImageNet.name(size: size), size, true)
        return settings
    }

    /// The side of downsampled ImageNet's images when `dataset` is one of them ("imagenet32" → 32).
    public var downsampledSize: Int? { DownsampledImageNet.size(ofDataset: dataset) }

    /// How the dataset is called in messages: "CIFAR-10", "ImageNet", "ImageNet 32×32".
    public var datasetTitle: String {
        if let size = downsampledSize { return "ImageNet \(size)×\(size)" }
        return dataset == "imagenet" ? "ImageNet" : "CIFAR-10"
    }

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
        case .trapezoid: LinearWarmupDecaySchedule(peak: learningRate, totalSteps: total)
        }
        return warmup > 0 ? WarmupSchedule(warmupSteps: warmup, then: AnySchedule(base)) : base
    }

    /// The optimizer for `model`'s named parameters (batch-norm biases at their own rate when
    /// ``normBiasRateScale`` is set: parameters named `….bias` of a `BatchNorm2d`).
    public func makeOptimizer(for model: any Module) -> any Optimizer {
        switch optimizer {
        case .sgd:
            let sgd = SGD(named: model.namedParameters(), learningRate: learningRate, momentum: momentum,
                          weightDecay: weightDecay, nesterov: nesterov)
            if let scale = normBiasRateScale {
                for name in Self.normBiasNames(model) {
                    sgd.overrides[name] = .init(learningRateScale: scale, weightDecay: weightDecay / scale)
                }
            }
            return sgd
        case .adamw:
            return Adam(named: model.namedParameters(), learningRate: learningRate, weightDecay: weightDecay,
                        decoupledWeightDecay: true)
        }
    }

    /// The names of the biases of every `BatchNorm2d` in `model`.
    static func normBiasNames(_ model: any Module, prefix: String = "") -> [String] {
        (model is BatchNorm2d ? [prefix + "bias"] : [])
            + model.children.flatMap { normBiasNames($0.1, prefix: prefix + $0.0 + ".") }
    }

    /// airbench94's recipe (Jordan 2024), in this trainer's terms: batch 1024, 10 epochs (airbench:
    /// 9.9), Nesterov SGD with momentum 0.85, label smoothing 0.2, the trapezoid schedule, batch-norm
    /// biases at 64 × the rate, lookahead every 5 steps, the whitening bias trained for 3 epochs,
    /// shifts of 2 pixels with reflect padding and alternating flips, and mirror + translate
    /// test-time augmentation. airbench states the rate and weight decay per 1024 images of a
    /// summed loss, decoupled from the momentum (lr 11.5, wd 0.0153); for the mean loss used here
    /// that is a rate of 11.5/(1 + 1/(1 − 0.85)) = 1.5 and an L2 coefficient of 0.0153/(1 + 1/(1 − 0.85))/1.5.
    public static func airbench94(classes: Int = 10) -> TrainingSettings {
        let momentum = 0.85, kilostep = 1 + 1 / (1 - momentum)
        let rate = 11.5 / kilostep
        var settings = TrainingSettings(model: ModelSpec(name: "airbench94", classes: classes), epochs: 10, batchSize: 1024,
                                        learningRate: rate, transform: .airbench94Training)
        (settings.momentum, settings.nesterov, settings.weightDecay) = (momentum, true, 0.0153 / kilostep / rate)
        (settings.labelSmoothing, settings.schedule) = (0.2, .trapezoid)
        (settings.dropLastBatch, settings.lookaheadEvery, settings.normBiasRateScale) = (true, 5, 64)
        (settings.whiteningBiasEpochs, settings.whiteningImages, settings.testTimeAugmentation) = (3, 5000, .mirrorTranslate)
        return settings
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
        try check((lookaheadEvery ?? 1) > 0, "--lookahead-every must be positive")
        try check(downsampledSize != nil || (imageSize ?? 32) >= 32, "--image-size must be at least 32")
        try check((normBiasRateScale ?? 1) > 0, "--norm-bias-lr-scale must be positive")
    }
}

