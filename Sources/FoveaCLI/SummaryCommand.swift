import ArgumentParser
import Fovea
import FoveaModels

/// `fovea summary MODEL`: layers, output shapes and parameter counts of a built-in model.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "summary", abstract: "Print a built-in model's layers, output shapes and parameter counts.")

    enum Model: String, ExpressibleByArgument, CaseIterable { case lenet, resnet20, vggish, airbench94, resnet18, resnet50 }

    @Argument(help: "The model.") var model: Model
    // `.unconditional` reads `--size -3` as a value (then rejected below), not as an unknown flag.
    @Option(parsing: .unconditional, help: "Input height and width in pixels (default: 224 for resnet18 and resnet50, else 32).")
    var size: Int?
    var side: Int { size ?? (model == .resnet18 || model == .resnet50 ? 224 : 32) }
    @Option(help: "Images in the batch (shapes, mult-adds and memory are per batch).") var batch = 1
    @Flag(help: "Measure each layer's forward time (median of 10 runs after a warm-up).") var profile = false

    func validate() throws {
        guard side > 0 else { throw ValidationError("--size must be a positive number of pixels, not \(side)") }
        guard batch > 0 else { throw ValidationError("--batch must be positive, not \(batch)") }
        if model == .lenet && side != 32 {
            throw ValidationError("lenet takes 32×32 inputs (its fc1 expects 16×5×5 = 400 features), not --size \(side)")
        }
        if model == .airbench94 && side != 32 {
            throw ValidationError("airbench94 takes 32×32 inputs (its last pooling expects 3×3 maps), not --size \(side)")
        }
        if (model == .resnet20 || model == .vggish) && side < 8 {
            throw ValidationError("\(model.rawValue) halves the image \(model == .resnet20 ? "twice" : "three times"); --size must be at least 8")
        }
        if (model == .resnet18 || model == .resnet50) && side < 32 {
            throw ValidationError("\(model.rawValue) shrinks the image 32-fold; --size must be at least 32")
        }
    }

    func run() {
        var rng = SplitMix64(seed: 0)
        let network: any Module = switch model {
        case .lenet: LeNet5(using: &rng)
        case .resnet20: ResNetCIFAR.resnet20(using: &rng)
        case .vggish: VGGStyle.make(using: &rng)
        case .airbench94: Airbench94(using: &rng)
        case .resnet18: ResNetImageNet.resnet18(using: &rng)
        case .resnet50: ResNetImageNet.resnet50(using: &rng)
        }
        print(network.summary(inputShape: [batch, 3, side, side], profile: profile ? 10 : 0))
    }
}
