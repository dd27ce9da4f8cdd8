import Foundation
import Fovea
import FoveaData
import FoveaModels
import FoveaPlot
import FoveaTestSupport
import FoveaTraining
import Testing

/// `fovea filters`, `predict` and `features` on a checkpoint a short run trained here (synthetic
/// images, no data files needed): they need nothing but the checkpoint, and write real PNGs.
@Suite("commands on a saved checkpoint", .serialized, .enabled(if: Products.isBuilt("fovea"), "build fovea first (make build)"))
struct CheckpointCommandsTests {
    /// Trains LeNet one epoch on 64 random 32×32 images of 10 classes; returns the run folder.
    static func trainedRun() throws -> RunFolder {
        let folder = RunFolder(TemporaryFolders.path("ckpt"))
        try folder.create()
        var rng = SplitMix64(seed: 4)
        let images = Tensor.uniform([64, 3, 32, 32], using: &rng)
        let data = ImageDataset(images: images, labels: (0..<64).map { $0 % 10 }, classNames: CIFAR10.classNames)
        let settings = TrainingSettings(model: ModelSpec(name: "lenet"), epochs: 1, batchSize: 16, learningRate: 0.01,
                                        transform: .cifar10Training())
        let trainer = try Trainer(settings: settings, training: data, validation: nil, test: nil, folder: folder,
                                  display: ProgressDisplay(style: .silent))
        try trainer.run()
        return folder
    }

    /// A 40×50 PNG photo (not the network's size: predict and features must fit it).
    static func photo(in folder: RunFolder) throws -> String {
        var rng = SplitMix64(seed: 5)
        let path = folder.path + "/photo.png"
        try ImageFile.write(Tensor.uniform([3, 40, 50], using: &rng), to: path)
        return path
    }

    @Test("filters: the first conv layer by default, any layer by name, a clear error for a wrong name")
    func filters() throws {
        let run = try Self.trainedRun()
        defer { try? FileManager.default.removeItem(atPath: run.path) }
        let first = try Products.run("fovea", ["filters", run.lastCheckpoint])
        #expect(first.status == 0, "\(first.standardError)")
        let conv1 = try ImageFile.read(run.path + "/filters-conv1.png")
        #expect(conv1.shape[0] == 3 && conv1.shape[2] > 6 * 20, "6 filters side by side: \(conv1.shape)")
        let second = try Products.run("fovea", ["filters", run.lastCheckpoint, "--layer", "conv2", "--out", run.path + "/c2.png"])
        #expect(second.status == 0)
        let conv2 = try ImageFile.read(run.path + "/c2.png")
        #expect(conv2.shape[1] > conv1.shape[1], "16 rows of 6 channels are taller than one row: \(conv2.shape)")
        let wrong = try Products.run("fovea", ["filters", run.lastCheckpoint, "--layer", "fc1"])
        #expect(wrong.status == 64 && wrong.standardError.contains("the conv layers are conv1, conv2"))
    }

    @Test("predict: top classes with probabilities that sum to one, and the figure")
    func predict() throws {
        let run = try Self.trainedRun()
        defer { try? FileManager.default.removeItem(atPath: run.path) }
        let photo = try Self.photo(in: run)
        let result = try Products.run("fovea", ["predict", run.lastCheckpoint, photo, "--top", "10", "--out", run.path])
        #expect(result.status == 0, "\(result.standardError)")
        let percentages = result.standardOutput.split(separator: "\n").dropFirst().compactMap { line in
            line.split(separator: "%").first.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        }
        #expect(percentages.count == 10)
        #expect(abs(percentages.reduce(0, +) - 100) < 0.2)
        let figure = try ImageFile.read(run.path + "/predict-photo.png")
        #expect(figure.shape[1] >= 192 && figure.shape[2] >= 192 + 500, "image zoomed to 192 px beside the bars: \(figure.shape)")
        let missing = try Products.run("fovea", ["predict", run.lastCheckpoint, "/nonexistent.png"])
        #expect(missing.status == 1 && missing.standardError.contains("/nonexistent.png") && !missing.crashed)
    }

    @Test("features: the input and one figure per stage (conv1, pool, conv2, pool for LeNet)")
    func features() throws {
        let run = try Self.trainedRun()
        defer { try? FileManager.default.removeItem(atPath: run.path) }
        let photo = try Self.photo(in: run)
        let result = try Products.run("fovea", ["features", run.lastCheckpoint, photo, "--out", run.path + "/maps"])
        #expect(result.status == 0, "\(result.standardError)")
        let files = try FileManager.default.contentsOfDirectory(atPath: run.path + "/maps").sorted()
        #expect(files == ["00-input.png", "01-conv1.png", "02-pool.png", "03-conv2.png", "04-pool.png"])
        #expect(try ImageFile.read(run.path + "/maps/00-input.png").shape == [3, 32, 32])
        let conv1 = try ImageFile.read(run.path + "/maps/01-conv1.png"), conv2 = try ImageFile.read(run.path + "/maps/03-conv2.png")
        #expect(conv1.shape[2] > 200 && conv2.shape[1] > conv1.shape[1] / 2)
    }

    @Test("a file that is not a checkpoint is one line naming it")
    func notACheckpoint() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-not-\(UUID().uuidString).safetensors").path
        _ = FileManager.default.createFile(atPath: path, contents: Data("hello".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        for command in ["filters", "eval"] {
            let result = try Products.run("fovea", [command, path])
            #expect(result.status == 1 && !result.crashed)
            #expect(result.standardError.contains(path) && result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
        }
    }
}
