import ArgumentParser
import Foundation
import Fovea
import FoveaData
import FoveaPlot
import FoveaTraining

/// `fovea predict CHECKPOINT IMAGE.png…`: the model's top classes for each image.
struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Classify PNG or JPEG images with a saved model: top classes with probabilities, and a bar-chart figure.",
        discussion: "Each image is prepared as the model's evaluation was: for a CIFAR-10 model scaled (area averaging) and centre-cropped to its input size; for an ImageNet model resized to 256/224 of its input size and centre-cropped; then normalised as in training.")

    @Argument(help: "A checkpoint written by fovea train.") var checkpoint: String
    @Argument(help: "PNG or JPEG images.") var images: [String]
    @Option(help: "Classes to print per image.") var top = 3
    @Option(help: "Folder for predict-NAME.png figures (default: none drawn).") var out: String?

    func validate() throws {
        if images.isEmpty { throw ValidationError("give at least one image") }
        if top < 1 { throw ValidationError("--top must be at least 1") }
    }

    func run() throws {
        try reportingErrors("predict") {
            let saved = try TrainingCheckpoint.read(checkpoint)
            let model = try saved.makeModel(source: checkpoint)
            let side = saved.inputShape.count == 3 ? saved.inputShape[1] : 32
            let imagenet = saved.settings?.dataset == "imagenet" ? ImageNetTransform(size: side) : nil
            for path in images {
                let jpeg = ["jpg", "jpeg"].contains((path as NSString).pathExtension.lowercased())
                let picture = jpeg ? try JPEG.decode(path, shortSide: imagenet.map { _ in side * 256 / 224 }) : try ImageFile.read(path)
                let image = imagenet?.evaluationCrop(picture) ?? ImageResize.centerSquare(picture, side: side)
                var rng = SplitMix64(seed: 0)
                let input = saved.transform.apply(to: image.reshaped([1] + image.shape), using: &rng)
                let probabilities = noGrad { softmax(model(input), axis: 1) }.doubles
                let ranked = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }
                print(path)
                for k in ranked.prefix(top) {
                    print(String(format: "  %6.2f %%  %@", 100 * probabilities[k], saved.classNames[k]))
                }
                if let out {
                    let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
                    let figure = out + "/predict-\(name).png"
                    try Plot.prediction(image: image, probabilities: probabilities, classNames: saved.classNames,
                                        title: String(format: "%@: %@ (%.0f %%)", saved.model.name, saved.classNames[ranked[0]], 100 * probabilities[ranked[0]]),
                                        to: figure)
                    print("  wrote \(figure)")
                }
            }
        }
    }
}
