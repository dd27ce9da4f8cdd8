// Wide residual networks, WRN-d-k (Zagoruyko & Komodakis, "Wide Residual Networks", 2016):
//   conv1 3×3 (16) · block1 · block2 · block3 [· block4] · bn · ReLU · global average pool · fc
// Each group holds n pre-activation blocks (BN · ReLU · 3×3 conv · BN · ReLU · 3×3 conv, plus the
// input), 16k, 32k, 64k [and 128k] channels wide; the first block of every group after the first
// halves the size, and a block that changes the width takes a 1×1 convolution of its activated
// input as the shortcut. No dropout.
// Depth d counts the convolutions on the main path plus conv1, the shortcut and fc's: d = 6n + 4
// with three groups (WRN-28-k, n = 4: what Chrabaszcz et al. 2017 train on ImageNet32, 8×8 maps
// before pooling), d = 8n + 4 with four (WRN-36-k, n = 4: their net for ImageNet64).
// Names follow the common PyTorch implementation's layout: `conv1`, `block1.0.bn1`, `block1.0.conv1`,
// `block1.0.bn2`, `block1.0.conv2`, `block1.0.shortcut`, `bn`, `fc`.
// Parameters: WRN-28-10 with 10 classes 36,479,194 (the paper's 36.5 M); WRN-28-2 with 1000
// classes 1,595,320 (tested).
import Fovea

public final class WideResNet: Module {
    public var isTraining = true
    public let depth: Int, widen: Int
    public let conv1: Conv2d
    /// The groups of blocks, `block1` … `block3` (or `block4`).
    public let groups: [Sequential]
    public let bn: BatchNorm2d
    public let avgpool = AdaptiveAvgPool2d()
    public let fc: Linear

    /// - Parameters:
    ///   - depth: d = 2·n·groups + 4 (three groups: 10, 16, 22, 28, …; four: 12, 20, 28, 36, …).
    ///   - widen: k, the width multiplier (1 is a thin ResNet).
    ///   - groups: 3, or 4 for 64×64 inputs.
    public init(depth: Int, widen: Int, groups groupCount: Int = 3, classes: Int = 1000, using rng: inout some RandomNumberGenerator) {
        require((3...4).contains(groupCount) && depth > 4 && (depth - 4) % (2 * groupCount) == 0 && widen >= 1,
                "WideResNet: with \(groupCount) groups depth must be \(2 * groupCount)n + 4 (n ≥ 1), and widen ≥ 1; not WRN-\(depth)-\(widen)")
        (self.depth, self.widen) = (depth, widen)
        let n = (depth - 4) / (2 * groupCount)
        conv1 = Conv2d(3, 16, kernelSize: 3, padding: 1, bias: false, using: &rng)
        var channels = 16
        var groups: [Sequential] = []
        for (group, width) in [16, 32, 64, 128].prefix(groupCount).map({ $0 * widen }).enumerated() {
            var blocks: [any Module] = []
            for i in 0..<n {
                blocks.append(PreActivationBlock(channels, width, stride: i == 0 && group > 0 ? 2 : 1, using: &rng))
                channels = width
            }
            groups.append(Sequential(blocks))
        }
        self.groups = groups
        bn = BatchNorm2d(channels)
        fc = Linear(channels, classes, using: &rng)
    }

    /// A catalogue name such as `wrn-28-2` → (28, 2, 3 groups): three groups when d − 4 is a
    /// multiple of 6, else four when it is a multiple of 8 (`wrn-36-2`).
    public static func parse(_ name: String) -> (depth: Int, widen: Int, groups: Int)? {
        let parts = name.split(separator: "-")
        guard parts.count == 3, parts[0] == "wrn", let depth = Int(parts[1]), let widen = Int(parts[2]), depth > 4, widen >= 1 else { return nil }
        if (depth - 4) % 6 == 0 { return (depth, widen, 3) }
        if (depth - 4) % 8 == 0 { return (depth, widen, 4) }
        return nil
    }

    public var children: [(String, any Module)] {
        [("conv1", conv1)] + groups.enumerated().map { ("block\($0.offset + 1)", $0.element) } + [("bn", bn), ("avgpool", avgpool), ("fc", fc)]
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let h = relu(bn(groups.reduce(conv1(x)) { $1($0) }))
        return fc(avgpool(h).flattened())
    }
}

/// WRN's block, with batch norm and ReLU before each convolution ("pre-activation", He et al. 2016b):
/// out = conv2(relu(bn2(conv1(a)))) + shortcut, with a = relu(bn1(x)); the shortcut is x when the
/// width and size stay, else a 1×1 convolution of a.
public final class PreActivationBlock: Module {
    public var isTraining = true
    public let bn1: BatchNorm2d, conv1: Conv2d, bn2: BatchNorm2d, conv2: Conv2d
    public let shortcut: Conv2d?

    public init(_ inputChannels: Int, _ outputChannels: Int, stride: Int = 1, using rng: inout some RandomNumberGenerator) {
        bn1 = BatchNorm2d(inputChannels)
        conv1 = Conv2d(inputChannels, outputChannels, kernelSize: 3, stride: IntPair(stride), padding: 1, bias: false, using: &rng)
        bn2 = BatchNorm2d(outputChannels)
        conv2 = Conv2d(outputChannels, outputChannels, kernelSize: 3, padding: 1, bias: false, using: &rng)
        shortcut = stride != 1 || inputChannels != outputChannels
            ? Conv2d(inputChannels, outputChannels, kernelSize: 1, stride: IntPair(stride), bias: false, using: &rng) : nil
    }

    public var children: [(String, any Module)] {
        [("bn1", bn1), ("conv1", conv1), ("bn2", bn2), ("conv2", conv2)] + (shortcut.map { [("shortcut", $0)] } ?? [])
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let activated = relu(bn1(x))
        let out = conv2(relu(bn2(conv1(activated))))
        return traced(out + (shortcut?(activated) ?? x))
    }
}
