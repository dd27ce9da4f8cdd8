import Fovea
import FoveaModels
import Testing

@Suite("modules")
struct ModuleTests {
    @Test("names follow PyTorch's state_dict keys")
    func names() {
        var rng = SplitMix64(seed: 0)
        let resnet = ResNetCIFAR.resnet20(using: &rng)
        let names = resnet.stateDict().map(\.name)
        for expected in ["conv1.weight", "bn1.weight", "bn1.running_mean", "bn1.num_batches_tracked",
                         "layers.0.conv1.weight", "layers.8.bn2.running_var", "fc.weight", "fc.bias"] {
            #expect(names.contains(expected), "missing \(expected)")
        }
        #expect(resnet.stateDict().first { $0.name == "bn1.num_batches_tracked" }?.tensor.dtype == .int64)
        let block = BasicBlock(16, 32, stride: 2, shortcut: .projection, using: &rng)
        #expect(block.namedParameters().map(\.name).contains("downsample.0.weight"))
        #expect(block.namedBuffers().map(\.name).contains("downsample.1.running_mean"))
        let bottleneck = Bottleneck(64, width: 64, using: &rng)
        #expect(bottleneck.namedParameters().map(\.name).contains("conv3.weight"))
        #expect(bottleneck(Tensor.normal([1, 64, 8, 8], using: &rng)).shape == [1, 256, 8, 8])
    }

    @Test("parameter counts: LeNet-5 has 62,006; buffers are not parameters")
    func counts() {
        var rng = SplitMix64(seed: 0)
        #expect(LeNet5(using: &rng).parameterCount == 62_006)
        let bn = BatchNorm2d(8)
        #expect(bn.parameterCount == 16)
        #expect(bn.namedBuffers().count == 3)
    }

    @Test("train() and eval() reach every child; batch norm updates its buffers only in training")
    func modes() {
        var rng = SplitMix64(seed: 0)
        let model = Sequential(Conv2d(3, 4, kernelSize: 3, using: &rng), BatchNorm2d(4), ReLU())
        let bn = model.layers[1] as! BatchNorm2d
        let x = Tensor.normal([2, 3, 6, 6], mean: 2, using: &rng)
        model.eval()
        #expect(!bn.isTraining)
        _ = model(x)
        #expect(bn.runningMean.scalars == [0, 0, 0, 0])
        #expect(bn.numBatchesTracked.int64s == [0])
        model.train()
        _ = model(x)
        #expect(bn.runningMean.scalars != [0, 0, 0, 0])
        #expect(bn.numBatchesTracked.int64s == [1])
    }

    @Test("PyTorch default initialisation stays within ±1/√fan_in")
    func initialisation() {
        var rng = SplitMix64(seed: 3)
        let conv = Conv2d(16, 8, kernelSize: 3, using: &rng)
        let bound = 1 / (16.0 * 9).squareRoot()
        #expect(conv.weight.doubles.allSatisfy { abs($0) <= bound })
        #expect(conv.weight.doubles.map(abs).max()! > 0.9 * bound)  // the whole range is used
        let w = Initializer.kaimingNormal([256, 128, 3, 3], using: &rng).doubles
        let std = (w.map { $0 * $0 }.reduce(0, +) / Double(w.count)).squareRoot()
        #expect(abs(std - (2.0 / (128 * 9)).squareRoot()) < 0.01 * std * 10)
        let x = Initializer.xavierUniform([50, 30], using: &rng).doubles
        #expect(x.allSatisfy { abs($0) <= (6.0 / 80).squareRoot() })
    }

    @Test("models produce logits of the right shape and are deterministic when seeded")
    func forwardShapes() {
        var a = SplitMix64(seed: 5), b = SplitMix64(seed: 5)
        let x = Tensor.normal([2, 3, 32, 32], using: &a)
        _ = Tensor.normal([2, 3, 32, 32], using: &b)
        let m1 = VGGStyle.make(using: &a), m2 = VGGStyle.make(using: &b)
        let y1 = m1(x), y2 = m2(x)
        #expect(y1.shape == [2, 10])
        #expect(y1.scalars == y2.scalars)
        var c = SplitMix64(seed: 1)
        #expect(LeNet5(using: &c)(x).shape == [2, 10])
        #expect(ResNetCIFAR.resnet20(using: &c)(x).shape == [2, 10])
    }

    @Test("dropout: identity in eval mode, seeded mask in training")
    func dropoutModule() {
        let x = Tensor(repeating: 1, shape: [1000])
        let d1 = Dropout(probability: 0.5, seed: 9), d2 = Dropout(probability: 0.5, seed: 9)
        let y1 = d1(x), y2 = d2(x)
        #expect(y1.scalars == y2.scalars)
        let kept = y1.scalars.filter { $0 != 0 }
        #expect(kept.allSatisfy { $0 == 2 })
        #expect(kept.count > 400 && kept.count < 600)
        d1.eval()
        #expect(d1(x).scalars == x.scalars)
    }
}

@Suite("model summary")
struct SummaryTests {
    @Test("lists layers in order with output shapes and parameter counts")
    func lenetSummary() {
        var rng = SplitMix64(seed: 0)
        let model = LeNet5(using: &rng)
        let text = model.summary(inputShape: [1, 3, 32, 32])
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("layer"))
        #expect(lines[1].hasPrefix("conv1") && lines[1].contains("[1, 6, 28, 28]") && lines[1].contains("456"))
        #expect(lines.contains { $0.hasPrefix("fc3") && $0.contains("[1, 10]") && $0.contains("850") })
        #expect(lines.last!.contains("62,006"))
        #expect(model.isTraining)  // the summary restores the mode
    }
}
