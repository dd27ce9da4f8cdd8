// airbench94 (Keller Jordan, "94% on CIFAR-10 in 3.29 seconds on a single GPU", 2024): a small
// fast net whose first layer is not learned but computed from the data.
//
//   whiten   2×2 conv, 3 → 24 channels, no padding (32² → 31²), then GELU. Its 24 filters are the
//            12 eigenvectors of the covariance of 2×2 training patches, each scaled by 1/√(λ + ε),
//            and their negatives: the layer whitens the patches. The weight never trains; the
//            bias trains for the first epochs only.
//   block1   conv 3×3 24 → 64, max-pool 2, BN, GELU, conv 3×3 64 → 64, BN, GELU      (31² → 15²)
//   block2   the same, 64 → 256                                                        (15² → 7²)
//   block3   the same, 256 → 256                                                       (7² → 3²)
//   pool     max-pool 3 (3² → 1²), then a linear layer 256 → 10 without bias, × 1/9.
//
// Batch norms keep γ = 1 (not trained), learn β, and use momentum 0.4 (airbench's "0.6" is
// PyTorch's 1 − momentum) and ε = 1e-12. Every 3×3 conv starts with its first `in` filters as
// identity (Dirac) filters. 1,972,792 numbers, as `sum(p.numel() for p in net.parameters())`
// counts them in airbench (frozen ones included).
import Fovea

/// airbench94's network for 32×32 RGB images.
public final class Airbench94: Module {
    public var isTraining = true
    /// The whitening layer: set by ``initializeWhitening(from:epsilon:)``, its weight never trains.
    public let whiten: Conv2d
    public let block1: ConvGroup, block2: ConvGroup, block3: ConvGroup
    public let pool = MaxPool2d(kernel: 3)
    /// The classifier, 256 → classes, without bias.
    public let head: Linear
    /// The logits are scaled by this (airbench: 1/9).
    public let outputScale: Double

    public init(classes: Int = 10, widths: (Int, Int, Int) = (64, 256, 256), outputScale: Double = 1.0 / 9,
                using rng: inout some RandomNumberGenerator) {
        whiten = Conv2d(3, 24, kernelSize: 2, bias: true, using: &rng)
        whiten.weight.requiresGrad = false
        whiten.bias!.assign(Tensor(zeros: [24]))
        block1 = ConvGroup(24, widths.0, using: &rng)
        block2 = ConvGroup(widths.0, widths.1, using: &rng)
        block3 = ConvGroup(widths.1, widths.2, using: &rng)
        head = Linear(widths.2, classes, bias: false, using: &rng)
        self.outputScale = outputScale
    }

    public var children: [(String, any Module)] {
        [("whiten", whiten), ("block1", block1), ("block2", block2), ("block3", block3), ("pool", pool), ("head", head)]
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let h = block3(block2(block1(gelu(whiten(x)))))
        return head(pool(h).flattened()) * outputScale
    }

    /// Sets the whitening filters from normalised training images `[N, 3, H, W]`: the covariance
    /// `Σ = (1/n) Σ p·pᵀ` of all n 2×2 patches (12 numbers each, uncentred, in Float64), its
    /// eigenvectors vₖ (largest eigenvalue first), and the filters `vₖ/√(λₖ + ε)` followed by their
    /// negatives. The covariance of the first 12 outputs over the same patches is then about I.
    public func initializeWhitening(from images: Tensor, epsilon: Double = 5e-4) {
        require(images.rank == 4 && images.shape[1] == 3, "initializeWhitening expects images [N, 3, H, W], got \(images.shape)")
        let eigen = SymmetricEigen(Airbench94.patchCovariance(images), n: 12)
        var filters: [Float] = []
        for k in (0..<12).reversed() {   // largest eigenvalue first
            filters += eigen.vectors[k].map { Float($0 / (eigen.values[k] + epsilon).squareRoot()) }
        }
        filters += filters.map { -$0 }
        whiten.weight.assign(Tensor(shape: [24, 3, 2, 2], filters))
    }

    /// `(1/n) Σ p·pᵀ` over every 2×2 patch p (stride 1), flattened as (channel, row, column), row by row.
    static func patchCovariance(_ images: Tensor) -> [Double] {
        let (n, c, h, w) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
        let x = images.doubles
        var sums = [Double](repeating: 0, count: 144)
        var patch = [Double](repeating: 0, count: 12)
        for image in 0..<n {
            for y in 0..<(h - 1) {
                for x0 in 0..<(w - 1) {
                    for ch in 0..<c { for dy in 0..<2 { for dx in 0..<2 {
                        patch[ch * 4 + dy * 2 + dx] = x[((image * c + ch) * h + y + dy) * w + x0 + dx]
                    } } }
                    for i in 0..<12 { for j in i..<12 { sums[i * 12 + j] += patch[i] * patch[j] } }
                }
            }
        }
        let count = Double(n * (h - 1) * (w - 1))
        for i in 0..<12 { for j in i..<12 { sums[i * 12 + j] /= count; sums[j * 12 + i] = sums[i * 12 + j] } }
        return sums
    }
}

/// airbench's block: conv 3×3 → max-pool 2 → BN → GELU → conv 3×3 → BN → GELU.
public final class ConvGroup: Module {
    public var isTraining = true
    public let conv1: Conv2d, pool = MaxPool2d(kernel: 2), norm1: BatchNorm2d, conv2: Conv2d, norm2: BatchNorm2d

    public init(_ inputChannels: Int, _ outputChannels: Int, using rng: inout some RandomNumberGenerator) {
        conv1 = Conv2d(inputChannels, outputChannels, kernelSize: 3, padding: 1, bias: false, using: &rng)
        conv2 = Conv2d(outputChannels, outputChannels, kernelSize: 3, padding: 1, bias: false, using: &rng)
        for conv in [conv1, conv2] { conv.weight.assign(Initializer.diracFirstFilters(conv.weight)) }
        norm1 = BatchNorm2d(outputChannels, momentum: 0.4, epsilon: 1e-12, learnsScale: false)
        norm2 = BatchNorm2d(outputChannels, momentum: 0.4, epsilon: 1e-12, learnsScale: false)
    }

    public var children: [(String, any Module)] {
        [("conv1", conv1), ("pool", pool), ("norm1", norm1), ("conv2", conv2), ("norm2", norm2)]
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        gelu(norm2(conv2(gelu(norm1(pool(conv1(x)))))))
    }
}
