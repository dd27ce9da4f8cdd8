import ArgumentParser
import Foundation
import Fovea
import FoveaData
import FoveaPlot
import FoveaTraining

/// `fovea features CHECKPOINT IMAGE.png`: feature maps of one image through every conv stage.
struct Features: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw the feature maps of one image through every conv stage of a saved model.",
        discussion: "Writes one PNG per stage (the first conv, each pooling or residual block), numbered in the order they run.")

    @Argument(help: "A checkpoint written by fovea train.") var checkpoint: String
    @Argument(help: "A PNG image.") var image: String
    @Option(help: "Folder for the PNG files (default: features/ beside the checkpoint).") var out: String?
    @Option(help: "Feature maps shown per stage.") var maps = 16

    /// The layers whose outputs are stages: top-level convs and pools, residual blocks.
    static let stageTypes: Set<String> = ["Conv2d", "MaxPool2d", "AvgPool2d", "BasicBlock", "Bottleneck"]

    func run() throws {
        try reportingErrors("features") {
            let saved = try TrainingCheckpoint.read(checkpoint)
            let model = try saved.makeModel(source: checkpoint)
            let side = saved.inputShape.count == 3 ? saved.inputShape[1] : 32
            let picture = ImageResize.centerSquare(try ImageFile.read(image), side: side)
            var rng = SplitMix64(seed: 0)
            let input = saved.transform.apply(to: picture.reshaped([1] + picture.shape), using: &rng)
            let folder = out ?? URL(fileURLWithPath: checkpoint).deletingLastPathComponent().appendingPathComponent("features").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try ImageFile.write(picture, to: folder + "/00-input.png")
            print("wrote \(folder)/00-input.png")
            let stages = model.intermediateOutputs(input).filter { stage in
                stage.output.rank == 4 && Self.stageTypes.contains(stage.type) && (stage.type != "Conv2d" || !stage.name.contains("."))
            }
            for (i, stage) in stages.enumerated() {
                let (c, h, w) = (stage.output.shape[1], stage.output.shape[2], stage.output.shape[3])
                let shown = min(c, maps)
                let file = String(format: "%@/%02d-%@.png", folder, i + 1, stage.name.replacingOccurrences(of: ".", with: "-"))
                try Plot.featureMaps(stage.output[0].sliced(0..<shown), columns: min(shown, 8), zoom: max(2, 96 / max(h, w)),
                                     title: "\(stage.name) (\(stage.type)): \(shown) of \(c) maps, \(h)×\(w)", to: file)
                print("wrote \(file)")
            }
        }
    }
}
