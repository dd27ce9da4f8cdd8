import Fovea

/// Labelled images held in memory, `[N, C, H, W]` with values in [0, 1], and one label per image.
///
/// The pixels are held either as Float32 (CIFAR-10's 50,000 training images take 600 MB this way)
/// or as the 8-bit values of the files (``init(bytes:imageShape:labels:classNames:)``: ImageNet32's
/// 1.28 million images take 3.9 GB instead of 15.7 GB) and turned into floats batch by batch.
/// ``images(at:)`` serves both; ``subset(_:)`` of a byte dataset keeps the bytes and a list of rows.
public struct ImageDataset: @unchecked Sendable {
    private enum Pixels {
        case floats(Tensor)
        /// All the images' bytes, and the rows of this dataset (nil: all, in order).
        case bytes(ByteStore, rows: [Int]?)
    }

    /// The bytes of `[N, C, H, W]` images; a class, so that subsets share one copy.
    private final class ByteStore: @unchecked Sendable {
        let bytes: [UInt8]
        init(_ bytes: [UInt8]) { self.bytes = bytes }
    }

    private let pixels: Pixels
    /// `[C, H, W]` of each image.
    public let imageShape: [Int]
    /// Class indices, one per image.
    public let labels: [Int]
    /// The class names, indexed by label.
    public let classNames: [String]

    public init(images: Tensor, labels: [Int], classNames: [String]) {
        require(images.rank == 4 && images.shape[0] == labels.count,
                "ImageDataset: \(labels.count) labels for images of shape \(images.shape) (expected [N, C, H, W] with N = \(labels.count))")
        (pixels, imageShape, self.labels, self.classNames) = (.floats(images), Array(images.shape.dropFirst()), labels, classNames)
    }

    /// Images kept as bytes (0…255 for 0…1): `bytes` holds `labels.count` images of `imageShape`
    /// (`[C, H, W]`), one after another, each channel a row-major plane.
    public init(bytes: [UInt8], imageShape: [Int], labels: [Int], classNames: [String]) {
        require(imageShape.count == 3 && bytes.count == labels.count * imageShape.reduce(1, *),
                "ImageDataset: \(bytes.count) bytes for \(labels.count) images of shape \(imageShape)")
        (pixels, self.imageShape, self.labels, self.classNames) = (.bytes(ByteStore(bytes), rows: nil), imageShape, labels, classNames)
    }

    private init(pixels: Pixels, imageShape: [Int], labels: [Int], classNames: [String]) {
        (self.pixels, self.imageShape, self.labels, self.classNames) = (pixels, imageShape, labels, classNames)
    }

    /// The number of images.
    public var count: Int { labels.count }

    /// Every image, `[N, C, H, W]`. For a dataset kept as bytes this builds all N images as floats
    /// (4 bytes a value): take batches with ``images(at:)`` instead.
    public var images: Tensor { images(at: Array(0..<count)) }

    /// The images at `indices`, in that order, as `[indices.count, C, H, W]` floats in [0, 1].
    public func images(at indices: [Int]) -> Tensor {
        switch pixels {
        case let .floats(all):
            return indices.count == count && indices.elementsEqual(0..<count) ? all : noGrad { all.indexSelect(indices) }
        case let .bytes(store, rows):
            let size = imageShape.reduce(1, *)
            let out = Tensor(zeros: [indices.count] + imageShape)
            let destination = out.pointer(Float.self)
            store.bytes.withUnsafeBufferPointer { source in
                for (i, index) in indices.enumerated() {
                    let from = (rows?[index] ?? index) * size, to = destination + i * size
                    for j in 0..<size { to[j] = Float(source[from + j]) / 255 }
                }
            }
            return out
        }
    }

    /// The images and labels at `indices`, in that order (floats: one `indexSelect`; bytes: no copy).
    public func subset(_ indices: [Int]) -> ImageDataset {
        let labels = indices.map { self.labels[$0] }
        switch pixels {
        case .floats: return ImageDataset(images: images(at: indices), labels: labels, classNames: classNames)
        case let .bytes(store, rows):
            return ImageDataset(pixels: .bytes(store, rows: indices.map { rows?[$0] ?? $0 }), imageShape: imageShape, labels: labels,
                                classNames: classNames)
        }
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
