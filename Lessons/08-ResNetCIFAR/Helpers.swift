// The helpers that lesson 08's cells call: figure drawing and line formatting, kept out of the
// cells so that each cell shows the idea.
import Foundation
import Fovea
import FoveaNotebook
import FoveaPlot
import FoveaData
import FoveaModels
import FoveaTraining

/// The learning rate at the start of every epoch of a ResNet-20 run with peak rate 0.1 under `kind`,
/// as the trainer computes it (`TrainingSettings.learningRateSchedule`).
func learningRatePerEpoch(_ kind: TrainingSettings.ScheduleKind, epochs: Int, stepsPerEpoch: Int) -> Series {
    var settings = TrainingSettings(model: ModelSpec(name: "resnet20"), epochs: epochs, batchSize: 128, learningRate: 0.1,
                                    transform: .cifar10Training())
    settings.schedule = kind
    let schedule = settings.learningRateSchedule(stepsPerEpoch: stepsPerEpoch)
    let epochStarts = (0..<epochs).map { $0 * stepsPerEpoch }
    return Series(kind.rawValue, x: epochStarts.map { Double($0) / Double(stepsPerEpoch) },
                  y: epochStarts.map { schedule.learningRate(at: $0) })
}

/// One epoch of a short run as one line: loss and accuracy on the training and the test images.
func epochSummary(_ row: EpochRecord) -> String {
    String(format: "epoch %d (step %d)  train loss %.3f acc %.1f %%   test acc %.1f %%", row.epoch, row.step,
           row.trainLoss, 100 * row.trainAccuracy, 100 * (row.testAccuracy ?? .nan))
}

/// The bullet lines of a run folder's README (command, data, machine, …), or nothing.
func runDescription(_ runPath: String) -> String {
    let readme = (try? String(contentsOfFile: runPath + "/README.md", encoding: .utf8)) ?? ""
    return readme.split(separator: "\n").filter { $0.hasPrefix("- ") }.joined(separator: "\n")
}

/// Accuracy (in %) and loss per epoch of a run, train and test, as two figures.
func drawRunCurves(_ history: [EpochRecord], in nb: Notebook) {
    nb.figure("run-accuracy.png", caption: "Accuracy per epoch of the committed ResNet-20 run, train and test, in %.") { path in
        try Plot.lineChart([Series("train", y: history.map { 100 * $0.trainAccuracy }),
                            Series("test", y: history.map { 100 * ($0.testAccuracy ?? .nan) }, dashed: true)],
                           title: "ResNet-20 on CIFAR-10", xLabel: "epoch", yLabel: "accuracy (%)", to: path)
    }
    nb.figure("run-loss.png", caption: "Loss per epoch of the committed run, train and test.") { path in
        try Plot.lineChart([Series("train", y: history.map(\.trainLoss)), Series("test", y: history.map { $0.testLoss ?? .nan }, dashed: true)],
                           title: "ResNet-20 on CIFAR-10", xLabel: "epoch", yLabel: "cross-entropy", to: path)
    }
}

/// How far a run has come: epochs done, compute hours, and the last epoch's accuracies.
func runProgress(_ last: EpochRecord, epochs: Int) -> String {
    String(format: "%d of %d epochs, %.2f hours of compute; last epoch: test accuracy %.2f %%, train accuracy %.2f %%",
           last.epoch, epochs, last.wallSeconds / 3600, 100 * (last.testAccuracy ?? .nan), 100 * last.trainAccuracy)
}

/// The first layer's filters, `[16, 3, 3, 3]`, drawn as RGB patches.
func drawFilters(_ conv1: Tensor, in nb: Notebook) {
    nb.figure("run-filters.png", caption: "The 16 conv1 filters of the committed ResNet-20 checkpoint, as RGB patches.") { path in
        try Plot.filters(conv1, zoom: 16, title: "ResNet-20 conv1: 16 filters × 3 channels, 3×3", to: path)
    }
}

/// The confusion matrix of an evaluation on the CIFAR-10 test images (rows: true class).
func drawConfusion(_ result: Evaluation, in nb: Notebook) {
    nb.figure("run-confusion.png", caption: "Confusion matrix of the committed checkpoint on the test images (rows: true class).") { path in
        try Plot.confusionMatrix(counts: result.confusion, classNames: CIFAR10.classNames,
                                 title: String(format: "ResNet-20 on CIFAR-10 test: %.2f %%", 100 * result.accuracy), to: path)
    }
}
