import Foundation
import FoveaData
import FoveaTestSupport
import FoveaTraining
import Testing

/// `fovea train --dataset imagenet` and `fovea prepare-imagenet` on real ILSVRC JPEGs: a tiny
/// train/ and val/ of links to 24 images of ../shared/data/imagenet-sample (skipped without it).
@Suite("fovea train on an ImageNet folder", .serialized,
       .enabled(if: FileManager.default.fileExists(atPath: SharedData.path + "/imagenet-sample/train"), "../shared/data/imagenet-sample is absent"),
       .enabled(if: Products.isBuilt("fovea"), "build fovea first (make build)"))
struct ImageNetTrainCommandTests {
    /// ROOT/train/WNID/… and ROOT/val/WNID/…: the first 24 sample images in both.
    static func tinyImageNet() throws -> String {
        let sample = SharedData.path + "/imagenet-sample/train"
        let root = TrainCommandTests.temporary("imagenet")
        let wnids = try FileManager.default.contentsOfDirectory(atPath: sample).sorted().prefix(24)
        for split in ["train", "val"] {
            for wnid in wnids {
                let dir = root + "/" + split + "/" + wnid
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                for file in try FileManager.default.contentsOfDirectory(atPath: sample + "/" + wnid) {
                    try FileManager.default.createSymbolicLink(atPath: dir + "/" + file, withDestinationPath: sample + "/" + wnid + "/" + file)
                }
            }
        }
        return root
    }

    @Test("one epoch of ResNet-18 at 32×32 with rotation and colour jitter: the projection line, the metrics row, a checkpoint with 1000 classes, its input size and augmentation")
    func trains() throws {
        let root = try Self.tinyImageNet(), out = TrainCommandTests.temporary("imagenet-run")
        defer { for path in [root, out] { try? FileManager.default.removeItem(atPath: path) } }
        let run = try Products.run("fovea", ["train", "--dataset", "imagenet", "--model", "resnet18", "--image-size", "32", "--epochs", "1",
                                              "--batch-size", "8", "--workers", "2", "--threads", "1", "--rotation", "10", "--jitter", "0.2",
                                              "--data", root, "--out", out])
        try #require(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("24 training, 24 val/ (as test) images · 1000 classes, 32×32 crops"), "\(run.standardOutput)")
        #expect(run.standardOutput.contains("measured") && run.standardOutput.contains("an epoch of 24 images takes about"))
        #expect(run.standardOutput.contains("flip + rotation ±10° + colour jitter 0.2"), "\(run.standardOutput)")
        let rows = try String(contentsOfFile: out + "/metrics.csv", encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 2 && rows[1].hasPrefix("1,3,"), "3 steps of 8 images")
        let checkpoint = try TrainingCheckpoint.read(out + "/last.safetensors")
        #expect(checkpoint.inputShape == [3, 32, 32] && checkpoint.classNames.count == 1000 && checkpoint.settings?.dataset == "imagenet")
        #expect(checkpoint.transform.mean == [0.485, 0.456, 0.406])
        #expect(checkpoint.settings?.extraAugmentation == ExtraAugmentation(degrees: 10, brightness: 0.2, contrast: 0.2, saturation: 0.2))
        // eval finds val/ again and reports top-1 and top-5 as metrics.csv did, per-class rows in a CSV only.
        let evaluated = try Products.run("fovea", ["eval", out + "/last.safetensors", "--data", root, "--threads", "1"])
        try #require(evaluated.status == 0, "\(evaluated.standardError)")
        #expect(evaluated.standardOutput.contains("on 24 ImageNet validation images"), "\(evaluated.standardOutput)")
        let logged = rows[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let top1 = try #require(Double(logged[8])), top5 = try #require(Double(logged[12]))
        #expect(evaluated.standardOutput.contains(String(format: "accuracy %.2f %%", 100 * top1)) &&
                evaluated.standardOutput.contains(String(format: "top-5 %.2f %%", 100 * top5)), "\(evaluated.standardOutput) vs \(rows[1])")
        #expect(try String(contentsOfFile: out + "/eval-per-class.csv", encoding: .utf8).split(separator: "\n").count == 1001)
        #expect(!FileManager.default.fileExists(atPath: out + "/eval-confusion.png"), "no 1000 × 1000 picture")
        // predict reads a JPEG, crops it as evaluation does, and names ImageNet classes.
        let photo = try FileManager.default.destinationOfSymbolicLink(atPath: try ImageFolder(root: root + "/val").images[0].path)
        let predicted = try Products.run("fovea", ["predict", out + "/last.safetensors", photo, "--top", "2", "--out", out])
        #expect(predicted.status == 0, "\(predicted.standardError)")
        let lines = predicted.standardOutput.split(separator: "\n")
        #expect(lines.count >= 3 && ImageFolder.synsets.contains { lines[1].hasSuffix($0.name) }, "\(predicted.standardOutput)")
        #expect(FileManager.default.fileExists(atPath: out + "/predict-" + URL(fileURLWithPath: photo).deletingPathExtension().lastPathComponent + ".png"))
    }

    @Test("a damaged image stops training with its name, or is left out and named with --skip-bad-images")
    func badImage() throws {
        let root = try Self.tinyImageNet(), out = TrainCommandTests.temporary("imagenet-bad")
        defer { for path in [root, out] { try? FileManager.default.removeItem(atPath: path) } }
        let first = try FileManager.default.contentsOfDirectory(atPath: root + "/train").sorted()[0]
        let damaged = root + "/train/" + first + "/zz-damaged.JPEG"
        _ = FileManager.default.createFile(atPath: damaged, contents: Data("not a jpeg".utf8))
        let arguments = ["train", "--dataset", "imagenet", "--image-size", "32", "--epochs", "1", "--batch-size", "25", "--threads", "1",
                         "--data", root]
        let strict = try Products.run("fovea", arguments + ["--out", out + "-strict"])
        #expect(strict.status == 1 && strict.standardError.contains(damaged), "\(strict.standardError)")
        #expect(strict.standardError.split(separator: "\n").count == 1, "one line: \(strict.standardError)")
        let lenient = try Products.run("fovea", arguments + ["--skip-bad-images", "--out", out])
        #expect(lenient.status == 0, "\(lenient.standardError)")
        #expect(lenient.standardOutput.contains("left out 1 images that failed to decode") && lenient.standardOutput.contains(damaged))
        try? FileManager.default.removeItem(atPath: out + "-strict")
    }

    @Test("prepare-imagenet sorts a flat folder by Kaggle's solution file into links")
    func prepare() throws {
        let root = TrainCommandTests.temporary("prepare")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/flat", withIntermediateDirectories: true)
        for i in 1...2 { _ = FileManager.default.createFile(atPath: root + "/flat/ILSVRC2012_val_0000000\(i).JPEG", contents: Data()) }
        try Data("ImageId,PredictionString\nILSVRC2012_val_00000001,n01440764 1 2 3 4\nILSVRC2012_val_00000002,n01443537 1 2 3 4\n".utf8)
            .write(to: URL(fileURLWithPath: root + "/solution.csv"))
        let run = try Products.run("fovea", ["prepare-imagenet", "--val", root + "/flat", "--labels", root + "/solution.csv", "--out", root + "/val"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("linked 2 images into 2 class folders"))
        #expect(FileManager.default.fileExists(atPath: root + "/val/n01443537/ILSVRC2012_val_00000002.JPEG"))
    }
}
