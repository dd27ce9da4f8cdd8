import Foundation
import Fovea
import FoveaData
import FoveaModels
import FoveaTraining
import Testing

/// airbench94's recipe in the trainer, on the small synthetic dataset of ``TrainerTests``.
@Suite("fast recipe (airbench94)")
struct FastRecipeTests {
    /// The recipe, shrunk: 3 epochs of 2 batches of 32, whitening from 32 images, the bias trained
    /// for 1 epoch, lookahead every 2 steps.
    static func settings() -> TrainingSettings {
        var settings = TrainingSettings.airbench94(classes: 4)
        (settings.epochs, settings.batchSize, settings.whiteningImages, settings.whiteningBiasEpochs) = (3, 32, 32, 1)
        (settings.lookaheadEvery, settings.seed) = (2, 3)
        settings.transform.mean = [0.3, 0.3, 0.3]
        settings.transform.std = [0.3, 0.3, 0.3]
        return settings
    }

    static let test = TrainerTests.dataset(count: 24, seed: 2)

    static func makeTrainer(folder: RunFolder?) throws -> Trainer {
        try Trainer(settings: settings(), training: TrainerTests.dataset(count: 80), validation: nil, test: test, folder: folder,
                    display: ProgressDisplay(style: .silent))
    }

    @Test("the recipe's settings: batch 1024, 10 epochs, Nesterov 0.85, lr 1.5, decay per step 0.0153/7.67, BN biases at 64×")
    func recipe() {
        let s = TrainingSettings.airbench94()
        #expect(s.batchSize == 1024 && s.epochs == 10 && s.nesterov && s.momentum == 0.85 && s.labelSmoothing == 0.2)
        #expect(abs(s.learningRate - 1.5) < 1e-9)
        #expect(abs(s.learningRate * s.weightDecay - 0.0153 / (1 + 1 / 0.15)) < 1e-12)
        #expect(s.schedule == .trapezoid && s.normBiasRateScale == 64 && s.lookaheadEvery == 5 && s.testTimeAugmentation == .mirrorTranslate)
        var rng = SplitMix64(seed: 0)
        let optimizer = s.makeOptimizer(for: Airbench94(using: &rng)) as! SGD
        #expect(optimizer.overrides.count == 6 && optimizer.overrides["block2.norm1.bias"]?.learningRateScale == 64)
        #expect(optimizer.overrides["block2.norm1.bias"]!.weightDecay * 64 == s.weightDecay)
    }

    @Test("whitening from the data, a frozen weight, the bias frozen after its epochs, drop-last batches, TTA on the last row")
    func run() throws {
        let trainer = try Self.makeTrainer(folder: nil)
        let net = try #require(trainer.model as? Airbench94)
        let whitened = net.whiten.weight.doubles
        #expect(trainer.loader.batchesPerEpoch == 2, "80 images make 2 full batches of 32; the last 16 are dropped")
        try trainer.runEpoch()
        let biasAfterOne = net.whiten.bias!.doubles
        try trainer.run()
        #expect(net.whiten.weight.doubles == whitened, "the whitening weight never trains")
        #expect(net.whiten.bias!.doubles == biasAfterOne, "the whitening bias trains for 1 epoch only")
        #expect(trainer.history.map(\.step) == [2, 4, 6])
        #expect(trainer.history.dropLast().allSatisfy { $0.testAccuracyTTA == nil })
        let tta = try #require(trainer.history.last?.testAccuracyTTA)
        let again = Evaluation.run(trainer.model, on: Self.test, transform: trainer.settings.transform, testTimeAugmentation: .mirrorTranslate)
        #expect(again.accuracy == tta)
    }

    @Test("stopped after epoch 1 and resumed (lookahead average from the checkpoint): bit-identical to a straight run")
    func resume() throws {
        let straight = try Self.makeTrainer(folder: nil)
        try straight.run()
        let folder = TrainerTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder.path) }
        try folder.create()
        try Self.makeTrainer(folder: folder).runEpoch()
        let saved = try TrainingCheckpoint.read(folder.lastCheckpoint)
        #expect(saved.optimizerState.keys.contains("lookahead.block1.norm1.running_mean"))
        let resumed = try Self.makeTrainer(folder: folder)
        try resumed.restore(from: saved, source: folder.lastCheckpoint)
        try resumed.run()
        for ((name, a), (_, b)) in zip(straight.model.stateDict(), resumed.model.stateDict()) {
            #expect(a.doubles == b.doubles, "\(name) differs after resuming")
        }
    }
}
