import Foundation
import Fovea
import FoveaData
import FoveaModels
import FoveaPlot

/// Trains a model on an image dataset, epoch by epoch: the one training loop behind
/// `fovea train` and the lessons.
///
/// Each epoch: shuffled, augmented batches from a ``DataLoader``; per step, the learning rate
/// from the schedule, forward, cross-entropy (with label smoothing), a finite-loss check,
/// backward and an optimizer step. After each epoch it evaluates on the validation split and the
/// test set, appends a row to `metrics.csv`, writes `last.safetensors` (and `best.safetensors`
/// when the validation accuracy improved) and redraws the curves.
///
/// A run resumed from its last checkpoint (``restore(from:source:)``) ends with weights
/// bit-identical to an uninterrupted run with the same seed and thread count.
public final class Trainer {
    public let settings: TrainingSettings
    public let model: any Module
    public let optimizer: any Optimizer
    /// The training batches (shuffled and augmented), and the evaluation batches of the validation
    /// split and the test set (in order, normalisation only).
    public let loader: any BatchProvider
    public let validationBatches: (any BatchProvider)?, testBatches: (any BatchProvider)?
    public let folder: RunFolder?
    public let display: ProgressDisplay
    public private(set) var progress = TrainingProgress()
    /// The rows of `metrics.csv`, one per finished epoch.
    public private(set) var history: [EpochRecord] = []
    /// The share of the last epoch's training time spent waiting for the data loader.
    public private(set) var lastDataWaitShare = 0.0
    /// Called after each epoch with its row (lessons draw from it).
    public var onEpoch: ((EpochRecord) -> Void)?
    /// After this many batches of a segment's first epoch, print the measured speed and what an
    /// epoch and the whole run will take at it (`fovea train` on ImageNet: 20).
    public var projectAfterBatches: Int?
    /// The moving average of the weights, when the settings ask for lookahead.
    public let lookahead: Lookahead?
    private let schedule: any LearningRateSchedule
    private var projected = false
    /// Optimizer steps in the whole run.
    public var totalSteps: Int { settings.epochs * loader.batchesPerEpoch }

    /// A trainer on images in memory (CIFAR-10): training batches from a ``DataLoader`` with the
    /// settings' transform, evaluation in batches of 500.
    ///
    /// - Parameters:
    ///   - training: the training images (without the validation split: see ``prepare(_:settings:)``).
    ///   - folder: where metrics, checkpoints and curves go; `nil` keeps everything in memory.
    public convenience init(settings: TrainingSettings, training: ImageDataset, validation: ImageDataset?, test: ImageDataset?,
                            folder: RunFolder?, display: ProgressDisplay = .standardOutput()) throws {
        let loader = DataLoader(training, batchSize: settings.batchSize, shuffle: true, transform: settings.transform,
                                seed: settings.seed, dropLast: settings.dropLastBatch ?? false)
        func evaluation(_ data: ImageDataset?) -> DataLoader? {
            data.map { DataLoader($0, batchSize: 500, shuffle: false, transform: settings.transform.evaluation) }
        }
        // airbench94's first layer is computed from (normalised) training images.
        let count = min(settings.whiteningImages ?? 5000, training.count)
        var unused = SplitMix64(seed: 0)   // the evaluation transform draws nothing
        let whitening = settings.model.name == "airbench94" && count > 0
            ? settings.transform.evaluation.apply(to: training.images(at: Array(0..<count)), using: &unused) : nil
        try self.init(settings: settings, training: loader, validation: evaluation(validation), test: evaluation(test),
                      whiteningImages: whitening, folder: folder, display: display)
    }

    /// A trainer on any batches: an ``ImageFolderLoader`` for ImageNet, say.
    ///
    /// - Parameter whiteningImages: normalised images to set airbench94's whitening layer from.
    public init(settings: TrainingSettings, training: any BatchProvider, validation: (any BatchProvider)?, test: (any BatchProvider)?,
                whiteningImages: Tensor? = nil, folder: RunFolder?, display: ProgressDisplay = .standardOutput()) throws {
        try settings.validate()
        self.settings = settings
        var rng = SplitMix64(seed: SeededOrder.derive(settings.seed, 0x6d6f_6465_6c))  // "model"
        model = try ModelCatalog.make(settings.model, using: &rng)
        if let airbench = model as? Airbench94, settings.whiteningImages == 0 {
            airbench.whiten.weight.requiresGrad = true   // no whitening: an ordinary first layer that learns
        }
        optimizer = settings.makeOptimizer(for: model)
        (loader, validationBatches, testBatches, self.folder, self.display) = (training, validation, test, folder, display)
        guard training.batchesPerEpoch > 0 else {
            throw TrainingError.invalidSettings("\(training.imageCount) training images do not fill one batch of \(settings.batchSize) (--batch-size)")
        }
        schedule = settings.learningRateSchedule(stepsPerEpoch: training.batchesPerEpoch)
        if let whitened = model as? Airbench94, let whiteningImages { whitened.initializeWhitening(from: whiteningImages) }
        lookahead = settings.lookaheadEvery == nil ? nil : Lookahead(model)
    }

    /// Splits off the validation images and trims the datasets as `settings` say.
    public static func prepare(_ data: (training: ImageDataset, test: ImageDataset?), settings: TrainingSettings)
        -> (training: ImageDataset, validation: ImageDataset?, test: ImageDataset?) {
        var training = data.training, test = data.test
        if let n = settings.trainingImages, n < training.count { training = training.subset(Array(0..<n)) }
        if let n = settings.testImages, let t = test, n < t.count { test = t.subset(Array(0..<n)) }
        guard settings.validationSplit > 0 else { return (training, nil, test) }
        let split = training.splittingValidation(settings.validationSplit, seed: settings.seed)
        return (split.training, split.validation, test)
    }

    /// Continues from a checkpoint of this run: model, optimizer state, progress, and the
    /// metrics rows up to its epoch (later rows, from a segment that died before its checkpoint, are dropped).
    public func restore(from checkpoint: TrainingCheckpoint, source: String) throws {
        try model.loadStateDict(checkpoint.modelState, source: source)
        let saved = checkpoint.optimizerState
        try optimizer.loadStateDict(saved.filter { !$0.key.hasPrefix("lookahead.") }, source: source)
        if let lookahead {
            try lookahead.loadStateDict(saved.filter { $0.key.hasPrefix("lookahead.") }, source: source)
        } else if let key = saved.keys.sorted().first(where: { $0.hasPrefix("lookahead.") }) {
            throw CheckpointError.unexpectedTensor(name: key, path: source)
        }
        progress = checkpoint.progress ?? TrainingProgress()
        if let folder {
            history = try folder.readMetrics().filter { $0.epoch <= progress.epochsDone }
            try folder.writeMetrics(history)
        }
    }

    /// The checkpoint of the run as it stands.
    public func checkpoint() -> TrainingCheckpoint {
        var checkpoint = TrainingCheckpoint(model: settings.model, classNames: loader.classNames, transform: settings.transform.evaluation,
                           settings: settings, progress: progress,
                           modelState: Dictionary(uniqueKeysWithValues: model.stateDict().map { ($0.name, $0.tensor) }),
                           optimizerState: Dictionary(uniqueKeysWithValues: (optimizer.stateDict() + (lookahead?.stateDict() ?? [])).map { ($0.name, $0.tensor) }))
        if let size = settings.imageSize { checkpoint.inputShape = [3, size, size] }
        return checkpoint
    }

    /// Trains until `settings.epochs` epochs are done.
    ///
    /// - Throws: ``TrainingError/diverged(step:epoch:batch:loss:lastCheckpoint:)`` when the loss
    ///   becomes NaN or infinite (nothing is written for that epoch: the last checkpoint stays the
    ///   last good one); file errors from the run folder.
    public func run() throws {
        while progress.epochsDone < settings.epochs {
            try runEpoch()
        }
    }

    /// Trains one epoch, evaluates, records and checkpoints it.
    public func runEpoch() throws {
        let epoch = progress.epochsDone
        let batches = loader.batchStream(epoch: epoch, from: 0)
        let start = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        var meter = Meter()
        model.train()
        if let epochs = settings.whiteningBiasEpochs, let bias = (model as? Airbench94)?.whiten.bias {
            bias.requiresGrad = epoch < epochs
            if !bias.requiresGrad { bias.zeroGrad() }
        }
        var index = 0
        while let batch = try batches.nextBatch() {
            let rate = schedule.learningRate(at: progress.step)
            optimizer.learningRate = rate
            let logits = model(batch.images)
            let loss = softmaxCrossEntropy(logits, labels: batch.labels, labelSmoothing: settings.labelSmoothing)
            let value = loss.item()
            guard value.isFinite else {
                throw TrainingError.diverged(step: progress.step, epoch: epoch + 1, batch: index, loss: value,
                                             lastCheckpoint: folder.flatMap { FileManager.default.fileExists(atPath: $0.lastCheckpoint) ? $0.lastCheckpoint : nil })
            }
            optimizer.zeroGrad()
            loss.backward()
            optimizer.step()
            meter.add(meanLoss: value, correct: correctPredictions(logits, labels: batch.labels), count: batch.count)
            progress.step += 1
            if let lookahead, let every = settings.lookaheadEvery {
                let t = Double(progress.step) / Double(totalSteps)
                if progress.step % every == 0 { lookahead.update(model, decay: pow(0.95, 5) * t * t * t) }
                if progress.step == totalSteps { lookahead.update(model, decay: 1) }   // end on the average
            }
            index += 1
            let seconds = elapsed()
            let perStep = seconds / Double(index)
            let remaining = Double((settings.epochs - epoch) * loader.batchesPerEpoch - index) * perStep
            display.batch(epoch: epoch + 1, epochs: settings.epochs, batch: index, batches: loader.batchesPerEpoch,
                          loss: meter.loss, accuracy: meter.accuracy, imagesPerSecond: Double(meter.count) / seconds,
                          etaSeconds: remaining, now: seconds)
            if index == projectAfterBatches && !projected {
                projected = true
                let epochSeconds = perStep * Double(loader.batchesPerEpoch)
                display.note(String(format: "measured %.1f images/s over the first %d batches: ", Double(meter.count) / seconds, index)
                             + "an epoch of \(loader.imageCount) images takes about \(ProgressDisplay.duration(epochSeconds)), "
                             + "the remaining \(settings.epochs - epoch) epochs about \(ProgressDisplay.duration(remaining)) on this machine")
            }
        }
        let trainSeconds = elapsed()
        let dataWaitShare = trainSeconds > 0 ? batches.waitSeconds / trainSeconds : 0
        lastDataWaitShare = dataWaitShare
        let validationResult = try validationBatches.map { try Evaluation.run(model, batches: $0) }
        let testResult = try testBatches.map { try Evaluation.run(model, batches: $0) }
        let lastEpoch = epoch + 1 == settings.epochs
        var augmented: Evaluation?
        if lastEpoch, let views = settings.testTimeAugmentation, views != .none, let testBatches {
            augmented = try Evaluation.run(model, batches: testBatches, testTimeAugmentation: views)
        }
        progress.wallSeconds += elapsed()
        progress.epochsDone = epoch + 1

        let record = EpochRecord(epoch: epoch + 1, step: progress.step, learningRate: optimizer.learningRate,
                                 trainLoss: meter.loss, trainAccuracy: meter.accuracy,
                                 validationLoss: validationResult?.loss, validationAccuracy: validationResult?.accuracy,
                                 testLoss: testResult?.loss, testAccuracy: testResult?.accuracy,
                                 imagesPerSecond: Double(meter.count) / trainSeconds, wallSeconds: progress.wallSeconds,
                                 validationTop5: validationResult?.top5Accuracy, testTop5: testResult?.top5Accuracy,
                                 testAccuracyTTA: augmented?.accuracy)
        var best = false
        if let accuracy = validationResult?.accuracy, accuracy > (progress.bestValidationAccuracy ?? -1) {
            progress.bestValidationAccuracy = accuracy
            progress.bestEpoch = epoch + 1
            best = true
        }
        history.append(record)
        if let folder {
            // The row first, then the checkpoint: a run killed in between resumes from the previous
            // checkpoint and drops this row (see restore), so no row is ever counted twice.
            try folder.appendMetrics(record)
            let checkpoint = checkpoint()
            try checkpoint.write(to: folder.lastCheckpoint)
            if best { try checkpoint.write(to: folder.bestCheckpoint) }
            try? drawCurves(history, in: folder)
        }
        display.epoch(record, epochs: settings.epochs, dataWaitShare: dataWaitShare, best: best)
        onEpoch?(record)
    }
}

/// Draws `loss.png` and `accuracy.png` (in %) from the rows so far: train, validation and test.
public func drawCurves(_ rows: [EpochRecord], in folder: RunFolder) throws {
    guard !rows.isEmpty else { return }
    let epochs = rows.map { Double($0.epoch) }
    func series(_ name: String, _ values: [Double?], dashed: Bool = false) -> Series? {
        let pairs = zip(epochs, values).compactMap { x, y in y.map { (x, $0) } }
        return pairs.isEmpty ? nil : Series(name, x: pairs.map(\.0), y: pairs.map(\.1), dashed: dashed, markers: rows.count <= 30)
    }
    try Plot.lineChart([series("train", rows.map(\.trainLoss)), series("validation", rows.map(\.validationLoss), dashed: true),
                        series("test", rows.map(\.testLoss), dashed: true)].compactMap { $0 },
                       title: "Loss", xLabel: "epoch", yLabel: "cross-entropy", to: folder.lossCurve)
    let percent = { (v: Double?) in v.map { 100 * $0 } }
    try Plot.lineChart([series("train", rows.map { percent($0.trainAccuracy) }),
                        series("validation", rows.map { percent($0.validationAccuracy) }, dashed: true),
                        series("test", rows.map { percent($0.testAccuracy) }, dashed: true),
                        series("test, with test-time augmentation", rows.map { percent($0.testAccuracyTTA) }).map { tta in
                            Series(tta.name, x: tta.x, y: tta.y, markers: true) }].compactMap { $0 },
                       title: "Accuracy", xLabel: "epoch", yLabel: "accuracy (%)", to: folder.accuracyCurve)
}
