// The helpers that lesson 09's cells call: finding the images, formatting lines, timing, the short
// training loop and the figures, kept out of the cells so that each cell shows the idea.
import Foundation
import Fovea
import FoveaData
import FoveaNotebook
import FoveaPlot

/// The folder of class folders to read: ImageNet's `train/` if there is one, else the course's
/// 500-image sample.
func imageNetTrainFolder(_ data: String?) throws -> String {
    if let imagenet = try? ImageNetLocation.folder(data: data) { return imagenet + "/train" }
    let roots = DataLocation.roots(explicit: data)
    for root in roots where FileManager.default.fileExists(atPath: root + "/imagenet-sample/train") { return root + "/imagenet-sample/train" }
    throw DataError.notFound(dataset: "ImageNet images", checked: roots.flatMap { [$0 + "/imagenet/train", $0 + "/train", $0 + "/imagenet-sample/train"] },
                             hint: "Pass --data DIR with DIR holding imagenet/train/ (one folder per class) or the course's imagenet-sample/.")
}

/// The WordNet id of an image: the name of its folder.
func wnid(of path: String) -> String { URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent }

/// "sizes from W×H to W×H (median W×H)".
func sizeRange(_ sizes: [(width: Int, height: Int)]) -> String {
    let sorted = sizes.sorted { $0.width * $0.height < $1.width * $1.height }
    let (low, middle, high) = (sorted.first!, sorted[sorted.count / 2], sorted.last!)
    return "photo sizes from \(low.width)×\(low.height) to \(high.width)×\(high.height) pixels (median \(middle.width)×\(middle.height))"
}

/// The index of the photo with the most pixels.
func largestImage(_ sizes: [(width: Int, height: Int)]) -> Int {
    sizes.indices.max { sizes[$0].width * sizes[$0].height < sizes[$1].width * sizes[$1].height }!
}

/// Seven random training views and the evaluation view, as the network sees them (normalised,
/// each drawn with its own contrast stretch).
func drawViews(_ views: [Tensor], in nb: Notebook) {
    nb.figure("pipeline-views.png", caption: "Seven random training views of one photo (random resized crop and flip, 224×224) and its evaluation view (resize to 256, centre 224).") { path in
        try Plot.samples(Tensor.concatenated(views.map { $0.reshaped([1] + $0.shape) }), labels: (1...7).map { "training view \($0)" } + ["evaluation view"], columns: 4, zoom: 1,
                         title: "One photo, eight views", to: path)
    }
}

/// The summary's stage rows (stem, the four stages, pooling, classifier) and its total.
func summaryStages(_ summary: String) -> String {
    summary.split(separator: "\n").filter { line in
        let name = line.split(separator: " ").first.map(String.init) ?? ""
        return !name.contains(".") || name == "layer"
    }.joined(separator: "\n")
}

/// One photo through the evaluation pipeline: `[1, 3, S, S]`.
func evaluationView(_ path: String, _ transform: ImageNetTransform) throws -> Tensor {
    let image = try JPEG.decode(path, shortSide: Int((Double(transform.size) * 256 / 224).rounded(.up)))
    return transform.evaluation(image).reshaped([1, 3, transform.size, transform.size])
}

/// `body`'s result and the milliseconds it took.
func timed<T>(_ body: () -> T) -> (T, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let result = body()
    return (result, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
}

/// One line per photo: its class and the network's five best guesses with their probabilities.
func topFive(_ logits: Tensor, truth: [Int], names: [String]) -> String {
    let probabilities = softmax(logits, axis: 1).doubles, k = logits.shape[1]
    return truth.enumerated().map { row, label in
        let best = (0..<k).sorted { probabilities[row * k + $0] > probabilities[row * k + $1] }.prefix(5)
        let guesses = best.map { "\(names[$0].split(separator: ",")[0]) " + String(format: "%.3f", probabilities[row * k + $0]) }
        return "\(String(names[label].split(separator: ",")[0])): " + guesses.joined(separator: " · ") + (best.contains(label) ? "  ✓ top-5" : "")
    }.joined(separator: "\n")
}

/// conv1's 64 filters as colour patches.
func drawFilters(_ weight: Tensor, pretrained: Bool, in nb: Notebook) {
    nb.figure("conv1-filters.png", caption: "The 64 conv1 filters (7×7, RGB) of ResNet-18, \(pretrained ? "trained (--weights)" : "untrained: random numbers, as initialised").") { path in
        try Plot.filters(weight, columns: 16, zoom: 6, title: "ResNet-18 conv1: 64 filters × 3 channels, 7×7\(pretrained ? "" : " (untrained)")", to: path)
    }
}

/// Feature maps `[C, H, W]`, one tile each.
func drawFeatureMaps(_ maps: Tensor, in nb: Notebook) {
    nb.figure("conv1-maps.png", caption: "The first 16 of conv1's 64 feature maps of the first photo (112×112), each stretched to its own range.") { path in
        try Plot.featureMaps(maps, columns: 8, zoom: 1, tiles: "16 of 64 maps", title: "conv1 of ResNet-18 on one photo", to: path)
    }
}

/// Trains `model` on one batch again and again (SGD, momentum 0.9); the loss of each step.
func overfitOneBatch(_ model: any Module, batch: Batch, steps: Int) throws -> [Double] {
    let optimizer = SGD(named: model.namedParameters(), learningRate: 0.05, momentum: 0.9)
    model.train()
    return try (0..<steps).map { _ in
        let loss = softmaxCrossEntropy(model(batch.images), labels: batch.labels)
        try checkFinite(loss.item())
        optimizer.zeroGrad(); loss.backward(); optimizer.step()
        return loss.item()
    }
}

/// The loss per step of the short training run.
func drawLosses(_ losses: [Double], in nb: Notebook) {
    nb.figure("overfit-loss.png", caption: "Cross-entropy per step while ResNet-18 memorises 32 photos at 64×64 (ln 1000 ≈ 6.9 is chance).") { path in
        try Plot.lineChart([Series("training loss", y: losses, markers: true)], title: "ResNet-18 on one batch of 32 photos",
                           xLabel: "step", yLabel: "cross-entropy", to: path)
    }
}

/// Training images per second of `model` on random images (median of two steps after one warm-up).
func trainingImagesPerSecond(_ model: any Module, batch: Int, side: Int) -> Double {
    var rng = SplitMix64(seed: 1)
    let images = Tensor.normal([batch, 3, side, side], using: &rng), labels = Tensor(shape: [batch], int64: (0..<batch).map { Int64($0) })
    let optimizer = SGD(named: model.namedParameters(), learningRate: 0.01, momentum: 0.9)
    model.train()
    let times = (0..<3).map { _ in
        timed { optimizer.zeroGrad(); softmaxCrossEntropy(model(images), labels: labels).backward(); optimizer.step() }.1
    }
    return Double(batch) * 1000 / times.dropFirst().sorted()[0]
}

/// A row of the cost table: the input, images/s, and one epoch (1,281,167 images) and `epochs` at that speed.
func costRow(_ name: String, input: String, _ imagesPerSecond: Double, epochs: Int) -> [String] {
    let epochHours = 1_281_167 / imagesPerSecond / 3600
    let run = epochs * Int(epochHours.rounded(.up)) >= 48 ? String(format: "%.0f days", Double(epochs) * epochHours / 24)
                                                          : String(format: "%.0f hours", Double(epochs) * epochHours)
    return [name, input, String(format: "%.1f", imagesPerSecond), String(format: "%.1f hours", epochHours), "\(epochs) epochs: \(run)"]
}
