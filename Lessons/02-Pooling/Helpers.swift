// The helpers of lesson 02: they draw the figures, format the tables and hold the list of
// output-size cases, so that each cell of main.swift shows only the idea it teaches.
import Fovea
import FoveaData
import FoveaNotebook
import FoveaPlot

// MARK: - Enlarging small maps for the figures

/// `t` ([C, H, W]) enlarged `f` times: [C, f·H, f·W], each value drawn as an f×f block, so that a
/// pooled map lines up with the map it came from.
func upsampled(_ t: Tensor, by f: Int) -> Tensor {
    let (c, h, w) = (t.shape[0], t.shape[1], t.shape[2])
    return (t.reshaped([c, h, 1, w, 1]) * Tensor(repeating: 1, shape: [1, 1, f, 1, f])).reshaped([c, h * f, w * f])
}

/// A batch of RGB images `t` ([N, 3, h, w]) enlarged `f` times: [N, 3, f·h, f·w], as ``upsampled(_:by:)``.
func enlarged(_ t: Tensor, by f: Int) -> Tensor {
    upsampled(t.reshaped([-1, t.shape[2], t.shape[3]]), by: f).reshaped([t.shape[0], 3, f * t.shape[2], f * t.shape[3]])
}

// MARK: - Section 1: the windows table

/// The rows of section 1's table: for each window (i, j), in row-major order, its values, its
/// maximum and its mean.
func windowRows(_ windows: [[[Float]]], max maxima: [[Float]], mean means: [[Float]]) -> [[String]] {
    windows.indices.flatMap { i in
        windows[i].indices.map { j in
            ["(\(i), \(j))", windows[i][j].map { String(Int($0)) }.joined(separator: ", "),
             String(Int(maxima[i][j])), String(format: "%.2f", means[i][j])]
        }
    }
}

// MARK: - Section 3: the output-size table

/// One row of the output-size table: an input of `h`×`h`, a `k`×`k` window, stride `s`, padding `p`.
struct PoolSizeCase: Sendable {
    let name: String
    let h: Int, k: Int, s: Int, p: Int

    /// The windows of sections 1 and 3, a case where the floor drops a row, and the pooling layers
    /// of famous networks.
    static let all: [PoolSizeCase] = [
        .init(name: "section 1", h: 6, k: 2, s: 2, p: 0),
        .init(name: "overlapping", h: 6, k: 3, s: 2, p: 0),
        .init(name: "overlapping, padding 1", h: 6, k: 3, s: 2, p: 1),
        .init(name: "odd size: last row dropped", h: 7, k: 2, s: 2, p: 0),
        .init(name: "LeNet-5 / VGG", h: 32, k: 2, s: 2, p: 0),
        .init(name: "AlexNet pool1", h: 55, k: 3, s: 2, p: 0),
        .init(name: "AlexNet pool5", h: 13, k: 3, s: 2, p: 0),
        .init(name: "ResNet-50 stem pool", h: 112, k: 3, s: 2, p: 1),
    ]

    /// The table row: the case, the formula with its numbers filled in, the shape `maxPool2d`
    /// returned, and ✓ when the two agree.
    func tableRow(formula: Int, shape: [Int], agree: Bool) -> [String] {
        ["\(name): H \(h), k \(k), s \(s), p \(p)",
         "⌊(\(h) + \(2 * p) − \(k)) / \(s)⌋ + 1 = \(formula)", "\(shape)", agree ? "✓" : "✗"]
    }
}

// MARK: - Sections 4 and 5: forward and backward on the 6×6 map

/// Draws one pooling of the 6×6 example (kernel 2) forward and backward as three tiles with their
/// values, on one fixed 0…9 scale: the input, each window's pooled value spread over the window,
/// and the input's gradient.
private func drawForwardBackward(_ file: String, caption: String, input: Tensor, pooled: Tensor, grad: Tensor,
                                 pooledCaption: String, title: String, in nb: Notebook) {
    let picture = Tensor.concatenated([input.detached()[0], upsampled(pooled.detached()[0], by: 2), grad[0]])   // [3, 6, 6]
    nb.figure(file, caption: caption) { path in
        try Plot.featureMaps(picture, columns: 3, zoom: 32, normalization: .fixed(0, 9), tiles: "input (grey), pooled, gradient", showValues: true,
                             tileColormaps: [.grey, .viridis, .viridis],
                             captions: ["input x", pooledCaption, "input.grad"],
                             title: title, to: path)
    }
}

/// Draws `max-backward.png`: the input, its 2×2 max pooling and the gradient that max pooling
/// routed back.
func drawMaxBackward(input: Tensor, pooled: Tensor, grad: Tensor, in nb: Notebook) {
    drawForwardBackward("max-backward.png", caption: "Max pooling: the input, each window's maximum spread over the window, and the gradient for dOut = 1…9; one colour scale 0…9 for all three.",
                        input: input, pooled: pooled, grad: grad, pooledCaption: "maxPool2d, per window", title: "Max pooling, forward and backward", in: nb)
}

/// Draws `avg-backward.png`: the input, its 2×2 average pooling and the gradient that average
/// pooling spread back.
func drawAverageBackward(input: Tensor, pooled: Tensor, grad: Tensor, in nb: Notebook) {
    drawForwardBackward("avg-backward.png", caption: "Average pooling: the input, each window's mean spread over the window, and the gradient for dOut = 1…9, on the same 0–9 scale as the max-pooling figure.",
                        input: input, pooled: pooled, grad: grad, pooledCaption: "avgPool2d, per window", title: "Average pooling, forward and backward", in: nb)
}

// MARK: - Section 6: pooling feature maps

/// Draws `pooling-stages.png`: a row per feature map (`names`), a column per stage of `stages`
/// (each [1, maps, H, W], halving H and W), every stage enlarged to the size of the first, on one
/// colour scale.
func drawPoolingStages(_ stages: [Tensor], names: [String], in nb: Notebook) {
    let size = stages[0].shape[2]
    let grid = (0..<names.count).flatMap { m in stages.map { upsampled($0[0].sliced(m..<(m + 1)), by: size / $0.shape[2]) } }
    nb.figure("pooling-stages.png", caption: "Each row is one feature map of the scene, max-pooled 2×2 again and again: 64×64, 32×32, 16×16, 8×8; one colour scale for all.") { path in
        try Plot.featureMaps(Tensor.concatenated(grid), columns: 4, zoom: 2, sharedScale: true, tiles: "4 maps × 4 sizes",
                             captions: names.flatMap { name in stages.map { "\(name) · \($0.shape[2])×\($0.shape[3])" } },
                             title: "conv → ReLU → max pool, three times", to: path)
    }
}

/// Draws `max-vs-avg.png`: the 8×8 maps after max pooling (top row) and after average pooling
/// (bottom row), each [1, maps, 8, 8], enlarged 8 times, on one colour scale.
func drawMaxVersusAverage(maxPooled: Tensor, averaged: Tensor, names: [String], in nb: Notebook) {
    let compared = Tensor.concatenated([upsampled(maxPooled[0], by: 8), upsampled(averaged[0], by: 8)])   // [8, 64, 64]
    nb.figure("max-vs-avg.png", caption: "The four maps pooled to 8×8: by max pooling (top row) and by average pooling (bottom row), on one colour scale.") { path in
        try Plot.featureMaps(compared, columns: 4, zoom: 2, sharedScale: true, tiles: "2 poolings × 4 maps", captions: ["max", "avg"].flatMap { kind in names.map { "\($0) · \(kind)" } },
                             title: "8×8: max pooling keeps thin edges, average pooling blurs them", to: path)
    }
}

// MARK: - Section 8: real photos

/// Draws `cifar-pooled.png`: for each photo a row of its `versions` (each [N, 3, 32, 32]: the
/// original, then the pooled ones enlarged back to 32×32), captioned with the class of `labels`.
func drawPooledPhotos(_ versions: [Tensor], labels: [Int], in nb: Notebook) {
    let tiles = Tensor.concatenated((0..<labels.count).flatMap { n in versions.map { $0.sliced(n..<(n + 1)) } })   // [16, 3, 32, 32]
    let captions = labels.flatMap { label in [CIFAR10.classNames[label] + " 32×32", "avg 16×16", "avg 8×8", "max 8×8"] }
    nb.figure("cifar-pooled.png", caption: "Four CIFAR-10 photos: original, average-pooled to 16×16 and 8×8, max-pooled to 8×8.") { path in
        try Plot.samples(tiles, labels: captions, columns: 4, zoom: 3, normalization: .none, title: "Pooling CIFAR-10 photos", to: path)
    }
}

// MARK: - Section 9: receptive fields

/// `x` through `layers` as the receptive-field probe builds them: a layer of stride 1 is a 3×3
/// convolution of ones with padding 1 (every path positive, size kept), a layer of stride 2 a 2×2
/// average pool (the windows of max pooling, but a gradient for every pixel of the window).
func throughAllOnesLayers(_ x: Tensor, _ layers: ArraySlice<(name: String, k: Int, stride: Int)>) -> Tensor {
    var h = x
    for layer in layers {
        h = layer.stride == 1 ? conv2d(h, weight: Tensor(repeating: 1, shape: [1, 1, 3, 3]), padding: 1) : avgPool2d(h, kernel: 2)
    }
    return h
}

/// The pixels that one output reads, from the gradient of that output with respect to a probe
/// input ([1, 1, size, size]): `mask` is 1 where the gradient is non-zero and 0 elsewhere, and
/// `side` counts the rows that hold a non-zero gradient (the receptive field's height).
func pixelsRead(gradient: Tensor) -> (side: Int, mask: Tensor) {
    let size = gradient.shape[3]
    let seen = gradient[0][0].doubles.map { $0 != 0 ? 1.0 : 0.0 }
    let side = Int((0..<size).filter { row in seen[(row * size)..<((row + 1) * size)].contains(1) }.count)
    return (side, Tensor(shape: [1, 1, size, size], seen.map { Float($0) }))
}

/// Shows the receptive-field table: a row per layer, with its number and name, the field the
/// rule predicts and the one autograd measured.
func showReceptiveFieldTable(names: [String], predicted: [Int], measured: [Int], in nb: Notebook) {
    nb.table(headers: ["layer", "receptive field (rule)", "measured with autograd"],
             rows: names.indices.map { ["\($0 + 1) · \(names[$0])", "\(predicted[$0])×\(predicted[$0])", "\(measured[$0])×\(measured[$0])"] })
}

/// Draws `receptive-fields.png`: the grey scene (`grey`: [1, 1, size + 2, size + 2], cropped to
/// size×size) lit where one central output of layers 1, 2, 4, 5 and 7 looks (`masks`), dimmed elsewhere.
func drawReceptiveFields(grey: Tensor, masks: [Tensor], measured: [Int], in nb: Notebook) {
    let size = masks[0].shape[3]
    let pictureGrey = grey.sliced(1..<(size + 1), axis: 2).sliced(1..<(size + 1), axis: 3)   // [1, 1, 64, 64]
    let shown = [0, 1, 3, 4, 6]
    nb.figure("receptive-fields.png", caption: "The scene, lit only where one central output of each layer looks (dimmed elsewhere).") { path in
        try Plot.samples(Tensor.concatenated(shown.map { pictureGrey * (masks[$0] * 0.8 + 0.2) }),
                         labels: shown.map { "after layer \($0 + 1): \(measured[$0])×\(measured[$0])" }, columns: 5, zoom: 2,
                         normalization: .none, title: "Receptive fields through conv, conv, pool, conv, conv, pool, conv", to: path)
    }
}
