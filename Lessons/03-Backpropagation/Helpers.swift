// The helpers of lesson 03: number formatting, the small network's input and weights, the
// comparison table, the figures and the brief training of section 12, so that each cell of
// main.swift shows only the idea it teaches.
import Fovea
import FoveaData
import FoveaNotebook
import FoveaPlot
import Foundation

// MARK: - Numbers for tables

/// Numbers for tables: 6 significant digits.
func fmt(_ x: Double) -> String { String(format: "%.6g", x) }

/// Errors for tables: scientific notation with 2 significant digits.
func sci(_ x: Double) -> String { String(format: "%.1e", x) }

/// The largest |a − b| over all elements.
func maxAbsDifference(_ a: Tensor, _ b: Tensor) -> Double { zip(a.doubles, b.doubles).map { abs($0 - $1) }.max() ?? 0 }

// MARK: - Section 4: the small CNN's input and weights

/// The built-in letter as a [1, 1, size, size] Float64 image, bright ink (1) on black (0).
func letterImage(size: Int) -> Tensor {
    Tensor(shape: [1, 1, size, size], float64: BuiltinImage.letter.render(size: size, channels: 1).values.map { 1 - Double($0) })
}

/// The small CNN's random Float64 weights, drawn from `rng` in this order: the 3 conv filters
/// W1 [3, 1, 3, 3] (std 0.5), their biases b1 [3] (std 0.1), the linear weights W2 [3, 27]
/// (std 0.5); the linear biases b2 [3] start at 0.
func randomWeights(using rng: inout SplitMix64) -> (w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor) {
    let w1 = Tensor.normal([3, 1, 3, 3], std: 0.5, dtype: .float64, using: &rng), b1 = Tensor.normal([3], std: 0.1, dtype: .float64, using: &rng)
    let w2 = Tensor.normal([3, 27], std: 0.5, dtype: .float64, using: &rng), b2 = Tensor(zeros: [3], dtype: .float64)
    return (w1, b1, w2, b2)
}

/// Shows what the forward pass produced: the logits, their softmax probabilities and the loss.
func showOutput(logits: Tensor, loss: Tensor, in nb: Notebook) {
    nb.show(logits, "logits")
    nb.show(softmax(logits.detached()), "probabilities")
    nb.show(fmt(loss.item()), "loss")
}

// MARK: - Section 9: distance to a kink

/// The smallest gap between the largest and second-largest value of a 2×2 pooling window of `a`
/// ([1, K, H, W]) whose largest value is positive (an all-zero window passes no gradient): a
/// nudge smaller than this gap cannot change the window's winner.
func poolGap(_ a: Tensor) -> Double {
    var gap = Double.infinity
    for k in 0..<a.shape[1] {
        for i in stride(from: 0, to: a.shape[2], by: 2) {
            for j in stride(from: 0, to: a.shape[3], by: 2) {
                let window = [a[0, k, i, j], a[0, k, i, j + 1], a[0, k, i + 1, j], a[0, k, i + 1, j + 1]].sorted(by: >)
                if window[0] > 0 { gap = min(gap, window[0] - window[1]) }
            }
        }
    }
    return gap
}

// MARK: - Section 10: the comparison table

/// Shows section 10's table: for each gradient (name, by hand, by autograd, by finite differences
/// where it is a leaf) its shape and the largest difference of the hand value from the other two.
func showGradientComparison(_ rows: [(String, Tensor, Tensor, Tensor?)], in nb: Notebook) {
    nb.table(headers: ["dL/d…", "shape", "max |hand − autograd|", "max |hand − finite diff.|"], rows: rows.map { name, hand, auto, numeric in
        [name, "\(hand.shape)", sci(maxAbsDifference(hand, auto)), numeric.map { sci(maxAbsDifference(hand, $0)) } ?? "—"]
    })
}

// MARK: - Section 11: gradients as pictures

/// Draws `input-gradient.png`: the input `x` ([1, 1, H, W]) in grey beside its gradient `x.grad`
/// on a diverging scale.
func drawInputGradient(_ x: Tensor, in nb: Notebook) {
    nb.figure("input-gradient.png", caption: "The 8×8 input and dL/dx (red: brighter would raise the loss; blue: lower it)") { path in
        try Plot.featureMaps(Tensor.concatenated([x.detached(), x.grad!], axis: 1)[0], zoom: 24, normalization: .symmetric, colormap: .diverging,
                             tiles: "input (grey) and its gradient (bar), each on its own scale", tileColormaps: [.grey, .diverging],
                             captions: ["input x", "dL/dx"], title: "Input and its gradient", to: path)
    }
}

/// Draws `feature-map-gradients.png`: a row each for z1 (before ReLU), the gradient routed to a1
/// by max-pooling, and the gradient of z1 after the ReLU mask; a column per filter.
func drawFeatureMapGradients(z1: Tensor, a1: Tensor, in nb: Notebook) {
    nb.figure("feature-map-gradients.png", caption: "Rows: z1 = conv(x) before ReLU, dL/da1 routed by max-pooling, dL/dz1 after the ReLU mask; columns: the 3 filters") { path in
        let rowsOfMaps = Tensor.concatenated([z1.detached()[0], a1.grad![0], z1.grad![0]], axis: 0)   // [9, 6, 6]
        try Plot.featureMaps(rowsOfMaps, columns: 3, zoom: 20, normalization: .symmetric, colormap: .diverging, tiles: "3 quantities × 3 filters",
                             captions: (0..<3).map { "z1[\($0)]" } + (0..<3).map { "dL/da1[\($0)]" } + (0..<3).map { "dL/dz1[\($0)]" },
                             title: "Feature maps and their gradients", to: path)
    }
}

/// Draws `conv-weight-gradient.png`: the 3 conv filters `w1` ([3, 1, 3, 3]) above their gradients,
/// with the values written in.
func drawConvWeightGradient(_ w1: Tensor, in nb: Notebook) {
    nb.figure("conv-weight-gradient.png", caption: "Top: the 3 random conv filters W1; bottom: dL/dW1, the correlation of x with dL/dz1") { path in
        let filters = Tensor.concatenated([w1.detached(), w1.grad!], axis: 0).reshaped([6, 3, 3])
        try Plot.featureMaps(filters, columns: 3, zoom: 40, normalization: .symmetric, colormap: .diverging, tiles: "3 filters and their gradients", showValues: true,
                             captions: (0..<3).map { "W1[\($0)]" } + (0..<3).map { "dL/dW1[\($0)]" }, title: "Filters and their gradients", to: path)
    }
}

// MARK: - Section 12: saliency on real images

/// Trains a network briefly, the way lesson 05 explains: `steps` steps of SGD (learning rate
/// 0.02, momentum 0.9) over `parameters`, on consecutive batches of 64 images of `train`, each
/// step the softmax cross-entropy of `scores`, its backward pass and an update. Returns the loss of
/// every step.
func trainBriefly(_ parameters: [Tensor], scores: (Tensor) -> Tensor, on train: (images: Tensor, labels: [Int]), steps: Int) -> [Double] {
    let optimizer = SGD(parameters, learningRate: 0.02, momentum: 0.9)
    var losses: [Double] = []
    for step in 0..<steps {
        let start = (step * 64) % (train.labels.count - 64)
        let labels = Tensor(shape: [64], int64: train.labels[start..<(start + 64)].map(Int64.init))
        let loss = softmaxCrossEntropy(scores(train.images.sliced(start..<(start + 64))), labels: labels)
        optimizer.zeroGrad(); loss.backward(); optimizer.step()
        losses.append(loss.item())
    }
    return losses
}

/// Draws `cifar-images.png` (the test images with their labels and the network's guesses, the
/// classes of highest `scores`) and `cifar-saliency.png` (their `saliency` maps, [N, 32, 32]).
func drawSaliency(images: Tensor, labels: [Int], scores: Tensor, saliency: Tensor, in nb: Notebook) {
    let names = labels.map { CIFAR10.classNames[$0] }, guesses = scores.argmax(axis: 1).int64s.map { CIFAR10.classNames[Int($0)] }
    nb.figure("cifar-images.png", caption: "CIFAR-10 test images: label, and the small network's guess") { path in
        try Plot.samples(images.detached(), labels: names, predictions: guesses, columns: 4, normalization: .none, title: "CIFAR-10 test images", to: path)
    }
    nb.figure("cifar-saliency.png", caption: "Saliency |dL/dx| of the briefly trained conv → ReLU → pool → linear network (each map scaled to its own range)") { path in
        try Plot.featureMaps(saliency, columns: 4, normalization: .minMax, colormap: .viridis, captions: names, title: "|dL/dx|, max over RGB", to: path)
    }
}
