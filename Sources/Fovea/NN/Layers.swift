// The standard layers. Each holds its parameters under PyTorch's names and calls the op of the
// same name (Sources/Fovea/Ops), where the math and its backward live.

/// A 2-D convolution layer: `conv2d(x, weight, bias)` with weight `[out, in/groups, k, k]`.
/// Initialised as PyTorch's default (U(±1/√fan_in) for weight and bias).
public final class Conv2d: Module {
    public var isTraining = true
    public let weight: Tensor
    public let bias: Tensor?
    public let stride: IntPair, padding: IntPair, dilation: IntPair, groups: Int

    public init(_ inputChannels: Int, _ outputChannels: Int, kernelSize: IntPair, stride: IntPair = 1, padding: IntPair = 0,
                dilation: IntPair = 1, groups: Int = 1, bias: Bool = true, using rng: inout some RandomNumberGenerator) {
        require(inputChannels % groups == 0 && outputChannels % groups == 0,
                "Conv2d: groups \(groups) must divide \(inputChannels) input and \(outputChannels) output channels")
        let shape = [outputChannels, inputChannels / groups, kernelSize.pair.0, kernelSize.pair.1]
        weight = Initializer.pytorchDefault(shape, using: &rng).asParameter()
        let bound = 1 / Double(Initializer.fans(shape).fanIn).squareRoot()
        self.bias = bias ? Tensor.uniform([outputChannels], low: -bound, high: bound, using: &rng).asParameter() : nil
        (self.stride, self.padding, self.dilation, self.groups) = (stride, padding, dilation, groups)
    }

    public var ownParameters: [(String, Tensor)] { [("weight", weight)] + (bias.map { [("bias", $0)] } ?? []) }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        traced(conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups))
    }
}

/// A fully connected layer `y = x·Wᵀ + b`, weight `[out, in]`. Initialised as PyTorch's default.
public final class Linear: Module {
    public var isTraining = true
    public let weight: Tensor
    public let bias: Tensor?

    public init(_ inputFeatures: Int, _ outputFeatures: Int, bias: Bool = true, using rng: inout some RandomNumberGenerator) {
        weight = Initializer.pytorchDefault([outputFeatures, inputFeatures], using: &rng).asParameter()
        let bound = 1 / Double(inputFeatures).squareRoot()
        self.bias = bias ? Tensor.uniform([outputFeatures], low: -bound, high: bound, using: &rng).asParameter() : nil
    }

    public var ownParameters: [(String, Tensor)] { [("weight", weight)] + (bias.map { [("bias", $0)] } ?? []) }

    public func callAsFunction(_ x: Tensor) -> Tensor { traced(linear(x, weight: weight, bias: bias)) }
}

/// Batch normalisation of `[N, C, H, W]` with learnable γ (`weight`, starts at 1) and β (`bias`,
/// starts at 0), and running statistics kept as buffers (`running_mean`, `running_var`,
/// `num_batches_tracked`) for evaluation mode.
public final class BatchNorm2d: Module {
    public var isTraining = true
    public let weight: Tensor, bias: Tensor
    public let runningMean: Tensor, runningVar: Tensor, numBatchesTracked: Tensor
    public let momentum: Double, epsilon: Double

    /// `learnsScale: false` keeps the weight (γ) at 1 and out of training (it stays in the state
    /// dict, as a PyTorch parameter with `requires_grad = False`): airbench's batch norm.
    public init(_ channels: Int, momentum: Double = 0.1, epsilon: Double = 1e-5, learnsScale: Bool = true) {
        weight = Tensor(repeating: 1, shape: [channels])
        weight.requiresGrad = learnsScale
        bias = Tensor(zeros: [channels]).asParameter()
        runningMean = Tensor(zeros: [channels])
        runningVar = Tensor(repeating: 1, shape: [channels])
        numBatchesTracked = Tensor(zeros: [], dtype: .int64)
        (self.momentum, self.epsilon) = (momentum, epsilon)
    }

    public var ownParameters: [(String, Tensor)] { [("weight", weight), ("bias", bias)] }
    public var ownBuffers: [(String, Tensor)] {
        [("running_mean", runningMean), ("running_var", runningVar), ("num_batches_tracked", numBatchesTracked)]
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        if isTraining { numBatchesTracked.pointer(Int64.self).pointee += 1 }
        return traced(batchNorm2d(x, weight: weight, bias: bias, runningMean: runningMean, runningVar: runningVar,
                                  training: isTraining, momentum: momentum, epsilon: epsilon))
    }
}

/// Dropout with its own seeded generator (so a seeded model drops the same units every run).
public final class Dropout: Module {
    public var isTraining = true
    public let probability: Double
    private var rng: SplitMix64

    public init(probability: Double = 0.5, seed: UInt64 = 0) {
        self.probability = probability
        rng = SplitMix64(seed: seed)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        traced(dropout(x, probability: probability, training: isTraining, using: &rng))
    }
}

/// `relu` as a layer.
public final class ReLU: Module {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ x: Tensor) -> Tensor { traced(relu(x)) }
}

/// `gelu` as a layer.
public final class GELU: Module {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ x: Tensor) -> Tensor { traced(gelu(x)) }
}

/// `maxPool2d` as a layer.
public final class MaxPool2d: Module {
    public var isTraining = true
    public let kernel: IntPair, stride: IntPair?, padding: IntPair
    public init(kernel: IntPair, stride: IntPair? = nil, padding: IntPair = 0) {
        (self.kernel, self.stride, self.padding) = (kernel, stride, padding)
    }
    public func callAsFunction(_ x: Tensor) -> Tensor { traced(maxPool2d(x, kernel: kernel, stride: stride, padding: padding)) }
}

/// `avgPool2d` as a layer.
public final class AvgPool2d: Module {
    public var isTraining = true
    public let kernel: IntPair, stride: IntPair?, padding: IntPair
    public init(kernel: IntPair, stride: IntPair? = nil, padding: IntPair = 0) {
        (self.kernel, self.stride, self.padding) = (kernel, stride, padding)
    }
    public func callAsFunction(_ x: Tensor) -> Tensor { traced(avgPool2d(x, kernel: kernel, stride: stride, padding: padding)) }
}

/// `adaptiveAvgPool2d` as a layer (global average pooling by default).
public final class AdaptiveAvgPool2d: Module {
    public var isTraining = true
    public let outputSize: IntPair
    public init(outputSize: IntPair = 1) { self.outputSize = outputSize }
    public func callAsFunction(_ x: Tensor) -> Tensor { traced(adaptiveAvgPool2d(x, outputSize: outputSize)) }
}

/// Flattens `[N, …]` to `[N, features]`.
public final class Flatten: Module {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ x: Tensor) -> Tensor { traced(x.flattened()) }
}

/// Layers applied in order; children are named "0", "1", … as in PyTorch's nn.Sequential.
public final class Sequential: Module {
    public var isTraining = true
    public let layers: [any Module]

    public init(_ layers: [any Module]) { self.layers = layers }
    public convenience init(_ layers: any Module...) { self.init(layers) }

    public var children: [(String, any Module)] { layers.enumerated().map { (String($0.offset), $0.element) } }

    /// The layers in order; a Conv2d followed by a BatchNorm2d (and a ReLU) runs as one convolution
    /// where ``foldsBatchNorm(_:)`` allows (evaluation mode without gradients; see NN/Fusion.swift).
    public func callAsFunction(_ x: Tensor) -> Tensor {
        var h = x, i = 0
        while i < layers.count {
            if let conv = layers[i] as? Conv2d, i + 1 < layers.count, let bn = layers[i + 1] as? BatchNorm2d, foldsBatchNorm(bn) {
                let withReLU = i + 2 < layers.count && layers[i + 2] is ReLU
                h = convBatchNorm(conv, bn, h, relu: withReLU)
                i += withReLU ? 3 : 2
            } else {
                h = layers[i](h)
                i += 1
            }
        }
        return traced(h)
    }
}
