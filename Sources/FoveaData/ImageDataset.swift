import Fovea

/// Labelled images held in memory: `images` `[N, C, H, W]` (Float32, values in [0, 1]) and one
/// label per image. CIFAR-10's 50,000 training images take 600 MB this way.
public struct ImageDataset: @unchecked Sendable {
    /// `[N, C, H, W]`, values in [0, 1]; read-only once built.
    public let images: Tensor
    /// Class indices, one per image.
    public let labels: [Int]
    /// The class names, indexed by label.
    public let classNames: [String]

    public init(images: Tensor, labels: [Int], classNames: [String]) {
        require(images.rank == 4 && images.shape[0] == labels.count,
                "ImageDataset: \(labels.count) labels for images of shape \(images.shape) (expected [N, C, H, W] with N = \(labels.count))")
        self.images = images
        self.labels = labels
        self.classNames = classNames
    }

    /// The number of images.
    public var count: Int { labels.count }

    /// The images and labels at `indices`, in that order (one `indexSelect`, no per-image copies).
    public func subset(_ indices: [Int]) -> ImageDataset {
        ImageDataset(images: noGrad { images.indexSelect(indices) }, labels: indices.map { labels[$0] }, classNames: classNames)
    }

    /// Splits off `validationCount` images, chosen at random with `seed`, as a validation set;
    /// the rest stay for training. The same seed always picks the same images.
    public func splittingValidation(_ validationCount: Int, seed: UInt64) -> (training: ImageDataset, validation: ImageDataset) {
        require(validationCount >= 0 && validationCount < count,
                "validation split \(validationCount) must be between 0 and \(count - 1) (the dataset has \(count) images)")
        let order = SeededOrder.permutation(count, seed: SeededOrder.derive(seed, 0x7661_6c69_6461_7465))  // "validate"
        let validation = Array(order.prefix(validationCount)).sorted(), training = Array(order.dropFirst(validationCount)).sorted()
        return (subset(training), subset(validation))
    }

    /// How many images of each class.
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classNames.count)
        for label in labels { counts[label] += 1 }
        return counts
    }
}

/// Seeded orders and seeds derived from several numbers, so that every random choice of a run
/// (which images a batch holds, how each is cropped) depends only on (seed, epoch, batch) and can
/// be made again after a resume without replaying the run.
public enum SeededOrder {
    /// A seed mixed from `parts` (SplitMix64's finaliser applied after each part).
    public static func derive(_ parts: UInt64...) -> UInt64 {
        var state: UInt64 = 0x243F_6A88_85A3_08D3
        for part in parts {
            var generator = SplitMix64(seed: state ^ part)
            state = generator.next()
        }
        return state
    }

    /// A uniformly random permutation of `0..<count` (Fisher–Yates with `SplitMix64(seed)`).
    public static func permutation(_ count: Int, seed: UInt64) -> [Int] {
        var order = Array(0..<count)
        var rng = SplitMix64(seed: seed)
        if count > 1 {
            for i in stride(from: count - 1, to: 0, by: -1) {
                let j = Int(rng.next() % UInt64(i + 1))
                order.swapAt(i, j)
            }
        }
        return order
    }
}
