// The CIFAR ResNets of He et al., "Deep Residual Learning for Image Recognition", 2016, §4.2:
// a 3×3 conv with 16 channels, three stages of n BasicBlocks with 16, 32 and 64 channels (the
// second and third start with stride 2), global average pooling and a 10-way linear layer;
// depth 6n + 2 (n = 3: ResNet-20, 0.27 M parameters). Shortcuts use option A (zero padding, no
// parameters), as in the paper. Names follow ../shared/bench/bench_torch_cpu.py:
// conv1, bn1, layers.0 … layers.{3n−1}, fc.
import Fovea

public final class ResNetCIFAR: Module {
    public var isTraining = true
    public let conv1: Conv2d, bn1: BatchNorm2d, layers: Sequential, fc: Linear
    /// Global average pooling before the classifier (no parameters).
    public let avgpool = AdaptiveAvgPool2d()

    /// - Parameter blocksPerStage: n; depth is 6n + 2 (3 → ResNet-20, 5 → 32, 9 → 56).
    public init(blocksPerStage n: Int = 3, classes: Int = 10, using rng: inout some RandomNumberGenerator) {
        conv1 = Conv2d(3, 16, kernelSize: 3, padding: 1, bias: false, using: &rng)
        bn1 = BatchNorm2d(16)
        var blocks: [any Module] = []
        var channels = 16
        for (width, stride) in [(16, 1), (32, 2), (64, 2)] {
            for i in 0..<n {
                blocks.append(BasicBlock(channels, width, stride: i == 0 ? stride : 1, shortcut: .zeroPadding, using: &rng))
                channels = width
            }
        }
        layers = Sequential(blocks)
        fc = Linear(64, classes, using: &rng)
    }

    /// ResNet-20 (n = 3).
    public static func resnet20(classes: Int = 10, using rng: inout some RandomNumberGenerator) -> ResNetCIFAR {
        ResNetCIFAR(blocksPerStage: 3, classes: classes, using: &rng)
    }

    public var children: [(String, any Module)] { [("conv1", conv1), ("bn1", bn1), ("layers", layers), ("avgpool", avgpool), ("fc", fc)] }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let h = layers(convBatchNorm(conv1, bn1, x, relu: true))
        return fc(avgpool(h).flattened())
    }
}
