// The ImageNet ResNets exactly as torchvision defines them (He et al., "Deep Residual Learning for
// Image Recognition", 2016; torchvision's ResNet-50 is "v1.5": the stride sits on the bottleneck's
// 3×3 convolution). Input [N, 3, 224, 224]:
//   conv1 7×7/2 (64) · bn1 · ReLU · maxpool 3×3/2 · layer1 … layer4 (64, 128, 256, 512 wide; the
//   first block of layers 2–4 halves the size, with a 1×1 projection `downsample`) · avgpool · fc.
// State-dict names are torchvision's (`layer1.0.conv1.weight`, `layer2.0.downsample.0.weight`,
// `fc.bias`), so a torchvision state dict exported to safetensors loads by name.
// Parameters: ResNet-18 11,689,512; ResNet-50 25,557,032 (1000 classes).
import Fovea

public final class ResNetImageNet: Module {
    public var isTraining = true
    public let conv1: Conv2d, bn1: BatchNorm2d
    public let maxpool = MaxPool2d(kernel: 3, stride: 2, padding: 1)
    public let layer1: Sequential, layer2: Sequential, layer3: Sequential, layer4: Sequential
    public let avgpool = AdaptiveAvgPool2d()
    public let fc: Linear

    /// - Parameters:
    ///   - blocks: blocks per layer: [2, 2, 2, 2] for ResNet-18, [3, 4, 6, 3] for ResNet-50.
    ///   - bottleneck: `Bottleneck` blocks (ResNet-50 and deeper) instead of `BasicBlock`s.
    public init(blocks: [Int], bottleneck: Bool, classes: Int = 1000, using rng: inout some RandomNumberGenerator) {
        require(blocks.count == 4 && blocks.allSatisfy { $0 > 0 }, "ResNetImageNet: blocks must be four positive counts, not \(blocks)")
        conv1 = Conv2d(3, 64, kernelSize: 7, stride: 2, padding: 3, bias: false, using: &rng)
        bn1 = BatchNorm2d(64)
        var channels = 64
        var layers: [Sequential] = []
        for (stage, (width, count)) in zip([64, 128, 256, 512], blocks).enumerated() {
            var stageBlocks: [any Module] = []
            for i in 0..<count {
                let stride = i == 0 && stage > 0 ? 2 : 1
                if bottleneck {
                    stageBlocks.append(Bottleneck(channels, width: width, stride: stride, using: &rng))
                    channels = width * Bottleneck.expansion
                } else {
                    stageBlocks.append(BasicBlock(channels, width, stride: stride, shortcut: .projection, using: &rng))
                    channels = width
                }
            }
            layers.append(Sequential(stageBlocks))
        }
        (layer1, layer2, layer3, layer4) = (layers[0], layers[1], layers[2], layers[3])
        fc = Linear(channels, classes, using: &rng)
    }

    /// ResNet-18.
    public static func resnet18(classes: Int = 1000, using rng: inout some RandomNumberGenerator) -> ResNetImageNet {
        ResNetImageNet(blocks: [2, 2, 2, 2], bottleneck: false, classes: classes, using: &rng)
    }

    /// ResNet-50 (v1.5).
    public static func resnet50(classes: Int = 1000, using rng: inout some RandomNumberGenerator) -> ResNetImageNet {
        ResNetImageNet(blocks: [3, 4, 6, 3], bottleneck: true, classes: classes, using: &rng)
    }

    public var children: [(String, any Module)] {
        [("conv1", conv1), ("bn1", bn1), ("maxpool", maxpool), ("layer1", layer1), ("layer2", layer2), ("layer3", layer3),
         ("layer4", layer4), ("avgpool", avgpool), ("fc", fc)]
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let h = maxpool(convBatchNorm(conv1, bn1, x, relu: true))
        return fc(avgpool(layer4(layer3(layer2(layer1(h))))).flattened())
    }
}
