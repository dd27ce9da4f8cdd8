import ArgumentParser
import Fovea
import FoveaModels

/// `fovea summary MODEL`: layers, output shapes and parameter counts of a built-in model.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "summary", abstract: "Print a built-in model's layers, output shapes and parameter counts.")

    enum Model: String, ExpressibleByArgument, CaseIterable { case lenet, resnet20, vggish }

    @Argument(help: "The model.") var model: Model
    // `.unconditional` reads `--size -3` as a value (then rejected below), not as an unknown flag.
    @Option(parsing: .unconditional, help: "Input height and width in pixels.") var size = 32
    @Option(help: "Images in the batch (shapes, mult-adds and memory are per batch).") var batch = 1
    @Flag(help: "Measure each layer's forward time (median of 10 runs after a warm-up).") var profile = false

    func validate() throws {
        guard size > 0 else { throw ValidationError("--size must be a positive number of pixels, not \(size)") }
        guard batch > 0 else { throw ValidationError("--batch must be positive, not \(batch)") }
        if model == .lenet && size != 32 {
            throw ValidationError("lenet takes 32×32 inputs (its fc1 expects 16×5×5 = 400 features), not --size \(size)")
        }
        if model != .lenet && size < 8 {
            throw ValidationError("\(model.rawValue) halves the image \(model == .resnet20 ? "twice" : "three times"); --size must be at least 8")
        }
    }

    func run() {
        var rng = SplitMix64(seed: 0)
        let network: any Module = switch model {
        case .lenet: LeNet5(using: &rng)
        case .resnet20: ResNetCIFAR.resnet20(using: &rng)
        case .vggish: VGGStyle.make(using: &rng)
        }
        print(network.summary(inputShape: [batch, 3, size, size], profile: profile ? 10 : 0))
    }
}
