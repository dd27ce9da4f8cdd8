import ArgumentParser
import Fovea
import FoveaModels

/// `fovea summary MODEL`: layers, output shapes and parameter counts of a built-in model.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "summary", abstract: "Print a built-in model's layers, output shapes and parameter counts.")

    enum Model: String, ExpressibleByArgument, CaseIterable { case lenet, resnet20, vggish }

    @Argument(help: "One of: \(Model.allCases.map(\.rawValue).joined(separator: ", ")).") var model: Model
    @Option(help: "Input height and width.") var size = 32

    func run() {
        var rng = SplitMix64(seed: 0)
        let network: any Module = switch model {
        case .lenet: LeNet5(using: &rng)
        case .resnet20: ResNetCIFAR.resnet20(using: &rng)
        case .vggish: VGGStyle.make(using: &rng)
        }
        print(network.summary(inputShape: [1, 3, size, size]))
    }
}
