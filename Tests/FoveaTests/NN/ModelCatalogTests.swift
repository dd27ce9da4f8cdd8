import Fovea
import FoveaModels
import Testing

@Suite("model catalog")
struct ModelCatalogTests {
    @Test("parameter counts of the catalog's CIFAR models (He et al. 2016, Table 6: 0.27 M, 0.46 M, 0.66 M, 0.85 M)",
          arguments: [("lenet", 62_006), ("resnet20", 269_722), ("resnet32", 464_154), ("resnet44", 658_586), ("resnet56", 853_018)])
    func counts(_ name: String, _ expected: Int) throws {
        var rng = SplitMix64(seed: 0)
        let model = try ModelCatalog.make(ModelSpec(name: name), using: &rng)
        #expect(model.parameterCount == expected)
        let grouped = String(expected / 1000) + "," + String(expected % 1000).leftPadded(to: 3)
        let about = try #require(ModelCatalog.models.first { $0.name == name }?.about)
        #expect(about.contains(grouped), "the catalog says '\(about)'")
    }

    @Test("an unknown name is an error that lists the models")
    func unknown() {
        var rng = SplitMix64(seed: 0)
        #expect(throws: ModelCatalogError.unknown("resnet21")) { try ModelCatalog.make(ModelSpec(name: "resnet21"), using: &rng) }
        #expect(ModelCatalogError.unknown("x").description.contains("resnet56"))
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

@Suite("model summary columns")
struct SummaryColumnsTests {
    @Test("multiply-adds per layer and in total: LeNet-5 by hand, ResNet-20 as ../shared/bench states (81 MFLOP = 2 × 40.55 M)")
    func multiplyAdds() throws {
        var rng = SplitMix64(seed: 0)
        let lenet = try ModelCatalog.make(ModelSpec(name: "lenet"), using: &rng).summary(inputShape: [1, 3, 32, 32])
        let conv1 = 6 * 28 * 28 * (3 * 5 * 5), conv2 = 16 * 10 * 10 * (6 * 5 * 5), fcs = 400 * 120 + 120 * 84 + 84 * 10
        #expect(lenet.contains("352,800") && lenet.contains("240,000"))
        let total = String(conv1 + conv2 + fcs)   // 651720
        let withCommas = String(total.prefix(total.count - 3)) + "," + String(total.suffix(3))
        #expect(lenet.split(separator: "\n").last!.contains(withCommas))
        let resnet = try ModelCatalog.make(ModelSpec(name: "resnet20"), using: &rng).summary(inputShape: [1, 3, 32, 32])
        #expect(resnet.split(separator: "\n").last!.contains("40,551,040"))
        #expect(lenet.split(separator: "\n").first!.contains("mult-adds") && lenet.contains("output memory"))
    }
}

@Suite("model summary profile")
struct SummaryProfileTests {
    @Test("with profile, every row gets a time column, and the convolutions take longer than the last linear layer")
    func profile() throws {
        var rng = SplitMix64(seed: 0)
        let text = try ModelCatalog.make(ModelSpec(name: "lenet"), using: &rng).summary(inputShape: [8, 3, 32, 32], profile: 3)
        let lines = text.split(separator: "\n")
        #expect(lines[0].hasSuffix("time (ms)"))
        let times = lines.dropFirst().map { Double($0.split(separator: " ").last!)! }
        #expect(times.allSatisfy { $0 >= 0 } && times.last! > 0)
        #expect(times[0] > times[times.count - 2], "conv1 (45 M mult-adds at batch 128 / 16) against fc3 (840 × 8)")
    }
}

@Suite("torchvision ResNets")
struct ResNetImageNetTests {
    @Test("ResNet-18 and ResNet-50: torchvision's parameter counts, state-dict names and key counts", arguments: [
        ("resnet18", 11_689_512, 122), ("resnet50", 25_557_032, 320),
    ])
    func shapes(_ name: String, _ parameters: Int, _ keys: Int) throws {
        var rng = SplitMix64(seed: 0)
        let model = try ModelCatalog.make(ModelSpec(name: name, classes: 1000), using: &rng)
        #expect(model.parameterCount == parameters)
        // Keys by hand: conv1 + bn1 (5 with buffers) + fc (2) + per block (convs 1, bns 5 each) + downsamples (6).
        #expect(model.stateDict().count == keys)
        let names = Set(model.stateDict().map(\.name))
        for key in ["conv1.weight", "bn1.num_batches_tracked", "layer1.0.conv1.weight", "layer2.0.downsample.0.weight",
                    "layer2.0.downsample.1.running_var", "layer4.1.bn2.bias", "fc.weight", "fc.bias"] {
            #expect(names.contains(key), "\(name) lacks \(key)")
        }
        if name == "resnet50" { #expect(names.contains("layer3.5.conv3.weight") && names.contains("layer1.0.downsample.0.weight")) }
    }

    @Test("a 224×224 image ends as 1000 logits; the summary walks 7×7/2, max-pool, four layers, average pool")
    func forward() throws {
        var rng = SplitMix64(seed: 0)
        let model = ResNetImageNet.resnet18(using: &rng)
        let summary = model.summary(inputShape: [1, 3, 224, 224])
        #expect(summary.contains("[1, 64, 112, 112]") && summary.contains("[1, 64, 56, 56]") && summary.contains("[1, 512, 7, 7]"))
        #expect(summary.split(separator: "\n").last!.contains("[1, 1000]"))
    }
}
