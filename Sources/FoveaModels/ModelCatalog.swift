import Fovea

/// The built-in models by name, so that a checkpoint can say which model it holds (name and
/// constructor arguments) and `fovea eval`, `predict`, `filters` and `features` can build it again
/// from the checkpoint alone.
///
///     var rng = SplitMix64(seed: 0)
///     let model = try ModelCatalog.make(ModelSpec(name: "resnet56", classes: 10), using: &rng)
public enum ModelCatalog {
    /// Every name ``make(_:using:)`` accepts, with a one-line description.
    public static let models: [(name: String, about: String)] = [
        ("lenet", "LeNet-5 as in PyTorch's CIFAR-10 tutorial (62,006 parameters)"),
        ("resnet20", "ResNet-20 for CIFAR, He et al. 2016, option-A shortcuts (269,722 parameters)"),
        ("resnet32", "ResNet-32 for CIFAR (464,154 parameters)"),
        ("resnet44", "ResNet-44 for CIFAR (658,586 parameters)"),
        ("resnet56", "ResNet-56 for CIFAR (853,018 parameters)"),
        ("vggish", "the VGG-style benchmark net"),
        ("airbench94", "airbench94's fast CIFAR-10 net, Jordan 2024 (1,972,792 parameters; train it with its recipe)"),
        ("resnet18", "ResNet-18 for ImageNet, torchvision's (11,689,512 parameters with 1000 classes)"),
        ("resnet50", "ResNet-50 v1.5 for ImageNet, torchvision's (25,557,032 parameters with 1000 classes)"),
        ("wrn-28-2", "wide ResNet WRN-28-2 for downsampled ImageNet, Zagoruyko & Komodakis 2016 (1,595,320 parameters with 1000 classes; also wrn-D-K: D = 6n + 4, or 8n + 4 for four groups)"),
    ]

    public static var names: [String] { models.map(\.name) }

    /// Whether ``make(_:using:)`` builds `name`, decided without building it: a listed name, a CIFAR
    /// ResNet of depth 6n + 2 (`resnet110`), or a wide ResNet `wrn-D-K`.
    public static func knows(_ name: String) -> Bool {
        names.contains(name) || cifarResNetBlocks(name) != nil || WideResNet.parse(name) != nil
    }

    /// n of a CIFAR ResNet name `resnetD` with D = 6n + 2 ≥ 8.
    static func cifarResNetBlocks(_ name: String) -> Int? {
        guard name.hasPrefix("resnet"), let depth = Int(name.dropFirst("resnet".count)), depth >= 8, (depth - 2) % 6 == 0 else { return nil }
        return (depth - 2) / 6
    }

    /// Builds the model `spec` names, initialised from `rng`.
    ///
    /// - Throws: ``ModelCatalogError`` for a name that is not in ``models``.
    public static func make(_ spec: ModelSpec, using rng: inout some RandomNumberGenerator) throws -> any Module {
        switch spec.name {
        case "lenet": return LeNet5(classes: spec.classes, using: &rng)
        case "vggish": return VGGStyle.make(classes: spec.classes, using: &rng)
        case "airbench94": return Airbench94(classes: spec.classes, using: &rng)
        case "resnet18": return ResNetImageNet.resnet18(classes: spec.classes, using: &rng)
        case "resnet50": return ResNetImageNet.resnet50(classes: spec.classes, using: &rng)
        case let name:
            if let wrn = WideResNet.parse(name) {
                return WideResNet(depth: wrn.depth, widen: wrn.widen, groups: wrn.groups, classes: spec.classes, using: &rng)
            }
            if let n = cifarResNetBlocks(name) { return ResNetCIFAR(blocksPerStage: n, classes: spec.classes, using: &rng) }
        }
        throw ModelCatalogError.unknown(spec.name)
    }
}

/// A model's name and constructor arguments: what a checkpoint records.
public struct ModelSpec: Codable, Equatable, Sendable {
    public var name: String
    public var classes: Int
    public init(name: String, classes: Int = 10) { (self.name, self.classes) = (name, classes) }
}

public enum ModelCatalogError: Error, CustomStringConvertible, Equatable {
    case unknown(String)
    public var description: String {
        switch self {
        case .unknown(let name):
            "unknown model '\(name)'; the models are \(ModelCatalog.names.joined(separator: ", ")) (and resnet8, resnet14, … resnet110: depth 6n + 2; wrn-D-K: D = 6n + 4 or 8n + 4)"
        }
    }
}
