import ArgumentParser
import Foundation
import Fovea
import FoveaData
import FoveaPlot
import FoveaTraining

/// `fovea eval CHECKPOINT`: accuracy, per-class precision/recall/F1 and the confusion matrix on the test set.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a checkpoint on its dataset's test set: accuracy, top-5, per-class precision, recall and F1, confusion matrix.",
        discussion: """
        CIFAR-10 checkpoints: the 10,000 test images; ImageNet: val/ beside train/; downsampled ImageNet: val_data.npz. \
        Prints the results and writes eval-per-class.csv, and for up to 20 classes eval-confusion.csv and \
        eval-confusion.png, beside the checkpoint (or into --out).
        """)

    @Argument(help: "A checkpoint written by fovea train (last.safetensors or best.safetensors).") var checkpoint: String
    @Option(help: "Folder holding the dataset the checkpoint was trained on (cifar-10-batches-bin/, imagenet/, imagenet32/; default: $FOVEA_DATA, else ~/.cache/fovea).") var data: String?
    @Option(help: "Folder for the CSV and PNG files (default: the checkpoint's folder).") var out: String?
    @Option(help: "Evaluate on only the first N test images.") var testImages: Int?
    @Option(name: .customLong("tta"), help: "Test-time augmentation (default: the run's own, e.g. mirror-translate for airbench94; else none).")
    var testTimeAugmentation: TestTimeAugmentation?
    @Option(help: "Threads (default: $FOVEA_NUM_THREADS, else all cores).") var threads: Int?
    @Option(help: "ImageNet: decoding threads (default: the engine's thread count).") var workers: Int?

    func run() throws {
        setThreads(threads)
        try reportingErrors("eval") {
            let saved = try TrainingCheckpoint.read(checkpoint)
            let model = try saved.makeModel(source: checkpoint)
            let views = testTimeAugmentation ?? saved.settings?.testTimeAugmentation ?? TestTimeAugmentation.none
            let (result, what) = try evaluate(model, saved: saved, views: views)
            let count = result.confusion.reduce(0) { $0 + $1.reduce(0, +) }
            print("\(saved.model.name) from \(checkpoint) on \(count) \(what)" + (views == .none ? "" : " (test-time augmentation: \(views.rawValue))"))
            print(String(format: "accuracy %.2f %% (%d of %d), top-5 %.2f %%, mean loss %.4f", 100 * result.accuracy,
                         result.confusion.indices.reduce(0) { $0 + result.confusion[$1][$1] }, count, 100 * result.top5Accuracy, result.loss))
            let folder = out ?? URL(fileURLWithPath: checkpoint).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let rows = result.perClass
            let perClass = (["class,precision,recall,f1,images"] + rows.map { "\(csvField($0.name)),\($0.precision),\($0.recall),\($0.f1),\($0.support)" })
                .joined(separator: "\n") + "\n"
            try writeAtomically(Data(perClass.utf8), to: folder + "/eval-per-class.csv")
            guard rows.count <= 20 else {   // ImageNet: 1000 rows and a 1000 × 1000 matrix do not belong on a terminal
                let best = rows.filter { $0.recall > 0 }.sorted { ($0.recall, $0.support) > ($1.recall, $1.support) }.prefix(5)
                if !best.isEmpty {
                    print("\nbest recognised classes: " + best.map { String(format: "%@ (%.0f %% of %d)", $0.name, 100 * $0.recall, $0.support) }.joined(separator: "; "))
                }
                print("\nwrote \(folder)/eval-per-class.csv (precision, recall and F1 of all \(rows.count) classes)")
                return
            }
            print("")
            let nameWidth = max(5, rows.map(\.name.count).max() ?? 5)
            print("class".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  precision  recall     F1  images")
            for row in rows {
                print(row.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
                      + String(format: "  %9.3f  %6.3f  %5.3f  %6d", row.precision, row.recall, row.f1, row.support))
            }
            print("\nconfusion matrix (rows: true class, columns: predicted)")
            print(String(repeating: " ", count: nameWidth) + result.classNames.map { " " + String($0.prefix(5)).padding(toLength: 5, withPad: " ", startingAt: 0) }.joined())
            for (k, counts) in result.confusion.enumerated() {
                print(result.classNames[k].padding(toLength: nameWidth, withPad: " ", startingAt: 0) + counts.map { String(format: " %5d", $0) }.joined())
            }

            let confusion = ([",predicted " + result.classNames.joined(separator: ",predicted ")]
                             + result.confusion.enumerated().map { k, counts in result.classNames[k] + "," + counts.map(String.init).joined(separator: ",") })
                .joined(separator: "\n") + "\n"
            try writeAtomically(Data(confusion.utf8), to: folder + "/eval-confusion.csv")
            try Plot.confusionMatrix(counts: result.confusion, classNames: result.classNames,
                                     title: String(format: "%@ on %@: %.2f %%", saved.model.name, what, 100 * result.accuracy),
                                     to: folder + "/eval-confusion.png")
            print("\nwrote \(folder)/eval-per-class.csv, eval-confusion.csv, eval-confusion.png")
        }
    }
}

extension Evaluate {
    /// The checkpoint's test set, evaluated: CIFAR-10's test batch, ImageNet's val/ folder, or
    /// downsampled ImageNet's val_data.npz. Returns the result and what was evaluated on.
    func evaluate(_ model: any Module, saved: TrainingCheckpoint, views: TestTimeAugmentation) throws -> (Evaluation, String) {
        if let size = saved.settings?.downsampledSize {
            let files = try DownsampledImageNet.files(size: size, data: data)
            guard let validation = files.validation else {
                throw DataError.missing(path: files.folder + "/" + DownsampledImageNet.validationFile, hint: "Unzip Imagenet\(size)_val_npz.zip there.")
            }
            let test = try DownsampledImageNet.load([validation], size: size, classMap: files.classMap, limit: testImages)
            try saved.requireClasses(test.classNames, of: validation, source: checkpoint)
            return (Evaluation.run(model, on: test, transform: saved.transform, testTimeAugmentation: views), "ImageNet \(size)×\(size) validation images")
        }
        if saved.settings?.dataset == "imagenet" {
            if testImages != nil { throw ValidationError("--test-images is for CIFAR-10 and downsampled ImageNet") }
            let root = try ImageNetLocation.folder(data: data)
            let transform = ImageNetTransform(size: saved.settings?.imageSize ?? 224)
            let folder = try ImageFolder(root: root + "/val")
            try saved.requireClasses(folder.classNames, of: root + "/val", source: checkpoint)
            let loader = ImageFolderLoader(folder, batchSize: 100, training: false, transform: transform,
                                           workers: workers, skipsBadImages: false, decoder: Train.imageDecoder)
            return (try Evaluation.run(model, batches: loader, testTimeAugmentation: views), "ImageNet validation images (\(root)/val)")
        }
        let cifar = try CIFAR10.folderOrDownload(data: data, say: sayOnStandardError)
        var test = try CIFAR10.testSet(in: cifar)
        try saved.requireClasses(test.classNames, of: cifar, source: checkpoint)
        if let n = testImages, n < test.count { test = test.subset(Array(0..<n)) }
        return (Evaluation.run(model, on: test, transform: saved.transform, testTimeAugmentation: views), "CIFAR-10 test images")
    }

    /// A CSV field, quoted when it holds a comma or a quote (ImageNet's class names do).
    func csvField(_ text: String) -> String {
        text.contains(",") || text.contains("\"") ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
