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
        abstract: "Evaluate a checkpoint on the CIFAR-10 test set: accuracy, per-class precision, recall and F1, confusion matrix.",
        discussion: "Prints them and writes eval-per-class.csv, eval-confusion.csv and eval-confusion.png beside the checkpoint (or into --out).")

    @Argument(help: "A checkpoint written by fovea train (last.safetensors or best.safetensors).") var checkpoint: String
    @Option(help: "Folder holding cifar-10-batches-bin/ (default: $FOVEA_DATA, else ~/.cache/fovea).") var data: String?
    @Option(help: "Folder for the CSV and PNG files (default: the checkpoint's folder).") var out: String?
    @Option(help: "Evaluate on only the first N test images.") var testImages: Int?
    @Option(name: .customLong("tta"), help: "Test-time augmentation (default: the run's own, e.g. mirror-translate for airbench94; else none).")
    var testTimeAugmentation: TestTimeAugmentation?
    @Option(help: "Threads (default: $FOVEA_NUM_THREADS, else all cores).") var threads: Int?

    func run() throws {
        setThreads(threads)
        try reportingErrors("eval") {
            let saved = try TrainingCheckpoint.read(checkpoint)
            let model = try saved.makeModel(source: checkpoint)
            var test = try CIFAR10.testSet(in: try CIFAR10.folderOrDownload(data: data, say: sayOnStandardError))
            if let n = testImages, n < test.count { test = test.subset(Array(0..<n)) }
            let views = testTimeAugmentation ?? saved.settings?.testTimeAugmentation ?? TestTimeAugmentation.none
            let result = Evaluation.run(model, on: test, transform: saved.transform, testTimeAugmentation: views)
            print("\(saved.model.name) from \(checkpoint) on \(test.count) CIFAR-10 test images"
                  + (views == .none ? "" : " (test-time augmentation: \(views.rawValue))"))
            print(String(format: "accuracy %.2f %% (%d of %d), top-5 %.2f %%, mean loss %.4f", 100 * result.accuracy,
                         result.confusion.indices.reduce(0) { $0 + result.confusion[$1][$1] }, test.count, 100 * result.top5Accuracy, result.loss))
            print("")
            let rows = result.perClass
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

            let folder = out ?? URL(fileURLWithPath: checkpoint).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let perClass = (["class,precision,recall,f1,images"] + rows.map { "\($0.name),\($0.precision),\($0.recall),\($0.f1),\($0.support)" })
                .joined(separator: "\n") + "\n"
            try writeAtomically(Data(perClass.utf8), to: folder + "/eval-per-class.csv")
            let confusion = ([",predicted " + result.classNames.joined(separator: ",predicted ")]
                             + result.confusion.enumerated().map { k, counts in result.classNames[k] + "," + counts.map(String.init).joined(separator: ",") })
                .joined(separator: "\n") + "\n"
            try writeAtomically(Data(confusion.utf8), to: folder + "/eval-confusion.csv")
            try Plot.confusionMatrix(counts: result.confusion, classNames: result.classNames,
                                     title: String(format: "%@ on CIFAR-10 test: %.2f %%", saved.model.name, 100 * result.accuracy),
                                     to: folder + "/eval-confusion.png")
            print("\nwrote \(folder)/eval-per-class.csv, eval-confusion.csv, eval-confusion.png")
        }
    }
}
