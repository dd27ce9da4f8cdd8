// The helpers that lesson 06's cells call: the parts of `DeepNet` that are bookkeeping, the
// measuring and training loops, tables and figure drawing, kept out of the cells so that each
// cell shows the idea.
import Foundation
import Fovea
import FoveaData
import FoveaNotebook
import FoveaPlot
import FoveaTraining

// MARK: - The network

/// A stack of 3×3 convolutions at one width on 16×16 maps: a stride-2 stem, `depth − 2` convolutions,
/// global average pooling and a linear layer (`depth` layers with weights). Optionally batch norm
/// after each convolution, and residual connections around each pair of convolutions. The
/// convolutions have no bias (as in ResNets, where batch norm supplies the shift): a bias would add a
/// constant to every layer and hide how the signal itself fades. Its layers and residual blocks,
/// `layer(_:_:)` and `block(_:_:)`, are in `main.swift`.
final class DeepNet: Module {
    var isTraining = true
    let stem: Conv2d, convs: [Conv2d], norms: [BatchNorm2d], fc: Linear
    let normalized: Bool, residual: Bool

    init(depth: Int, width: Int = 16, classes: Int, normalized: Bool, residual: Bool, using rng: inout SplitMix64) {
        stem = Conv2d(3, width, kernelSize: 3, stride: 2, padding: 1, bias: false, using: &rng)
        convs = (0..<(depth - 2)).map { _ in Conv2d(width, width, kernelSize: 3, padding: 1, bias: false, using: &rng) }
        norms = convs.map { _ in BatchNorm2d(width) }
        fc = Linear(width, classes, using: &rng)
        (self.normalized, self.residual) = (normalized, residual)
    }

    var children: [(String, any Module)] {
        [("stem", stem)] + convs.enumerated().map { ("conv\($0.offset)", $0.element) }
            + (normalized ? norms.enumerated().map { ("bn\($0.offset)", $0.element) } : []) + [("fc", fc)]
    }

    /// The logits, and each layer's output after its ReLU (to measure). With `residual`, the
    /// convolutions go in pairs, as blocks; an odd one left at the end is a plain layer.
    func forward(_ x: Tensor) -> (logits: Tensor, activations: [Tensor]) {
        var h = relu(stem(x)), activations = [h]
        var i = 0
        while i < convs.count {
            if residual && i + 1 < convs.count {
                let (inner, output) = block(h, i)
                activations += [inner, output]
                h = output
                i += 2
            } else {
                h = layer(h, i)
                activations.append(h)
                i += 1
            }
        }
        return (fc(adaptiveAvgPool2d(h).flattened()), activations)
    }

    /// Batch norm number `i` when the net has batch norm, the identity otherwise.
    func normalize(_ x: Tensor, _ i: Int) -> Tensor { normalized ? norms[i](x) : x }
    func callAsFunction(_ x: Tensor) -> Tensor { forward(x).logits }
}

// MARK: - Sections 2–4: measuring the signal

/// The standard deviation of a tensor's elements.
func std(_ t: Tensor) -> Double {
    let v = t.doubles, mean = v.reduce(0, +) / Double(v.count)
    return (v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count)).squareRoot()
}

/// One batch `(x, y)` to send through fresh 20-layer nets, each built from the random stream `seed`.
struct LayerProbe {
    let x: Tensor, y: Tensor, classes: Int, seed: UInt64

    /// Builds a 20-layer net with its convolution weights drawn by `initialise` (PyTorch's default when
    /// nil); returns the standard deviation of each layer's activations and of the loss gradient with
    /// respect to them, on the batch.
    func measure(_ label: String, normalized: Bool = false, residual: Bool = false,
                 _ initialise: ((Conv2d, inout SplitMix64) -> Void)? = nil) -> (label: String, activations: [Double], gradients: [Double]) {
        var rng = SplitMix64(seed: seed)
        let net = DeepNet(depth: 20, classes: classes, normalized: normalized, residual: residual, using: &rng)
        if let initialise { for conv in [net.stem] + net.convs { initialise(conv, &rng) } }
        let (logits, activations) = net.forward(x)
        activations.forEach { $0.retainGrad() }
        softmaxCrossEntropy(logits, labels: y).backward()
        return (label, activations.map(std), activations.map { std($0.grad!) })
    }
}

/// Section 2's table: the spread of the activations and gradients at the first, middle and last layers.
func showLayerTable(_ runs: [(label: String, activations: [Double], gradients: [Double])], in nb: Notebook) {
    nb.table(headers: ["initialisation", "std, layer 1", "std, layer 10", "std, layer 19", "grad std, layer 1", "grad std, layer 19"],
             rows: runs.map { [$0.label] + [$0.activations[0], $0.activations[9], $0.activations[18], $0.gradients[0], $0.gradients[18]].map { String(format: "%.2e", $0) } })
}

/// One series per run, layer on x; runs from `dashedFrom` on are dashed.
private func layerChart(_ runs: [(String, [Double])], dashedFrom: Int, title: String, yLabel: String, to path: String) throws {
    try Plot.lineChart(runs.enumerated().map { i, run in
        Series(run.0, x: (1...run.1.count).map(Double.init), y: run.1, dashed: i >= dashedFrom, markers: true)
    }, title: title, xLabel: "layer", yLabel: yLabel, logY: true, to: path)
}

/// Section 3's figures: the standard deviation of each layer's activations and of its gradient, for
/// every run; runs from `dashedFrom` on (batch norm, residual connections) are dashed.
func drawLayerCharts(_ runs: [(label: String, activations: [Double], gradients: [Double])], dashedFrom: Int, in nb: Notebook) {
    nb.figure("activation-std.png", caption: "Standard deviation of each layer's activations (after ReLU), by initialisation; dashed: with batch norm (and residual connections).") { path in
        try layerChart(runs.map { ($0.label, $0.activations) }, dashedFrom: dashedFrom, title: "Activations through 20 layers", yLabel: "std of activations", to: path)
    }
    nb.figure("gradient-std.png", caption: "Standard deviation of the loss gradient with respect to each layer's activations.") { path in
        try layerChart(runs.map { ($0.label, $0.gradients) }, dashedFrom: dashedFrom, title: "Gradients through 20 layers", yLabel: "std of dL/da", to: path)
    }
}

/// Section 4's figure: the histogram of log₁₀ of one layer's positive activations (`logs`).
func drawHistogram(_ logs: [Float], layer: Int, in nb: Notebook) {
    nb.figure("histogram-layer-\(layer).png", caption: "log₁₀ of the positive activations of layer \(layer), default initialisation.") { path in
        try Plot.histogram(logs, bins: 40, range: -12...2, title: "Layer \(layer): log₁₀ activation", xLabel: "log₁₀ a", to: path)
    }
}

// MARK: - Sections 5–6: training

/// Trains `net` on the training split with the recipe of section 5: batches of 64 in a shuffled order
/// set by `seed`, `augment`ed; SGD with momentum 0.9 and weight decay 5e-4; a learning rate falling from
/// 0.05 to 0 along a cosine. Returns (training accuracy, validation accuracy) per epoch.
func train(_ net: DeepNet, epochs: Int, on training: ImageDataset, judgedOn validation: ImageDataset,
           augment: ImageTransform, seed: UInt64) -> [(train: Double, validation: Double)] {
    let loader = DataLoader(training, batchSize: 64, shuffle: true, transform: augment, seed: seed, dropLast: true)
    let optimizer = SGD(named: net.namedParameters(), learningRate: 0.05, momentum: 0.9, weightDecay: 5e-4)
    let schedule = CosineSchedule(initial: 0.05, totalSteps: epochs * loader.batchesPerEpoch)
    var step = 0, curve: [(train: Double, validation: Double)] = []
    for epoch in 0..<epochs {
        net.train()
        var meter = Meter()
        for batch in loader.batches(epoch: epoch) {
            optimizer.learningRate = schedule.learningRate(at: step)
            let logits = net(batch.images), loss = softmaxCrossEntropy(logits, labels: batch.labels)
            optimizer.zeroGrad(); loss.backward(); optimizer.step()
            meter.add(meanLoss: loss.item(), correct: correctPredictions(logits, labels: batch.labels), count: batch.count)
            step += 1
        }
        curve.append((meter.accuracy, Evaluation.run(net, on: validation, transform: augment.evaluation).accuracy))
    }
    return curve
}

/// Section 5's table: each net's size and its accuracies after the last epoch.
func showDepthTable(_ contenders: [(String, DeepNet)], _ curves: [(String, [(train: Double, validation: Double)])], in nb: Notebook) {
    nb.table(headers: ["net", "parameters", "train accuracy", "validation accuracy"],
             rows: zip(contenders, curves).map { net, run in
                 [net.0, "\(net.1.parameterCount)", String(format: "%.1f %%", 100 * run.1.last!.train), String(format: "%.1f %%", 100 * run.1.last!.validation)]
             })
}

/// Section 5's figure: training (solid) and validation (dashed) accuracy per epoch, one colour per net.
func drawDepthCurves(_ curves: [(String, [(train: Double, validation: Double)])], in nb: Notebook) {
    nb.figure("depth-curves.png", caption: "Training (solid) and validation (dashed) accuracy per epoch of the three nets.") { path in
        try Plot.lineChart(curves.enumerated().flatMap { i, run in
            [Series("\(run.0) train", y: run.1.map { 100 * $0.train }, color: Theme.standard.seriesColor(i), markers: true),
             Series("\(run.0) validation", y: run.1.map { 100 * $0.validation }, color: Theme.standard.seriesColor(i), dashed: true, markers: true)]
        }, title: "Plain and residual nets", xLabel: "epoch", yLabel: "accuracy (%)", to: path)
    }
}

/// Section 6's figure: the loss on the one batch at every step, on a log scale.
func drawOverfitCurve(_ losses: [Double], in nb: Notebook) {
    nb.figure("overfit-one-batch.png", caption: "Loss on one fixed batch of 32 images while training on it alone (log scale).") { path in
        try Plot.lineChart([Series("loss on the batch", y: losses)], title: "Overfitting one batch", xLabel: "step", yLabel: "cross-entropy", logY: true, to: path)
    }
}
