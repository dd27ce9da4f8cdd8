import Foundation
import FoveaData
import FoveaTestSupport
import FoveaTraining
import Testing

/// `fovea train --dataset imagenet8` on the fixture written in the official .npz format
/// (Tests/Fixtures/imagenet8: 20 training and 6 validation images, and a map_clsloc.txt).
@Suite("fovea train on downsampled ImageNet", .serialized, .enabled(if: Products.isBuilt("fovea"), "build fovea first (make build)"))
struct DownsampledTrainCommandTests {
    static let data = Fixtures.directory + "/imagenet8"

    @Test("two epochs of WRN-10-1, then eval on val_data.npz with the logged accuracy")
    func trainsAndEvaluates() throws {
        let out = TrainCommandTests.temporary("imagenet8-run")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let arguments = ["train", "--dataset", "imagenet8", "--model", "wrn-10-1", "--batch-size", "4", "--threads", "1", "--data", Self.data]
        let run = try Products.run("fovea", arguments + ["--epochs", "2", "--out", out])
        try #require(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("ImageNet 8×8 from \(Self.data): 20 training, 6 validation (as test) images"), "\(run.standardOutput)")
        #expect(run.standardOutput.contains("crop ±1 + flip"))
        let rows = try String(contentsOfFile: out + "/metrics.csv", encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 3 && rows[2].hasPrefix("2,10,"), "5 steps of 4 images an epoch: \(rows)")
        let checkpoint = try TrainingCheckpoint.read(out + "/last.safetensors")
        #expect(checkpoint.inputShape == [3, 8, 8] && checkpoint.settings?.dataset == "imagenet8")
        #expect(checkpoint.classNames.count == 1000 && checkpoint.classNames[0] == ImageFolder.synsets[0].name)

        let evaluated = try Products.run("fovea", ["eval", out + "/last.safetensors", "--data", Self.data, "--threads", "1"])
        try #require(evaluated.status == 0, "\(evaluated.standardError)")
        let logged = rows[2].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let loss = try #require(Double(logged[7]))
        #expect(evaluated.standardOutput.contains("on 6 ImageNet 8×8 validation images"), "\(evaluated.standardOutput)")
        #expect(evaluated.standardOutput.contains(String(format: "mean loss %.4f", loss)), "\(evaluated.standardOutput) vs \(rows[2])")
    }

    @Test("errors: no files under --data lists the paths checked; 8×8 files read as 32×32 name the file; airbench94 is refused")
    func errors() throws {
        let empty = TrainCommandTests.temporary("imagenet8-empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let missing = try Products.run("fovea", ["train", "--dataset", "imagenet32", "--data", empty, "--out", empty + "/run"])
        #expect(missing.status != 0 && missing.standardError.contains(empty + "/imagenet32/train_data_batch_*.npz"), "\(missing.standardError)")
        #expect(missing.standardError.split(separator: "\n").count == 1)
        let wrongSize = try Products.run("fovea", ["train", "--dataset", "imagenet32", "--data", Self.data, "--out", empty + "/run"])
        #expect(wrongSize.status != 0 && wrongSize.standardError.contains("train_data_batch_1.npz") && wrongSize.standardError.contains("these are 8×8"),
                "\(wrongSize.standardError)")
        let airbench = try Products.run("fovea", ["train", "--dataset", "imagenet32", "--model", "airbench94", "--out", empty + "/run"])
        #expect(airbench.status != 0 && airbench.standardError.contains("airbench94 is CIFAR-10's recipe"))
    }
}
