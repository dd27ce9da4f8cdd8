import Foundation
import Fovea
import FoveaData
import FoveaModels
import FoveaTestSupport
import FoveaTraining
import Testing

/// The trainer on a small synthetic dataset (no files needed): resume identity, the NaN guard,
/// the run folder.
@Suite("trainer")
struct TrainerTests {
    /// 96 images 3×32×32: class k has a bright square at a position that depends on k, on noise.
    static func dataset(count: Int = 96, seed: UInt64 = 1) -> ImageDataset {
        var rng = SplitMix64(seed: seed)
        var values = [Float](repeating: 0, count: count * 3 * 32 * 32)
        var labels: [Int] = []
        for i in 0..<count {
            let label = i % 4
            labels.append(label)
            for j in 0..<(3 * 1024) { values[i * 3072 + j] = Float(rng.nextUnitDouble()) * 0.3 }
            let (y0, x0) = (label / 2 * 16 + 4, label % 2 * 16 + 4)
            for c in 0..<3 { for y in y0..<(y0 + 8) { for x in x0..<(x0 + 8) { values[i * 3072 + c * 1024 + y * 32 + x] = 0.9 } } }
        }
        return ImageDataset(images: Tensor(shape: [count, 3, 32, 32], values), labels: labels, classNames: ["a", "b", "c", "d"])
    }

    static func settings(epochs: Int = 3, lr: Double = 0.05) -> TrainingSettings {
        var settings = TrainingSettings(model: ModelSpec(name: "lenet", classes: 4), epochs: epochs, batchSize: 16,
                                        learningRate: lr, transform: ImageTransform(cropPadding: 2, horizontalFlip: true, mean: [0.3, 0.3, 0.3], std: [0.3, 0.3, 0.3]))
        settings.validationSplit = 16
        settings.seed = 7
        return settings
    }

    static func temporaryFolder() -> RunFolder {
        RunFolder(TemporaryFolders.path("run"))
    }

    static func makeTrainer(_ settings: TrainingSettings, folder: RunFolder?, images: Int = 96) throws -> Trainer {
        let data = Trainer.prepare((dataset(count: images), dataset(count: 32, seed: 2)), settings: settings)
        return try Trainer(settings: settings, training: data.training, validation: data.validation, test: data.test,
                           folder: folder, display: ProgressDisplay(style: .silent))
    }

    @Test("stop after epoch 1, read the checkpoint back into a new trainer, finish: bit-identical to a straight run")
    func resumeIdentity() throws {
        let straight = try Self.makeTrainer(Self.settings(), folder: nil)
        try straight.run()

        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder.path) }
        try folder.create()
        let first = try Self.makeTrainer(Self.settings(), folder: folder)
        try first.runEpoch()
        let saved = try TrainingCheckpoint.read(folder.lastCheckpoint)
        #expect(saved.progress?.epochsDone == 1)
        #expect(saved.settings == Self.settings())
        #expect(saved.optimizerState.keys.contains("momentum_buffer.conv1.weight"))

        let resumed = try Self.makeTrainer(saved.settings!, folder: folder)
        try resumed.restore(from: saved, source: folder.lastCheckpoint)
        try resumed.run()
        for ((name, a), (_, b)) in zip(straight.model.stateDict(), resumed.model.stateDict()) {
            #expect(a.doubles == b.doubles, "\(name) differs after resuming")
        }
        // Rows of epochs after the resume are computed afresh; the first comes back from metrics.csv (6 digits).
        #expect(straight.history.dropFirst().map(\.trainLoss) == resumed.history.dropFirst().map(\.trainLoss))
        let rows = try folder.readMetrics()
        #expect(rows.map(\.epoch) == [1, 2, 3])
        #expect(rows.map(\.testAccuracy) == straight.history.map(\.testAccuracy))
    }

    @Test("the run folder holds metrics.csv, last and best checkpoints and both curves")
    func runFolder() throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder.path) }
        try folder.create()
        let trainer = try Self.makeTrainer(Self.settings(epochs: 2), folder: folder)
        try trainer.run()
        for file in [folder.metrics, folder.lastCheckpoint, folder.bestCheckpoint, folder.lossCurve, folder.accuracyCurve] {
            #expect(FileManager.default.fileExists(atPath: file), "\(file) is missing")
        }
        let best = try TrainingCheckpoint.read(folder.bestCheckpoint)
        #expect(best.progress?.bestEpoch == trainer.progress.bestEpoch)
        #expect(best.classNames == ["a", "b", "c", "d"])
        // eval, predict and filters rebuild the model from the checkpoint alone.
        let model = try best.makeModel(source: folder.bestCheckpoint)
        #expect(model.parameterCount == trainer.model.parameterCount)
    }

    @Test("a diverging loss stops with the step and keeps the last good checkpoint")
    func divergence() throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder.path) }
        try folder.create()
        var settings = Self.settings(epochs: 4, lr: 0.05)
        let trainer = try Self.makeTrainer(settings, folder: folder)
        try trainer.runEpoch()
        let good = try Data(contentsOf: URL(fileURLWithPath: folder.lastCheckpoint))
        // The same run with an absurd rate diverges: a fresh trainer on the same folder, restored.
        settings.learningRate = 1e12
        let exploding = try Self.makeTrainer(settings, folder: folder)
        try exploding.restore(from: try TrainingCheckpoint.read(folder.lastCheckpoint), source: folder.lastCheckpoint)
        do {
            try exploding.run()
            Issue.record("no divergence at lr 1e12")
        } catch let TrainingError.diverged(step, epoch, _, loss, last) {
            #expect(step >= 5 && epoch == 2 && !loss.isFinite)
            #expect(last == folder.lastCheckpoint)
            #expect(TrainingError.diverged(step: step, epoch: epoch, batch: 0, loss: loss, lastCheckpoint: last).description
                        .contains("training diverged at step \(step)"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.lastCheckpoint)) == good)
    }

    @Test("a short run learns the synthetic classes well above chance (25 %)")
    func learns() throws {
        let trainer = try Self.makeTrainer(Self.settings(epochs: 8, lr: 0.05), folder: nil, images: 320)
        try trainer.run()
        let accuracy = try #require(trainer.history.last?.testAccuracy)
        #expect(accuracy >= 0.6, "test accuracy \(accuracy)")
    }
}
