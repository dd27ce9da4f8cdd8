// The helpers that lesson 04's cells call: number formatting and figure drawing, kept out of the
// cells so that each cell shows the idea.
import Fovea
import FoveaData
import FoveaNotebook
import FoveaPlot
import Foundation

/// A number with 6 significant digits, for tables.
func fmt(_ x: Double) -> String { String(format: "%.6g", x) }

/// Section 7's figure: the loss and its gradient against the right class's logit `z_y` (`grid`),
/// with the straight-line asymptote on the left and the point `z_y = ℓ` (`others`, the log-sum-exp
/// of the other logits) where the loss is log 2 and the gradient −1/2.
func drawLossCurve(grid: [Double], loss: [Double], slope: [Double], others: Double, in nb: Notebook) {
    nb.figure("loss-vs-logit.png", caption: "Cross-entropy and its gradient as the right class's logit z_y varies (other logits 1, 0, −1)") { path in
        try Plot.lineChart([Series("loss −log p_y", x: grid, y: loss), Series("gradient ∂L/∂z_y = p_y − 1", x: grid, y: slope),
                            Series("asymptote −z_y + ℓ", x: grid.filter { $0 <= 2 }, y: grid.filter { $0 <= 2 }.map { others - $0 }, dashed: true),
                            Series("z_y = ℓ: loss log 2, gradient −1/2", x: [others, others], y: [log(2.0), -0.5], markers: true)],
                           title: "Cross-entropy as a function of the correct logit", xLabel: "z_y", yLabel: "value", to: path)
    }
}

/// Section 9's figure: the smoothed target `q` (10 probabilities, ε = 0.1) of one example whose label is `label`.
func drawSmoothedTarget(_ q: Tensor, label: Int, in nb: Notebook) {
    nb.figure("smoothed-target.png", caption: "The smoothed target q for label \(label) with ε = 0.1 and 10 classes") { path in
        try Plot.barChart(values: q.doubles, labels: (0..<10).map { "\($0)" }, title: "Smoothed target: \(fmt(q.doubles[label])) for the label, \(fmt(q.doubles[label == 0 ? 1 : 0])) elsewhere",
                          valueLabel: "target probability", highlight: label, to: path)
    }
}

/// Section 10's figure: the loss against the right class's logit (`zGrid`) with the hard and the
/// smoothed target, and the smoothed loss's minimum at `z_y* = log 91`.
func drawLabelSmoothingLoss(zGrid: [Double], hard: [Double], smoothed: [Double], minimum: Double, in nb: Notebook) {
    nb.figure("label-smoothing-loss.png", caption: "Loss against the right class's logit (others 0, 10 classes): hard target vs label smoothing ε = 0.1") { path in
        try Plot.lineChart([Series("hard target", x: zGrid, y: hard), Series("smoothed, ε = 0.1", x: zGrid, y: smoothed),
                            Series("z_y* = log 91", x: [log(91.0)], y: [minimum], markers: true)],
                           title: "Label smoothing puts the minimum at a finite logit", xLabel: "z_y", yLabel: "cross-entropy", to: path)
    }
}

/// Section 11's two figures: one CIFAR-10 test image (`[1, 3, 32, 32]`) with its label, and the
/// probabilities an untrained network gives it, the true class highlighted.
func drawImageAndProbabilities(_ image: Tensor, label: Int, probabilities: [Double], in nb: Notebook) {
    nb.figure("cifar-image.png", caption: "A CIFAR-10 test image") { path in
        try Plot.samples(image, labels: [CIFAR10.classNames[label]], zoom: 5, normalization: .none, title: "CIFAR-10 test image 0", to: path)
    }
    nb.figure("cifar-probabilities.png", caption: "Softmax of an untrained small CNN on that image (the true class highlighted)") { path in
        try Plot.barChart(values: probabilities, labels: CIFAR10.classNames, title: "Untrained network: nearly uniform probabilities",
                          valueLabel: "probability", highlight: label, to: path)
    }
}
