import ArgumentParser
import Fovea
import FoveaPlot
import Foundation

/// `fovea gallery`: one figure of every kind, each drawn from real engine output.
struct Gallery: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render one figure of every kind from real engine output (filters, feature maps, a short training run, …).",
        discussion: "Trains a small CNN on the built-in synthetic shapes for a few epochs (about 5 seconds on 2 cores)."
    )

    @Option(name: [.customLong("out"), .customLong("output")], help: "Folder for the PNG files.")
    var output = "runs/gallery"
    @Option(help: "Seed for initialisation, data and shuffling.") var seed: UInt64 = 0
    @Option(help: "Training epochs for the curve, confusion matrix and predictions.") var epochs = 12

    func run() throws {
        var rng = SplitMix64(seed: seed)
        func path(_ name: String) -> String { "\(output)/\(name)" }
        func say(_ file: String, _ what: String) { print("  \(file)  \(what)") }
        print("Writing the gallery to \(output)/ (\(CPUBackend.shared.name))")

        // 1. A built-in image, and what classic kernels make of it.
        let scene = Tensor(BuiltinImage.scene.render(size: 96))            // [3, 96, 96]
        try Plot.image(scene, zoom: 3, normalization: .none, colorBar: false, title: "Built-in scene (drawn with Cairo)", to: path("image-scene.png"))
        say("image-scene.png", "an RGB image at zoom 3")
        let grey = scene.mean(axes: [0], keepDims: true).reshaped([1, 1, 96, 96])
        let kernels = Tensor(shape: [4, 1, 3, 3], [
            -1, 0, 1, -2, 0, 2, -1, 0, 1,          // Sobel x: vertical edges
            -1, -2, -1, 0, 0, 0, 1, 2, 1,          // Sobel y: horizontal edges
            1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9, 1 / 9,   // box blur
            0, -1, 0, -1, 5, -1, 0, -1, 0,         // sharpen
        ])
        let maps = conv2d(grey, weight: kernels, padding: 1)[0]                       // [4, 96, 96]
        try Plot.featureMaps(maps.sliced(0..<2), zoom: 2, normalization: .symmetric, colormap: .diverging,
                             captions: ["Sobel x: vertical edges", "Sobel y: horizontal edges"],
                             title: "Sobel feature maps of the scene (conv2d, padding 1)", to: path("feature-maps-sobel.png"))
        say("feature-maps-sobel.png", "signed feature maps of Sobel kernels")
        try Plot.featureMaps(maps.sliced(2..<4), zoom: 2, normalization: .minMax, colormap: .grey,
                             captions: ["3×3 box blur", "sharpen"], title: "Blur and sharpen feature maps", to: path("feature-maps-blur-sharpen.png"))
        say("feature-maps-blur-sharpen.png", "feature maps of blur and sharpen kernels")
        try Plot.image(maps[0], zoom: 3, normalization: .symmetric, colormap: .diverging, title: "Sobel x response (signed)", to: path("image-sobel-diverging.png"))
        say("image-sobel-diverging.png", "a signed map with the diverging colormap and colour bar")

        // 2. Filters of a freshly initialised layer, and a histogram of its weights.
        let fresh = Conv2d(3, 16, kernelSize: 5, using: &rng)
        try Plot.filters(fresh.weight, zoom: 12, title: "Conv2d(3, 16, 5) filters at initialisation", to: path("filters-initial.png"))
        say("filters-initial.png", "first-layer filters as RGB patches")
        try Plot.histogram(fresh.weight.scalars, bins: 30, title: "Initial conv weights: U(±1/√fan_in)", xLabel: "weight", to: path("histogram-initial-weights.png"))
        say("histogram-initial-weights.png", "a histogram of initial weights")

        // 3. Gradient descent, momentum and Adam on a loss surface, run by the engine's optimizers.
        let surface: (Double, Double) -> Double = { x, y in 0.5 * x * x + 5 * y * y }  // an elongated bowl
        var trajectories: [Trajectory] = []
        let optimizers: [(String, ([Tensor]) -> any Optimizer)] = [
            ("gradient descent", { SGD($0, learningRate: 0.18) }),
            ("momentum 0.9", { SGD($0, learningRate: 0.03, momentum: 0.9) }),
            ("Adam", { Adam($0, learningRate: 0.3) }),
        ]
        for (name, make) in optimizers {
            let point = Tensor(shape: [2], [-4.5, 1.8] as [Float], requiresGrad: true)
            let optimizer = make([point])
            var xs = [point.doubles[0]], ys = [point.doubles[1]]
            for _ in 0..<30 {
                optimizer.zeroGrad()
                let loss = (point * Tensor([0.5, 5]) * point).sum()   // 0.5x² + 5y²
                loss.backward()
                optimizer.step()
                xs.append(point.doubles[0]); ys.append(point.doubles[1])
            }
            trajectories.append(Trajectory(name, x: xs, y: ys))
        }
        try Plot.contour(surface, x: -5...5, y: -2.5...2.5, levels: 12, trajectories: trajectories,
                         title: "30 steps on L = 0.5x² + 5y²", width: 720, equalAspect: true, to: path("contour-optimizers.png"))
        say("contour-optimizers.png", "a contour plot with optimizer trajectories")

        // 4. A short training run of a small CNN on the synthetic shapes.
        print("  training a small CNN on synthetic shapes for \(epochs) epochs…")
        let run = try ShapesTraining(epochs: epochs, seed: seed).run { epoch, train, test in
            print(String(format: "    epoch %d  train loss %.3f  test loss %.3f  test accuracy %.1f %%", epoch, train.loss, test.loss, 100 * test.accuracy))
        }
        let epochsAxis = (1...run.history.count).map(Double.init)
        try Plot.lineChart([Series("train", x: epochsAxis, y: run.history.map(\.train.loss), markers: true),
                            Series("test", x: epochsAxis, y: run.history.map(\.test.loss), dashed: true, markers: true)],
                           title: "Small CNN on synthetic shapes: loss", xLabel: "epoch", yLabel: "cross-entropy", to: path("curve-loss.png"))
        try Plot.lineChart([Series("train", x: epochsAxis, y: run.history.map(\.train.accuracy), markers: true),
                            Series("test", x: epochsAxis, y: run.history.map(\.test.accuracy), dashed: true, markers: true)],
                           title: "Small CNN on synthetic shapes: accuracy", xLabel: "epoch", yLabel: "accuracy", to: path("curve-accuracy.png"))
        say("curve-loss.png, curve-accuracy.png", "training curves, train vs test")
        try Plot.confusionMatrix(counts: run.confusion, classNames: ShapesTraining.classNames, title: "Test confusion matrix", to: path("confusion-matrix.png"))
        say("confusion-matrix.png", "a confusion matrix of test predictions")
        let probabilities = softmax(noGrad { run.model(run.testImages.sliced(0..<1)) })[0]
        try Plot.barChart(values: probabilities.doubles, labels: ShapesTraining.classNames, title: "Class probabilities of test image 0",
                          highlight: run.testLabels[0], to: path("bars-probabilities.png"))
        say("bars-probabilities.png", "class probabilities of one prediction")
        let shown = 16
        let predicted = noGrad { run.model(run.testImages.sliced(0..<shown)) }.argmax(axis: 1).int64s.map { ShapesTraining.classNames[Int($0)] }
        try Plot.samples(run.testImages.sliced(0..<shown), labels: run.testLabels.prefix(shown).map { ShapesTraining.classNames[$0] },
                         predictions: predicted, columns: 8, normalization: .none, title: "Test images: label / prediction", to: path("samples-predictions.png"))
        say("samples-predictions.png", "sample images with labels and predictions")
        try Plot.filters(run.model.conv1.weight, zoom: 14, title: "Small CNN conv1 (3→8, 5×5) after \(epochs) epochs", to: path("filters-trained.png"))
        say("filters-trained.png", "first-layer filters after training")
    }
}
