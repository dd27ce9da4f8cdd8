import ArgumentParser
import Foundation
import Fovea
import FoveaData
import FoveaModels
import FoveaPlot
import FoveaTraining

/// `fovea train`: trains a model on CIFAR-10 into a run folder, or continues one.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a model on CIFAR-10 or ImageNet, or continue a run with --resume.",
        discussion: """
        Every epoch appends a row to RUN_DIR/metrics.csv, writes RUN_DIR/last.safetensors (model, \
        optimizer, progress and these settings) and redraws loss.png and accuracy.png. With --val-split, \
        RUN_DIR/best.safetensors keeps the epoch with the best validation accuracy. A killed run \
        continues with `fovea train --resume RUN_DIR` and ends with the same weights as an \
        uninterrupted one (same seed and thread count).

        --model airbench94 brings airbench94's whole recipe (Jordan 2024): batch 1024, 10 epochs, \
        Nesterov SGD, label smoothing 0.2, the trapezoid schedule, lookahead, reflect shifts and \
        alternating flips, and mirror + translate test-time augmentation for the final accuracy \
        (test_acc_tta); every flag given still overrides its part.

        Examples:
          fovea train --model resnet20 --epochs 100 --out runs/resnet20
          fovea train --model airbench94 --seed 0 --out runs/airbench94-seed0
          fovea train --model lenet --epochs 20 --lr 0.05 --out runs/lenet
          fovea train --dataset imagenet32 --model wrn-28-2 --data ~/datasets --out runs/wrn-28-2-imagenet32
          fovea train --dataset imagenet --model resnet50 --data ~/datasets --out runs/resnet50-imagenet
          fovea train --resume runs/resnet20
        """)

    @Option(help: "The dataset: cifar10; imagenet (a folder with train/ and val/, one folder per class; val/ is reported as the test set); or downsampled ImageNet, imagenet8, imagenet16, imagenet32 or imagenet64 (the official .npz files; val_data.npz as the test set).")
    var dataset = "cifar10"
    @Option(help: "The model: \(ModelCatalog.names.joined(separator: ", ")) (default: resnet20; imagenet: resnet18; imagenet32: wrn-28-2; imagenet64: wrn-36-2).")
    var model: String?
    var modelName: String {
        model ?? (dataset == "imagenet" ? "resnet18" : downsampledSize == 64 ? "wrn-36-2" : downsampledSize != nil ? "wrn-28-2" : "resnet20")
    }
    /// The side of downsampled ImageNet's images, when `--dataset` names one.
    var downsampledSize: Int? { DownsampledImageNet.size(ofDataset: dataset) }
    @Option(help: "imagenet: the side of the training and evaluation crops (default: 224).") var imageSize: Int?
    @Flag(help: "imagenet: leave out images that fail to decode (each is named at the end) instead of stopping.") var skipBadImages = false
    @Option(help: "imagenet: decoding threads (default: the engine's thread count).") var workers: Int?
    @Option(help: "imagenet: also rotate each training image by up to ± this many degrees.") var rotation = 0.0
    @Option(help: "imagenet: also jitter brightness, contrast and saturation by up to ± this fraction (torchvision's ColorJitter).") var jitter = 0.0
    @Option(help: "Epochs to train (default: 30; airbench94: 10).") var epochs: Int?
    @Option(help: "Images per batch (default: 128; airbench94: 1024).") var batchSize: Int?
    @Option(name: .customLong("lr"), help: "Learning rate, the peak of the schedule (default: 0.1; airbench94: 1.5).") var learningRate: Double?
    @Option(help: "Learning-rate schedule (step: ×0.1 at 50 % and 75 % of the steps; onecycle: up, then down; trapezoid: airbench's lines up and down; default: cosine; airbench94: trapezoid).")
    var schedule: TrainingSettings.ScheduleKind?
    @Option(help: "Epochs of linear warm-up before the schedule.") var warmup = 0
    @Option(help: "Optimizer.") var optimizer: TrainingSettings.OptimizerKind = .sgd
    @Option(help: "SGD momentum (default: 0.9; airbench94: 0.85).") var momentum: Double?
    @Flag(inversion: .prefixedNo, help: "Nesterov momentum, SGD (default: off; airbench94: on).") var nesterov: Bool?
    @Option(help: "Weight decay, L2 for SGD and decoupled for AdamW (default: 5e-4; airbench94: 0.0013).") var weightDecay: Double?
    @Option(help: "Label smoothing of the cross-entropy (default: 0; airbench94: 0.2).") var labelSmoothing: Double?
    @Option(help: "Pull the weights to their moving average every N steps, 0: off (default: 0; airbench94: 5).") var lookaheadEvery: Int?
    @Option(help: "airbench94: set the whitening layer from this many training images (default: 5000); 0: no whitening, an ordinary trainable first layer (for ablations).")
    var whiteningImages: Int?
    @Option(name: .customLong("norm-bias-lr-scale"), help: "Batch-norm biases learn at this multiple of the rate (default: 1; airbench94: 64).")
    var normBiasRateScale: Double?
    @Option(name: .customLong("tta"), help: "Test-time augmentation for the final accuracy, test_acc_tta (default: none; airbench94: mirror-translate).")
    var testTimeAugmentation: TestTimeAugmentation?
    @Option(help: "airbench94's flips: alternating (a coin per image, all inverted every other epoch) or random (a coin per draw).")
    var flip: FlipKind?
    @Flag(help: "No crop and flip augmentation (normalisation only).") var noAugment = false
    @Option(help: "Cutout: side of the square erased from each training image (0: off).") var cutout = 0
    @Option(name: .customLong("val-split"), help: "Training images held out for validation and best.safetensors (0: none).")
    var validationSplit = 0
    @Option(help: "Use only the first N training images (quick experiments).") var trainImages: Int?
    @Option(help: "Evaluate on only the first N test images (quick experiments).") var testImages: Int?
    @Option(help: "Seed for initialisation, shuffling, augmentation and the validation split.") var seed: UInt64 = 0
    @Option(help: ArgumentHelp("Folder holding cifar-10-batches-bin/, imagenet/ or imagenet32/ (or the dataset's own folder; default: $FOVEA_DATA, else ~/.cache/fovea, where CIFAR-10 is downloaded when missing).", valueName: "dir"))
    var data: String?
    @Option(help: ArgumentHelp("The run folder (default: runs/MODEL-DATASET).", valueName: "run-dir")) var out: String?
    @Option(help: "Threads (default: $FOVEA_NUM_THREADS, else all cores). Results do not depend on it.") var threads: Int?
    @Option(help: ArgumentHelp("Continue the run in this folder with its saved settings (only --threads and --data may be given again).", valueName: "run-dir"))
    var resume: String?

    enum FlipKind: String, ExpressibleByArgument, CaseIterable { case alternating, random }

    func validate() throws {
        if let threads, threads <= 0 { throw ValidationError("--threads must be positive") }
        if let lookaheadEvery, lookaheadEvery < 0 { throw ValidationError("--lookahead-every must not be negative") }
        if let whiteningImages {
            guard modelName == "airbench94" else { throw ValidationError("--whitening-images is for airbench94") }
            guard whiteningImages >= 0 else { throw ValidationError("--whitening-images must not be negative") }
        }
        guard dataset == "cifar10" || dataset == "imagenet" || downsampledSize != nil else {
            throw ValidationError("--dataset must be cifar10, imagenet, imagenet8, imagenet16, imagenet32 or imagenet64, not '\(dataset)'")
        }
        guard ModelCatalog.knows(modelName) else {
            throw ValidationError("--model must be one of \(ModelCatalog.names.joined(separator: ", ")) (or resnetD with D = 6n + 2, wrn-D-K), not '\(modelName)'")
        }
        if dataset == "imagenet" {
            guard ["resnet18", "resnet50"].contains(modelName) else {
                throw ValidationError("--dataset imagenet trains resnet18 or resnet50, not '\(modelName)'")
            }
            if validationSplit > 0 || trainImages != nil || testImages != nil {
                throw ValidationError("--val-split, --train-images and --test-images are for cifar10 (imagenet has its own val/)")
            }
        } else if downsampledSize != nil && modelName == "airbench94" {
            throw ValidationError("airbench94 is CIFAR-10's recipe; on \(dataset) train wrn-28-2 (or another wrn-D-K, or a CIFAR ResNet)")
        } else if imageSize != nil || skipBadImages || workers != nil || rotation != 0 || jitter != 0 {
            throw ValidationError("--image-size, --skip-bad-images, --workers, --rotation and --jitter are for --dataset imagenet")
        }
        if rotation < 0 || jitter < 0 { throw ValidationError("--rotation and --jitter must not be negative") }
    }

    /// Flags that a resume takes from the checkpoint; giving one with --resume is an error.
    static let resumeForbidden = ["--dataset", "--model", "--epochs", "--batch-size", "--lr", "--schedule", "--warmup",
                                  "--optimizer", "--momentum", "--nesterov", "--no-nesterov", "--weight-decay", "--label-smoothing",
                                  "--lookahead-every", "--norm-bias-lr-scale", "--tta", "--flip", "--whitening-images",
                                  "--no-augment", "--cutout", "--val-split", "--train-images", "--test-images", "--seed", "--out",
                                  "--image-size", "--skip-bad-images", "--rotation", "--jitter"]

    func run() throws {
        setThreads(threads)
        try reportingErrors("train") {
            let display = ProgressDisplay.standardOutput()
            var settings: TrainingSettings, folder: RunFolder, checkpoint: TrainingCheckpoint?
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
                folder = RunFolder(out ?? "runs/\(modelName)-\(dataset)")
                if FileManager.default.fileExists(atPath: folder.lastCheckpoint) { throw TrainingError.runExists(path: folder.path) }
                checkpoint = nil
            }
            try settings.validate()
            let trainer: Trainer, source: String
            var decodingLoaders: [ImageFolderLoader] = []
            if settings.dataset == "imagenet" {
                (trainer, source, decodingLoaders) = try makeImageNetTrainer(&settings, folder: folder, display: display, resuming: checkpoint != nil)
            } else if let size = settings.downsampledSize {
                (trainer, source) = try makeDownsampledTrainer(settings, size: size, folder: folder, display: display)
            } else {
                source = try CIFAR10.folderOrDownload(data: data, say: sayOnStandardError)
                let data = Trainer.prepare((try CIFAR10.trainingSet(in: source), try CIFAR10.testSet(in: source)), settings: settings)
                try folder.create()
                try folder.recordCommand(quotedCommandLine)
                trainer = try Trainer(settings: settings, training: data.training, validation: data.validation, test: data.test,
                                      folder: folder, display: display)
            }
            if let checkpoint {
                try trainer.restore(from: checkpoint, source: folder.lastCheckpoint)
                display.note("Resuming \(folder.path) after epoch \(trainer.progress.epochsDone) of \(settings.epochs) "
                             + "(step \(trainer.progress.step), \(Int(trainer.progress.wallSeconds)) s of compute so far)")
            }
            display.note(describe(settings, trainer: trainer, source: source, folder: folder))
            if settings.validationSplit == 0 {
                display.note("No validation split (--val-split N): no best.safetensors; the test set is only reported, never used to choose.")
            }
            try trainer.run()
            let skipped = decodingLoaders.flatMap(\.skippedImages)
            if !skipped.isEmpty {
                display.note("left out \(skipped.count) images that failed to decode (--skip-bad-images):\n  "
                             + skipped.prefix(20).joined(separator: "\n  ") + (skipped.count > 20 ? "\n  …" : ""))
            }
            let last = trainer.history.last
            display.note("Done: \(settings.epochs) epochs in \(String(format: "%.1f", trainer.progress.wallSeconds)) s of compute"
                         + (last?.testAccuracy.map { String(format: "; final test accuracy %.2f %%", 100 * $0) } ?? "")
                         + ". Checkpoint: \(folder.lastCheckpoint)")
        }
    }

    /// The model's recipe (airbench94's, or the plain defaults), then every flag given on top.
    func makeSettings() throws -> TrainingSettings {
        let airbench = modelName == "airbench94"
        var settings = dataset == "imagenet"
            ? TrainingSettings.imagenet(model: modelName, batchSize: batchSize ?? 256, imageSize: imageSize ?? 224)
            : downsampledSize.map { TrainingSettings.downsampledImageNet(model: modelName, size: $0, batchSize: batchSize ?? 128) }
            ?? (airbench ? TrainingSettings.airbench94()
                : TrainingSettings(model: ModelSpec(name: modelName, classes: 10), epochs: 30, batchSize: 128, learningRate: 0.1,
                                   transform: .cifar10Training(cutout: cutout)))
        if skipBadImages { settings.skipBadImages = true }
        if rotation > 0 || jitter > 0 {
            settings.extraAugmentation = ExtraAugmentation(degrees: rotation, brightness: jitter, contrast: jitter, saturation: jitter)
        }
        if airbench && (cutout > 0 || flip == .random) {
            settings.transform = ImageTransform(horizontalFlip: flip == .random, cutout: cutout, translate: 2,
                                                alternatingFlip: flip != .random, mean: CIFAR10.mean, std: CIFAR10.std)
        } else if flip != nil && !airbench {
            throw ValidationError("--flip applies to airbench94's augmentation only")
        }
        if noAugment { settings.transform = settings.transform.evaluation }
        settings.dataset = dataset
        if let epochs { settings.epochs = epochs }
        if let batchSize { settings.batchSize = batchSize }
        if let learningRate { settings.learningRate = learningRate }
        if let schedule { settings.schedule = schedule }
        settings.warmupEpochs = warmup
        settings.optimizer = optimizer
        if let momentum { settings.momentum = momentum }
        if let nesterov { settings.nesterov = nesterov }
        if let weightDecay { settings.weightDecay = weightDecay }
        if let labelSmoothing { settings.labelSmoothing = labelSmoothing }
        if let lookaheadEvery { settings.lookaheadEvery = lookaheadEvery > 0 ? lookaheadEvery : nil }
        if let whiteningImages { settings.whiteningImages = whiteningImages }
        if let normBiasRateScale { settings.normBiasRateScale = normBiasRateScale == 1 ? nil : normBiasRateScale }
        if let testTimeAugmentation { settings.testTimeAugmentation = testTimeAugmentation == TestTimeAugmentation.none ? nil : testTimeAugmentation }
        settings.validationSplit = validationSplit
        settings.trainingImages = trainImages
        settings.testImages = testImages
        settings.seed = seed
        return settings
    }

    /// JPEG through libjpeg-turbo (DCT-scaled down to `shortSide`), PNG through Cairo.
    static let imageDecoder: ImageFolderLoader.Decoder = { path, shortSide in
        path.lowercased().hasSuffix(".png") ? try ImageFile.read(path) : try JPEG.decode(path, shortSide: shortSide)
    }

    /// The trainer on an image folder: `train/` decoded by worker threads, `val/` (when present) as the test set.
    func makeImageNetTrainer(_ settings: inout TrainingSettings, folder: RunFolder, display: ProgressDisplay, resuming: Bool) throws
        -> (Trainer, String, [ImageFolderLoader]) {
        let root = try ImageNetLocation.folder(data: data)
        let train = try ImageFolder(root: root + "/train")
        let val = FileManager.default.fileExists(atPath: root + "/val") ? try ImageFolder(root: root + "/val") : nil
        if let val, val.classNames != train.classNames {
            throw TrainingError.invalidSettings("\(root)/val holds other classes than \(root)/train (\(val.classNames.count) vs \(train.classNames.count) names)")
        }
        if !resuming { settings.model.classes = train.classNames.count }
        guard settings.model.classes == train.classNames.count else {
            throw TrainingError.invalidSettings("the run has \(settings.model.classes) classes, \(root)/train has \(train.classNames.count)")
        }
        let transform = ImageNetTransform(size: settings.imageSize ?? 224, extra: settings.extraAugmentation ?? ExtraAugmentation())
        let decoder = Self.imageDecoder
        let training = ImageFolderLoader(train, batchSize: settings.batchSize, training: true, transform: transform, seed: settings.seed,
                                         dropLast: settings.dropLastBatch, workers: workers, skipsBadImages: settings.skipBadImages ?? false,
                                         decoder: decoder)
        let test = val.map { ImageFolderLoader($0, batchSize: 100, training: false, transform: transform, workers: workers,
                                                skipsBadImages: settings.skipBadImages ?? false, decoder: decoder) }
        try folder.create()
        try folder.recordCommand(quotedCommandLine)
        let trainer = try Trainer(settings: settings, training: training, validation: nil, test: test, folder: folder, display: display)
        trainer.projectAfterBatches = min(20, training.batchesPerEpoch)
        return (trainer, root, [training] + (test.map { [$0] } ?? []))
    }

    /// The trainer on downsampled ImageNet, its bytes in memory: the training files, and
    /// `val_data.npz` (when present) as the test set.
    func makeDownsampledTrainer(_ settings: TrainingSettings, size: Int, folder: RunFolder, display: ProgressDisplay) throws -> (Trainer, String) {
        let files = try DownsampledImageNet.files(size: size, data: data)
        if files.classMap == nil {
            display.note("No \(DownsampledImageNet.classMapFile) in \(files.folder): labels keep the files' numbering (1…1000 → 0…999) and classes "
                         + "have no names. Put the devkit's \(DownsampledImageNet.classMapFile) there for the synset order and names.")
        }
        display.note("Reading \(files.training.count) training files from \(files.folder) …")
        let training = try DownsampledImageNet.load(files.training, size: size, classMap: files.classMap, limit: settings.trainingImages)
        let test = try files.validation.map { try DownsampledImageNet.load([$0], size: size, classMap: files.classMap, limit: settings.testImages) }
        let data = Trainer.prepare((training, test), settings: settings)
        try folder.create()
        try folder.recordCommand(quotedCommandLine)
        let trainer = try Trainer(settings: settings, training: data.training, validation: data.validation, test: data.test,
                                  folder: folder, display: display)
        trainer.projectAfterBatches = min(20, trainer.loader.batchesPerEpoch)
        return (trainer, files.folder)
    }

    func describe(_ s: TrainingSettings, trainer: Trainer, source: String, folder: RunFolder) -> String {
        let optimizer = s.optimizer == .sgd
            ? "SGD\(s.nesterov ? " (Nesterov)" : "") momentum \(s.momentum)" : "AdamW"
        let t = s.transform
        let extra = s.extraAugmentation.map { e in (e.degrees > 0 ? " + rotation ±\(String(format: "%g", e.degrees))°" : "")
            + (e.brightness > 0 ? " + colour jitter \(String(format: "%g", e.brightness))" : "") } ?? ""
        let augmentation = s.dataset == "imagenet" ? "random resized crop (scale 0.08–1) + flip" + extra : !t.isRandom ? "none"
            : [t.cropPadding > 0 ? "crop ±\(t.cropPadding)" : nil, t.translate > 0 ? "shift ±\(t.translate) (reflect)" : nil,
               t.horizontalFlip ? "flip" : nil, t.alternatingFlip ? "alternating flip" : nil,
               t.cutout > 0 ? "cutout \(t.cutout)" : nil].compactMap { $0 }.joined(separator: " + ")
        let tricks = [s.whiteningImages == 0 ? "no whitening (first layer trained from random)" : nil, s.lookaheadEvery.map { "lookahead every \($0) steps" }, s.normBiasRateScale.map { "BN biases at \(String(format: "%g", $0))× lr" },
                      s.testTimeAugmentation.map { "final test with \($0.rawValue) TTA" }].compactMap { $0 }
        return """
        \(s.model.name): \(grouped(trainer.model.parameterCount)) parameters · \(s.datasetTitle) from \(source): \
        \(trainer.loader.imageCount) training\(trainer.validationBatches.map { ", \($0.imageCount) validation" } ?? ""), \
        \(trainer.testBatches?.imageCount ?? 0) \(s.dataset == "imagenet" ? "val/ (as test)" : s.downsampledSize != nil ? "validation (as test)" : "test") images\
        \(s.dataset == "imagenet" ? " · \(s.model.classes) classes, \(s.imageSize ?? 224)×\(s.imageSize ?? 224) crops" : "")
        \(s.epochs) epochs × \(trainer.loader.batchesPerEpoch) batches of \(s.batchSize) · \(optimizer), lr \(String(format: "%g", s.learningRate)) \(s.schedule.rawValue)\
        \(s.warmupEpochs > 0 ? " after \(s.warmupEpochs) warm-up epochs" : ""), weight decay \(String(format: "%g", s.weightDecay))\
        \(s.labelSmoothing > 0 ? ", label smoothing \(s.labelSmoothing)" : "") · augmentation: \(augmentation) · seed \(s.seed)\
        \(tricks.isEmpty ? "" : "\n" + tricks.joined(separator: " · "))
        \(CPUBackend.shared.name) · run folder \(folder.path)
        """
    }
}

extension TrainingSettings.ScheduleKind: ExpressibleByArgument {}
extension TrainingSettings.OptimizerKind: ExpressibleByArgument {}
extension TestTimeAugmentation: ExpressibleByArgument {}

