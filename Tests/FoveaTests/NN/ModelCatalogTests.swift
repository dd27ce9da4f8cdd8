import Foundation
import Fovea
import FoveaModels
import FoveaTestSupport
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

/// torchvision's own ResNets, exported by Tests/Fixtures/make_torchvision_fixtures.py (weights too
/// big for git: generated where PyTorch and torchvision are installed).
@Suite("torchvision state dicts load by name and give torchvision's logits")
struct TorchvisionLogitsTests {
    static let folder = Fixtures.directory + "/torchvision"
    static let present = ["resnet18", "resnet50"].allSatisfy { FileManager.default.fileExists(atPath: folder + "/\($0)-io.safetensors") }

    @Test("eval-mode logits of torchvision's ResNet-18 and ResNet-50 (random weights and batch-norm statistics), to 1e-4 of the largest",
          .enabled(if: present, "Tests/Fixtures/torchvision/ is absent: run ~/torch-ref/bin/python Tests/Fixtures/make_torchvision_fixtures.py (needs torch and torchvision)"),
          arguments: ["resnet18", "resnet50"])
    func logits(_ name: String) throws {
        var rng = SplitMix64(seed: 1)
        let model = try ModelCatalog.make(ModelSpec(name: name, classes: 1000), using: &rng)
        _ = try model.load(from: Self.folder + "/\(name).safetensors")   // strict: every key used, none missing
        model.eval()
        let io = try Safetensors.read(Self.folder + "/\(name)-io.safetensors").tensors
        let input = try #require(io["input"]), expected = try #require(io["logits"])
        let logits = noGrad { model(input) }
        #expect(logits.shape == [2, 1000])
        let got = logits.scalars, want = expected.scalars
        let scale = want.map(abs).max()!
        let worst = zip(got, want).map { abs($0 - $1) }.max()!
        #expect(worst <= 1e-4 * scale, "largest difference \(worst), largest logit \(scale)")
        #expect(zip(got, want).filter { abs($0 - $1) > 1e-5 * scale }.count < 20)
        // The same top-5 classes for both images.
        for row in 0..<2 {
            func top5(_ values: [Float]) -> [Int] { Array(values[row * 1000..<(row + 1) * 1000].enumerated().sorted { $0.element > $1.element }.prefix(5).map(\.offset)) }
            #expect(top5(got) == top5(want))
        }
    }
}

@Suite("wide ResNets")
struct WideResNetTests {
    @Test("parameter counts: WRN-28-10 on CIFAR-10 is Zagoruyko & Komodakis's 36.5 M; WRN-28-2 and WRN-36-2 on ImageNet's 1000 classes",
          arguments: [("wrn-28-10", 10, 36_479_194), ("wrn-28-2", 1000, 1_595_320), ("wrn-36-2", 1000, 6_183_864), ("wrn-16-4", 10, 2_748_890)])
    func counts(_ name: String, _ classes: Int, _ expected: Int) throws {
        var rng = SplitMix64(seed: 0)
        let model = try ModelCatalog.make(ModelSpec(name: name, classes: classes), using: &rng)
        #expect(model.parameterCount == expected)
    }

    @Test("names and shapes: three groups at 32×32 end in 8×8 maps, WRN-36-k has a fourth group for 64×64")
    func layout() throws {
        var rng = SplitMix64(seed: 0)
        let wrn28 = try #require(try ModelCatalog.make(ModelSpec(name: "wrn-28-2", classes: 1000), using: &rng) as? WideResNet)
        #expect(wrn28.groups.count == 3 && wrn28.groups.allSatisfy { $0.layers.count == 4 })
        let names = Set(wrn28.stateDict().map(\.name))
        for key in ["conv1.weight", "block1.0.bn1.running_mean", "block1.0.conv1.weight", "block1.0.shortcut.weight", "block2.0.shortcut.weight",
                    "block3.3.conv2.weight", "bn.weight", "fc.bias"] {
            #expect(names.contains(key), "wrn-28-2 lacks \(key)")
        }
        #expect(!names.contains("block1.1.shortcut.weight"), "a block that keeps width and size adds its input unchanged")
        let summary = wrn28.summary(inputShape: [1, 3, 32, 32])
        #expect(summary.contains("[1, 128, 8, 8]") && summary.split(separator: "\n").last!.contains("[1, 1000]"))
        let wrn36 = try #require(try ModelCatalog.make(ModelSpec(name: "wrn-36-2", classes: 1000), using: &rng) as? WideResNet)
        #expect(wrn36.groups.count == 4 && wrn36.summary(inputShape: [1, 3, 64, 64]).contains("[1, 256, 8, 8]"))
        #expect(WideResNet.parse("wrn-27-2") == nil && WideResNet.parse("wrn-28") == nil)
        #expect(throws: ModelCatalogError.self) { try ModelCatalog.make(ModelSpec(name: "wrn-30-2"), using: &rng) }
    }
}

