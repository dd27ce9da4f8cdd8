// The helpers that lesson 05's cells call: number formatting, tables, figure drawing and the
// bookkeeping of the training loop, kept out of the cells so that each cell shows the idea.
import Foundation
import Fovea
import FoveaData
import FoveaNotebook
import FoveaPlot

// MARK: - Sections 1–10: optimizers on two parameters

/// A point or vector of Doubles, to 4 decimals: (-3.6900, -1.4400).
func rounded(_ v: [Double]) -> String {
    "(" + v.map { String(format: "%.4f", $0) }.joined(separator: ", ") + ")"
}

/// The points an optimizer visits and the loss at each, start included.
struct Path {
    var x: [Double] = [], y: [Double] = [], loss: [Double] = []

    /// Notes where the 2-element `point` is now and its `loss` there.
    mutating func record(_ point: Tensor, loss value: Double) {
        x.append(point[0]); y.append(point[1]); loss.append(value)
    }
}

/// Section 6's table: each optimizer's loss and place after the race on the bowl.
func showBowlRace(_ names: [String], _ paths: [Path], steps: Int, in nb: Notebook) {
    nb.table(headers: ["optimizer", "L after \(steps) steps", "x", "y"],
             rows: zip(names, paths).map { name, path in
                 [name, String(format: "%.2e", path.loss.last!), String(format: "%.3f", path.x.last!), String(format: "%.3f", path.y.last!)]
             })
}

/// Section 6's figure: the optimizers' paths over the contours of the bowl ½(x² + 10y²).
func drawBowlRace(_ names: [String], _ paths: [Path], steps: Int, in nb: Notebook) {
    nb.figure("contour-bowl.png", caption: "Gradient descent, momentum and Adam on the elongated bowl ½(x² + 10y²).") { file in
        try Plot.contour({ x, y in 0.5 * (x * x + 10 * y * y) }, x: -5...5, y: -2.5...2.5, levels: 12,
                         trajectories: zip(names, paths).map { Trajectory($0, x: $1.x, y: $1.y) },
                         title: "\(steps) steps on L = ½(x² + 10y²)", width: 720, equalAspect: true, to: file)
    }
}

/// Section 7's table: each optimizer's loss and distance to the minimum (1, 1) of Rosenbrock's valley.
func showValleyRace(_ names: [String], _ paths: [Path], steps: Int, in nb: Notebook) {
    nb.table(headers: ["optimizer", "L after \(steps) steps", "distance to (1, 1)"],
             rows: zip(names, paths).map { name, path in
                 [name, String(format: "%.2e", path.loss.last!),
                  String(format: "%.3f", ((path.x.last! - 1) * (path.x.last! - 1) + (path.y.last! - 1) * (path.y.last! - 1)).squareRoot())]
             })
}

/// Section 7's figure: the optimizers' paths over log-spaced contours of Rosenbrock's function,
/// drawn in reverse so that the first (the shortest path) lies on top, with the colours of the bowl.
func drawValleyRace(_ names: [String], _ paths: [Path], steps: Int, in nb: Notebook) {
    nb.figure("contour-rosenbrock.png", caption: "The three optimizers in Rosenbrock's curved valley (log-spaced contour levels).") { file in
        try Plot.contour({ x, y in (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x) }, x: -1.5...1.5, y: -0.5...1.5, levels: 14, logLevels: true,
                         trajectories: paths.indices.reversed().map { i in
                             Trajectory(names[i], x: paths[i].x, y: paths[i].y, color: Theme.standard.seriesColor(i))
                         },
                         title: "\(steps) steps on Rosenbrock's function", equalAspect: true, to: file)
    }
}

/// Section 8's figure: the loss per step of gradient descent on the bowl for three learning rates
/// (too small, about right, too large), on a log scale.
func drawLearningRates(_ rates: [Double], _ paths: [Path], steps: Int, in nb: Notebook) {
    nb.figure("learning-rates.png", caption: "Loss per step of gradient descent on the bowl for three learning rates (log scale).") { file in
        try Plot.lineChart(zip(["too small", "about right", "too large"], zip(rates, paths)).map { name, run in
            Series("η = \(run.0) (\(name))", x: (0...steps).map(Double.init), y: run.1.loss)
        }, title: "Gradient descent on ½(x² + 10y²)", xLabel: "step", yLabel: "loss", logY: true, to: file)
    }
}

/// Section 10's figure: the loss after 50 steps against the learning rate, with the loss at the
/// start (`startLoss`) and the limit 2/λmax = 0.2 as dashed lines.
func drawLearningRateSweep(_ rates: [Double], loss: [Double], startLoss: Double, in nb: Notebook) {
    nb.figure("learning-rate-sweep.png", caption: "Loss after 50 steps of gradient descent against the learning rate: a cliff at 2/λmax = 0.2.") { file in
        let (low, high) = (loss.min()!, loss.max()!)
        try Plot.lineChart([
            Series("loss after 50 steps", x: rates, y: loss, markers: true),
            Series("loss at the start", x: [rates[0], rates.last!], y: [startLoss, startLoss], dashed: true),
            Series("2/λmax = 0.2", x: [0.2, 0.2], y: [low, high], dashed: true),
        ], title: "Learning-rate sweep on ½(x² + 10y²)", xLabel: "learning rate η", yLabel: "loss", logY: true, to: file)
    }
}

// MARK: - Sections 11–17: a small CNN on SyntheticShapes

/// Accuracy of `model` on `images`: the fraction of images whose highest score is the label.
func accuracy(_ model: Sequential, _ images: Tensor, _ labels: [Int]) -> Double {
    let guesses = noGrad { model(images) }.argmax(axis: 1).int64s
    return Double(zip(guesses, labels).filter { Int($0) == $1 }.count) / Double(labels.count)
}

/// The images and labels at `indices`, stacked into a batch: [B, 3, 32, 32] and [B].
func batch(_ images: Tensor, _ labels: [Int], _ indices: ArraySlice<Int>) -> (images: Tensor, labels: Tensor) {
    (Tensor.concatenated(indices.map { images.sliced($0..<($0 + 1)) }),
     Tensor(shape: [indices.count], int64: indices.map { Int64(labels[$0]) }))
}

/// One epoch's batches: the indices 0..<count shuffled with `rng`, cut into runs of `size`
/// (the last one shorter when `size` does not divide `count`).
func shuffledBatches(count: Int, size: Int, using rng: inout SplitMix64) -> [ArraySlice<Int>] {
    var order = Array(0..<count)
    order.shuffle(using: &rng)
    return stride(from: 0, to: count, by: size).map { order[$0..<min($0 + size, count)] }
}

/// Times `body` (training on `images` images in all) with `nb.measure`, then prints the images per second.
func measureThroughput(_ label: String, images: Int, in nb: Notebook, _ body: () throws -> Void) rethrows {
    let seconds = try nb.measure(label, body)
    nb.print(String(format: "%.0f training images per second", Double(images) / seconds))
}

/// What the training loop records for the figures: the loss of every mini-batch, the mean
/// training loss of every epoch, and the test accuracy after every epoch.
final class TrainingHistory {
    private(set) var iterationLoss: [Double] = [], epochLoss: [Double] = [], testAccuracy: [Double] = []
    private var epochTotal = 0.0, epochImages = 0

    /// Notes one mini-batch's mean loss over its `images` images.
    func add(batchLoss: Double, images: Int) {
        iterationLoss.append(batchLoss)
        epochTotal += batchLoss * Double(images)
        epochImages += images
    }

    /// Closes an epoch: keeps its mean training loss and the test accuracy, and prints both.
    func endEpoch(_ epoch: Int, of epochs: Int, testAccuracy accuracy: Double, in nb: Notebook) {
        epochLoss.append(epochTotal / Double(epochImages))
        testAccuracy.append(accuracy)
        nb.print(String(format: "epoch %d/%d  train loss %.4f  test accuracy %.1f %%", epoch, epochs, epochLoss.last!, 100 * accuracy))
        (epochTotal, epochImages) = (0, 0)
    }
}

/// Section 11's figure: the first training images with their class names.
func drawTrainingSamples(_ images: Tensor, labels: [Int], in nb: Notebook) {
    nb.figure("training-samples.png", caption: "Twelve training images of SyntheticShapes with their labels.") { file in
        try Plot.samples(images, labels: labels.map { SyntheticShapes.classNames[$0] },
                         columns: 6, normalization: .none, title: "SyntheticShapes: training images", to: file)
    }
}

/// Section 14's figures: the mini-batch and epoch-mean training loss, and the test accuracy per epoch.
func drawTrainingCurves(_ history: TrainingHistory, epochs: Int, in nb: Notebook) {
    let iterationsPerEpoch = Double(history.iterationLoss.count) / Double(epochs)
    nb.figure("training-curve.png", caption: "Mini-batch loss per iteration and mean training loss per epoch.") { file in
        try Plot.lineChart([
            Series("mini-batch loss", x: history.iterationLoss.indices.map { Double($0 + 1) / iterationsPerEpoch }, y: history.iterationLoss),
            Series("train loss (epoch mean)", x: (1...epochs).map(Double.init), y: history.epochLoss, markers: true),
        ], title: "Small CNN on SyntheticShapes: loss", xLabel: "epoch", yLabel: "cross-entropy", to: file)
    }
    nb.figure("test-accuracy.png", caption: "Accuracy on the test images after each epoch, in % (chance: 25 %).") { file in
        try Plot.lineChart([Series("test accuracy", x: (1...epochs).map(Double.init), y: history.testAccuracy.map { 100 * $0 }, markers: true)],
                           title: "Small CNN on SyntheticShapes: accuracy", xLabel: "epoch", yLabel: "accuracy (%)", to: file)
    }
}

/// Section 15's figures: conv1's 8 filters at initialisation (`before`) and after `epochs` epochs (`after`).
func drawFilters(before: Tensor, after: Tensor, epochs: Int, in nb: Notebook) {
    nb.figure("filters-before.png", caption: "conv1's 8 filters at initialisation (random).") { file in
        try Plot.filters(before, columns: 4, zoom: 20, title: "conv1 before training", to: file)
    }
    nb.figure("filters-after.png", caption: "The same 8 filters after training.") { file in
        try Plot.filters(after, columns: 4, zoom: 20, title: "conv1 after \(epochs) epochs", to: file)
    }
}

/// Section 16's figure: test images with their label and the network's guess underneath (red when wrong).
func drawPredictions(_ images: Tensor, labels: [Int], guesses: [Int64], in nb: Notebook) {
    nb.figure("predictions.png", caption: "Test images: label, then the trained network's prediction.") { file in
        try Plot.samples(images, labels: labels.map { SyntheticShapes.classNames[$0] },
                         predictions: guesses.map { SyntheticShapes.classNames[Int($0)] }, columns: 8, normalization: .none,
                         title: "Test images: label / prediction", to: file)
    }
}

/// Section 17's figure: the 8 trained conv1 maps (after ReLU, `[8, 28, 28]`) of one CIFAR-10 photo of class `className`.
func drawResponses(_ responses: Tensor, className: String, in nb: Notebook) {
    nb.figure("cifar-responses.png", caption: "The trained conv1 filters (after ReLU) on the first CIFAR-10 test image, a \(className).") { file in
        try Plot.featureMaps(responses, columns: 4, zoom: 4, captions: (1...8).map { "filter \($0)" }, title: "Trained conv1 on a \(className)", to: file)
    }
}
