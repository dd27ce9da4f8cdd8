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
