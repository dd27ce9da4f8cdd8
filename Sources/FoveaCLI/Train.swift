import ArgumentParser
import Foundation
import Fovea
import FoveaData
import FoveaModels
import FoveaTraining

/// `fovea train`: trains a model on CIFAR-10 into a run folder, or continues one.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a model on CIFAR-10, or continue a run with --resume.",
        discussion: """
        Every epoch appends a row to RUN_DIR/metrics.csv, writes RUN_DIR/last.safetensors (model, \
        optimizer, progress and these settings) and redraws loss.png and accuracy.png. With --val-split, \
        RUN_DIR/best.safetensors keeps the epoch with the best validation accuracy. A killed run \
        continues with `fovea train --resume RUN_DIR` and ends with the same weights as an \
        uninterrupted one (same seed and thread count).

        Examples:
          fovea train --model resnet20 --epochs 100 --out runs/resnet20
          fovea train --model lenet --epochs 20 --lr 0.05 --out runs/lenet
          fovea train --resume runs/resnet20
        """)

    @Option(help: "The dataset.") var dataset = "cifar10"
    @Option(help: "The model: \(ModelCatalog.names.joined(separator: ", ")).") var model = "resnet20"
    @Option(help: "Epochs to train.") var epochs = 30
    @Option(help: "Images per batch.") var batchSize = 128
    @Option(name: .customLong("lr"), help: "Learning rate (the peak for onecycle).") var learningRate = 0.1
    @Option(help: "Learning-rate schedule (step: ×0.1 at 50 % and 75 % of the steps; onecycle: up, then down).")
    var schedule: TrainingSettings.ScheduleKind = .cosine
    @Option(help: "Epochs of linear warm-up before the schedule.") var warmup = 0
    @Option(help: "Optimizer.") var optimizer: TrainingSettings.OptimizerKind = .sgd
    @Option(help: "SGD momentum.") var momentum = 0.9
    @Flag(help: "Nesterov momentum (SGD).") var nesterov = false
    @Option(help: "Weight decay (L2 for SGD, decoupled for AdamW).") var weightDecay = 5e-4
    @Option(help: "Label smoothing of the cross-entropy.") var labelSmoothing = 0.0
    @Flag(help: "No crop and flip augmentation (normalisation only).") var noAugment = false
    @Option(help: "Cutout: side of the square erased from each training image (0: off).") var cutout = 0
    @Option(name: .customLong("val-split"), help: "Training images held out for validation and best.safetensors (0: none).")
    var validationSplit = 0
    @Option(help: "Use only the first N training images (quick experiments).") var trainImages: Int?
    @Option(help: "Evaluate on only the first N test images (quick experiments).") var testImages: Int?
    @Option(help: "Seed for initialisation, shuffling, augmentation and the validation split.") var seed: UInt64 = 0
    @Option(help: ArgumentHelp("Folder holding cifar-10-batches-bin/ (default: $FOVEA_DATA, else ~/.cache/fovea, where CIFAR-10 is downloaded when missing).", valueName: "dir"))
    var data: String?
    @Option(help: ArgumentHelp("The run folder (default: runs/MODEL-DATASET).", valueName: "run-dir")) var out: String?
    @Option(help: "Threads (default: $FOVEA_NUM_THREADS, else all cores). Results do not depend on it.") var threads: Int?
    @Option(help: ArgumentHelp("Continue the run in this folder with its saved settings (only --threads and --data may be given again).", valueName: "run-dir"))
    var resume: String?

    func validate() throws {
        if let threads, threads <= 0 { throw ValidationError("--threads must be positive") }
        guard dataset == "cifar10" else { throw ValidationError("--dataset: only cifar10 for now, not '\(dataset)'") }
        guard ModelCatalog.names.contains(model) || model.hasPrefix("resnet") else {
            throw ValidationError("--model must be one of \(ModelCatalog.names.joined(separator: ", ")), not '\(model)'")
        }
    }

    /// Flags that a resume takes from the checkpoint; giving one with --resume is an error.
    static let resumeForbidden = ["--dataset", "--model", "--epochs", "--batch-size", "--lr", "--schedule", "--warmup",
                                  "--optimizer", "--momentum", "--nesterov", "--weight-decay", "--label-smoothing",
                                  "--no-augment", "--cutout", "--val-split", "--train-images", "--test-images", "--seed", "--out"]

    func run() throws {
        setThreads(threads)
        try reportingErrors("train") {
            let display = ProgressDisplay.standardOutput()
            let settings: TrainingSettings, folder: RunFolder, checkpoint: TrainingCheckpoint?
            if let resume {
                let given = CommandLine.arguments.filter { argument in Self.resumeForbidden.contains { argument == $0 || argument.hasPrefix($0 + "=") } }
                if !given.isEmpty {
                    throw ValidationError("--resume takes every setting from the run; only --threads and --data may be given (not \(given.joined(separator: ", ")))")
                }
                folder = RunFolder(resume)
                checkpoint = try TrainingCheckpoint.read(folder.lastCheckpoint)
                guard let saved = checkpoint?.settings else {
                    throw TrainingError.notATrainingCheckpoint(path: folder.lastCheckpoint, missing: "fovea.settings")
                }
                settings = saved
            } else {
                settings = try makeSettings()
                folder = RunFolder(out ?? "runs/\(model)-\(dataset)")
                if FileManager.default.fileExists(atPath: folder.lastCheckpoint) { throw TrainingError.runExists(path: folder.path) }
                checkpoint = nil
            }
            try settings.validate()
            let cifar = try CIFAR10.folderOrDownload(data: data, say: sayOnStandardError)
            let data = Trainer.prepare((try CIFAR10.trainingSet(in: cifar), try CIFAR10.testSet(in: cifar)), settings: settings)
            try folder.create()
            try folder.recordCommand(quotedCommandLine)
            let trainer = try Trainer(settings: settings, training: data.training, validation: data.validation, test: data.test,
                                      folder: folder, display: display)
            if let checkpoint {
                try trainer.restore(from: checkpoint, source: folder.lastCheckpoint)
                display.note("Resuming \(folder.path) after epoch \(trainer.progress.epochsDone) of \(settings.epochs) "
                             + "(step \(trainer.progress.step), \(Int(trainer.progress.wallSeconds)) s of compute so far)")
            }
            display.note(describe(settings, trainer: trainer, cifar: cifar, folder: folder))
            if settings.validationSplit == 0 {
                display.note("No validation split (--val-split N): no best.safetensors; the test set is only reported, never used to choose.")
            }
            try trainer.run()
            let last = trainer.history.last
            display.note("Done: \(settings.epochs) epochs in \(String(format: "%.1f", trainer.progress.wallSeconds)) s of compute"
                         + (last?.testAccuracy.map { String(format: "; final test accuracy %.2f %%", 100 * $0) } ?? "")
                         + ". Checkpoint: \(folder.lastCheckpoint)")
        }
    }

    func makeSettings() throws -> TrainingSettings {
        let transform = noAugment ? ImageTransform.cifar10Evaluation : .cifar10Training(cutout: cutout)
        var settings = TrainingSettings(model: ModelSpec(name: model, classes: 10), epochs: epochs, batchSize: batchSize,
                                        learningRate: learningRate, transform: transform)
        settings.dataset = dataset
        settings.schedule = schedule
        settings.warmupEpochs = warmup
        settings.optimizer = optimizer
        settings.momentum = momentum
        settings.nesterov = nesterov
        settings.weightDecay = weightDecay
        settings.labelSmoothing = labelSmoothing
        settings.validationSplit = validationSplit
        settings.trainingImages = trainImages
        settings.testImages = testImages
        settings.seed = seed
        return settings
    }

    func describe(_ s: TrainingSettings, trainer: Trainer, cifar: String, folder: RunFolder) -> String {
        let optimizer = s.optimizer == .sgd
            ? "SGD\(s.nesterov ? " (Nesterov)" : "") momentum \(s.momentum)" : "AdamW"
        let augmentation = s.transform.isRandom
            ? "crop ±\(s.transform.cropPadding) + flip\(s.transform.cutout > 0 ? " + cutout \(s.transform.cutout)" : "")" : "none"
        return """
        \(s.model.name): \(grouped(trainer.model.parameterCount)) parameters · CIFAR-10 from \(cifar): \(trainer.training.count) training\
        \(trainer.validation.map { ", \($0.count) validation" } ?? ""), \(trainer.test?.count ?? 0) test images
        \(s.epochs) epochs × \(trainer.loader.batchesPerEpoch) batches of \(s.batchSize) · \(optimizer), lr \(s.learningRate) \(s.schedule.rawValue)\
        \(s.warmupEpochs > 0 ? " after \(s.warmupEpochs) warm-up epochs" : ""), weight decay \(s.weightDecay)\
        \(s.labelSmoothing > 0 ? ", label smoothing \(s.labelSmoothing)" : "") · augmentation: \(augmentation) · seed \(s.seed)
        \(CPUBackend.shared.name) · run folder \(folder.path)
        """
    }
}

extension TrainingSettings.ScheduleKind: ExpressibleByArgument {}
extension TrainingSettings.OptimizerKind: ExpressibleByArgument {}

