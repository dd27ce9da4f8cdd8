import ArgumentParser
import Fovea
import FoveaModels

/// `fovea summary MODEL`: layers, output shapes and parameter counts of a built-in model.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "summary", abstract: "Print a built-in model's layers, output shapes and parameter counts.")

    @Argument(help: "The model: \(ModelCatalog.names.joined(separator: ", ")), or any resnetN or wrn-D-K.") var model: String
    // `.unconditional` reads `--size -3` as a value (then rejected below), not as an unknown flag.
    @Option(parsing: .unconditional, help: "Input height and width in pixels (default: 224 for resnet18 and resnet50, 64 for a four-group wrn-D-K such as wrn-36-2, else 32).")
    var size: Int?
    var isImageNetResNet: Bool { model == "resnet18" || model == "resnet50" }
    var side: Int { size ?? (isImageNetResNet ? 224 : WideResNet.parse(model)?.groups == 4 ? 64 : 32) }
    /// 1000 classes for the ImageNet models (torchvision's ResNets and the wide ResNets), else CIFAR-10's 10.
    var classes: Int { isImageNetResNet || WideResNet.parse(model) != nil ? 1000 : 10 }
    @Option(help: "Images in the batch (shapes, mult-adds and memory are per batch).") var batch = 1
    @Flag(help: "Measure each layer's forward time (median of 10 runs after a warm-up).") var profile = false

    func validate() throws {
        guard ModelCatalog.knows(model) else { throw ValidationError("\(ModelCatalogError.unknown(model))") }
        guard side > 0 else { throw ValidationError("--size must be a positive number of pixels, not \(side)") }
        guard batch > 0 else { throw ValidationError("--batch must be positive, not \(batch)") }
        if model == "lenet" && side != 32 {
            throw ValidationError("lenet takes 32×32 inputs (its fc1 expects 16×5×5 = 400 features), not --size \(side)")
        }
        if model == "airbench94" && side != 32 {
            throw ValidationError("airbench94 takes 32×32 inputs (its last pooling expects 3×3 maps), not --size \(side)")
        }
        if model.hasPrefix("resnet") && !isImageNetResNet && side < 8 || model == "vggish" && side < 8 {
            throw ValidationError("\(model) halves the image \(model == "vggish" ? "three times" : "twice"); --size must be at least 8")
        }
        if isImageNetResNet && side < 32 {
            throw ValidationError("\(model) shrinks the image 32-fold; --size must be at least 32")
        }
        if let wrn = WideResNet.parse(model), side < 1 << (wrn.groups - 1) {
            throw ValidationError("\(model) halves the image \(wrn.groups - 1) times; --size must be at least \(1 << (wrn.groups - 1))")
        }
    }

    func run() throws {
        var rng = SplitMix64(seed: 0)
        let network = try ModelCatalog.make(ModelSpec(name: model, classes: classes), using: &rng)
        print(network.summary(inputShape: [batch, 3, side, side], profile: profile ? 10 : 0))
    }
}
