import Foundation
import Fovea

/// One batch: images after the transform, labels as an Int64 tensor, and where it sits in its epoch.
public struct Batch: @unchecked Sendable {
    /// `[B, C, H, W]`, transformed (augmented and normalised).
    public let images: Tensor
    /// `[B]`, Int64 class indices.
    public let labels: Tensor
    /// The epoch (0-based) and the batch's index within it.
    public let epoch: Int, index: Int
    public var count: Int { labels.count }
}

/// Batches of a dataset, epoch by epoch: shuffled with a seed, gathered with one `indexSelect`
/// per batch, transformed, and prepared on a background thread while the engine computes.
///
/// Every random choice depends only on (seed, epoch, batch index): epoch e's order comes from
/// `derive(seed, e)` and batch b's augmentation from `derive(seed, e, b)`. So a run resumed at
/// batch b of epoch e sees exactly the batches an uninterrupted run would have seen, and the
/// batches do not depend on the thread count or on how far ahead the loader works.
///
///     let loader = DataLoader(training, batchSize: 128, shuffle: true, transform: .cifar10Training(), seed: 0)
///     for batch in loader.batches(epoch: 0) { … batch.images, batch.labels … }
public final class DataLoader: Sendable {
    public let dataset: ImageDataset
    public let batchSize: Int
    public let shuffle: Bool
    public let transform: ImageTransform
    public let seed: UInt64
    /// Drop a last batch smaller than `batchSize` (training usually does; evaluation never).
    public let dropLast: Bool
    /// Batches prepared ahead of the one being used.
    public let prefetch: Int

    public init(_ dataset: ImageDataset, batchSize: Int, shuffle: Bool, transform: ImageTransform, seed: UInt64 = 0,
                dropLast: Bool = false, prefetch: Int = 2) {
        require(batchSize > 0, "DataLoader: batchSize must be positive, not \(batchSize)")
        require(prefetch >= 0, "DataLoader: prefetch must not be negative")
        (self.dataset, self.batchSize, self.shuffle, self.transform, self.seed, self.dropLast, self.prefetch) =
            (dataset, batchSize, shuffle, transform, seed, dropLast, prefetch)
    }

    /// Batches in one epoch.
    public var batchesPerEpoch: Int {
        dropLast ? dataset.count / batchSize : (dataset.count + batchSize - 1) / batchSize
    }

    /// The image indices of epoch `epoch`, in the order the batches take them.
    public func order(epoch: Int) -> [Int] {
        shuffle ? SeededOrder.permutation(dataset.count, seed: SeededOrder.derive(seed, UInt64(epoch))) : Array(0..<dataset.count)
    }

    /// Builds batch `index` of `epoch` (on the calling thread).
    public func batch(_ index: Int, epoch: Int, order: [Int]) -> Batch {
        let start = index * batchSize, end = min(start + batchSize, dataset.count)
        let indices = Array(order[start..<end])
        var rng = SplitMix64(seed: SeededOrder.derive(seed, UInt64(epoch), UInt64(index)))
        let flips = transform.alternatingFlip ? indices.map { alternatingFlip(image: $0, epoch: epoch) } : nil
        let images = noGrad { transform.apply(to: dataset.images(at: indices), flips: flips, using: &rng) }
        let labels = Tensor(shape: [indices.count], int64: indices.map { Int64(dataset.labels[$0]) })
        return Batch(images: images, labels: labels, epoch: epoch, index: index)
    }

    /// airbench's alternating flip of image `image` in `epoch`: a coin per image, fixed by the seed,
    /// inverted in every odd epoch.
    public func alternatingFlip(image: Int, epoch: Int) -> Bool {
        (SeededOrder.derive(seed, 0x666c_6970, UInt64(image)) & 1 == 1) != (epoch % 2 == 1)   // "flip"
    }

    /// The batches of `epoch` from batch `start` on, prepared `prefetch` ahead on a background thread.
    public func batches(epoch: Int, from start: Int = 0) -> BatchSequence {
        BatchSequence(loader: self, epoch: epoch, start: start)
    }
}

/// The batches of one epoch, in order; iterate it once. ``waitSeconds`` is the time the consumer
/// spent waiting for a batch that was not ready yet.
public final class BatchSequence: Sequence, IteratorProtocol {
    private let loader: DataLoader
    private let epoch: Int
    private let end: Int
    private var nextIndex: Int
    private let prefetcher: BatchHandover<Batch>?
    private lazy var order: [Int] = loader.order(epoch: epoch)
    /// Seconds the caller of `next()` spent waiting for the background thread.
    public private(set) var waitSeconds = 0.0

    init(loader: DataLoader, epoch: Int, start: Int) {
        self.loader = loader
        self.epoch = epoch
        self.end = loader.batchesPerEpoch
        self.nextIndex = start
        if loader.prefetch > 0 && start < end {
            let prefetcher = BatchHandover<Batch>(first: start, capacity: loader.prefetch)
            self.prefetcher = prefetcher
            let end = end
            let thread = Thread {
                let order = loader.order(epoch: epoch)
                var index = start
                while index < end, prefetcher.waitForRoom(index) {
                    prefetcher.deliver(index, loader.batch(index, epoch: epoch, order: order))
                    index += 1
                }
            }
            thread.name = "fovea-data"
            thread.start()
        } else {
            prefetcher = nil
        }
    }

    deinit { prefetcher?.cancel() }

    public func next() -> Batch? {
        guard nextIndex < end else { return nil }
        defer { nextIndex += 1 }
        guard let prefetcher else { return loader.batch(nextIndex, epoch: epoch, order: order) }
        let started = DispatchTime.now().uptimeNanoseconds
        let batch = prefetcher.take(nextIndex)
        waitSeconds += Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return batch
    }
}

