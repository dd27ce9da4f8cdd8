import Foundation
import Fovea

/// Batches of an image folder, decoded from disk by worker threads: what ImageNet needs, where the
/// images do not fit in memory and decoding one costs about as much as a small network's forward pass.
///
/// Every random choice of a batch (which images, each crop and flip) depends only on (seed, epoch,
/// batch index, position in the batch): the batches are the same for any number of workers, and a
/// resumed run sees exactly the batches an uninterrupted one would have seen. Worker k builds
/// batches k, k + W, k + 2W, … and stays at most `prefetch` batches ahead of the consumer.
///
///     let loader = ImageFolderLoader(try ImageFolder(root: "imagenet/train"), batchSize: 256, training: true)
///     let batches = loader.batches(epoch: 0)
///     while let batch = try batches.next() { … batch.images [256, 3, 224, 224], batch.labels … }
public final class ImageFolderLoader: @unchecked Sendable {
    /// Reads one image file into `[3, H, W]` values in [0, 1]; `shortSide` allows decoding smaller
    /// (a JPEG's DCT scaling) when the image will be resized to that short side anyway.
    public typealias Decoder = @Sendable (_ path: String, _ shortSide: Int?) throws -> Tensor

    public let folder: ImageFolder
    public let batchSize: Int
    /// Training: shuffled, RandomResizedCrop and flip. Evaluation: in order, resize and centre crop.
    public let training: Bool
    public let transform: ImageNetTransform
    public let seed: UInt64
    public let dropLast: Bool
    public let workers: Int
    /// Batches prepared ahead of the one being used (at least `workers`).
    public let prefetch: Int
    /// Leave out images that fail to decode (each is named in ``skippedImages``) instead of stopping.
    public let skipsBadImages: Bool
    private let decode: Decoder
    private let skipped = NSLock()
    nonisolated(unsafe) private var skippedPaths: [String] = []   // guarded by `skipped`

    /// - Parameters:
    ///   - workers: decoding threads (default: the CPU backend's thread count).
    ///   - decoder: how files are read; the default reads JPEG (libjpeg-turbo) and rejects other formats.
    public init(_ folder: ImageFolder, batchSize: Int, training: Bool, transform: ImageNetTransform = ImageNetTransform(),
                seed: UInt64 = 0, dropLast: Bool? = nil, workers: Int? = nil, prefetch: Int? = nil,
                skipsBadImages: Bool = false, decoder: Decoder? = nil) {
        require(batchSize > 0, "ImageFolderLoader: batchSize must be positive, not \(batchSize)")
        (self.folder, self.batchSize, self.training, self.transform, self.seed) = (folder, batchSize, training, transform, seed)
        self.dropLast = dropLast ?? training
        self.workers = max(1, workers ?? CPUBackend.shared.threads)
        self.prefetch = max(self.workers, prefetch ?? 2 * self.workers)
        self.skipsBadImages = skipsBadImages
        self.decode = decoder ?? ImageFolderLoader.jpegOnly
    }

    /// The default decoder: JPEG files by extension; anything else is an error naming the file.
    public static let jpegOnly: Decoder = { path, shortSide in
        let suffix = (path as NSString).pathExtension.lowercased()
        guard suffix == "jpg" || suffix == "jpeg" else {
            throw DataError.corruptImage(file: path, reason: "only JPEG files are decoded here (pass a decoder for .\(suffix))")
        }
        return try JPEG.decode(path, shortSide: shortSide)
    }

    /// Images in the folder.
    public var count: Int { folder.images.count }

    /// Batches in one epoch.
    public var batchesPerEpoch: Int { dropLast ? count / batchSize : (count + batchSize - 1) / batchSize }

    /// Every image left out so far because it failed to decode (with ``skipsBadImages``).
    public var skippedImages: [String] { skipped.withLock { skippedPaths } }

    /// The image indices of `epoch`, in the order the batches take them.
    public func order(epoch: Int) -> [Int] {
        training ? SeededOrder.permutation(count, seed: SeededOrder.derive(seed, UInt64(epoch))) : Array(0..<count)
    }

    /// Builds batch `index` of `epoch` on the calling thread: `[B, 3, S, S]` normalised images.
    ///
    /// - Throws: the first image's ``DataError`` (naming the file), unless ``skipsBadImages``.
    public func batch(_ index: Int, epoch: Int, order: [Int]) throws -> Batch {
        let start = index * batchSize, end = min(start + batchSize, count)
        let size = transform.size, imageCount = 3 * size * size
        var values: [Float] = [], labels: [Int64] = []
        values.reserveCapacity((end - start) * imageCount)
        for position in start..<end {
            let (path, label) = folder.images[order[position]]
            let image: Tensor
            do {
                image = try decode(path, training ? nil : Int((Double(size) * 256 / 224).rounded(.up)))
            } catch {
                guard skipsBadImages else { throw error }
                skipped.withLock { skippedPaths.append(path) }
                continue
            }
            var rng = SplitMix64(seed: SeededOrder.derive(seed, UInt64(epoch), UInt64(index), UInt64(position - start)))
            let prepared = training ? transform.training(image, using: &rng) : transform.evaluation(image)
            values += UnsafeBufferPointer(start: prepared.pointer(Float.self), count: imageCount)
            labels.append(Int64(label))
        }
        guard !labels.isEmpty else {
            throw DataError.corruptImage(file: folder.images[order[start]].path, reason: "every image of batch \(index) failed to decode")
        }
        return Batch(images: Tensor(shape: [labels.count, 3, size, size], values),
                     labels: Tensor(shape: [labels.count], int64: labels), epoch: epoch, index: index)
    }

    /// The batches of `epoch` from batch `start` on, built by the worker threads.
    public func batches(epoch: Int, from start: Int = 0) -> FolderBatches {
        FolderBatches(loader: self, epoch: epoch, start: start)
    }
}

/// The batches of one epoch of an ``ImageFolderLoader``, in order. ``next()`` throws the error of a
/// batch that failed; ``waitSeconds`` is the time the caller spent waiting for the workers.
public final class FolderBatches {
    private let state: BatchHandover<Result<Batch, any Error>>
    private let end: Int
    private var nextIndex: Int
    public private(set) var waitSeconds = 0.0

    init(loader: ImageFolderLoader, epoch: Int, start: Int) {
        end = loader.batchesPerEpoch
        nextIndex = start
        state = BatchHandover(first: start, capacity: loader.prefetch)
        guard start < end else { return }
        let order = loader.order(epoch: epoch)
        for worker in 0..<loader.workers {
            let state = state, end = end, workers = loader.workers
            let thread = Thread {
                var index = start + worker
                while index < end, state.waitForRoom(index) {
                    state.deliver(index, Result { try loader.batch(index, epoch: epoch, order: order) })
                    index += workers
                }
            }
            thread.name = "fovea-decode-\(worker)"
            thread.start()
        }
    }

    deinit { state.cancel() }

    /// The next batch, or `nil` after the last.
    public func next() throws -> Batch? {
        guard nextIndex < end else { return nil }
        let started = DispatchTime.now().uptimeNanoseconds
        let result = state.take(nextIndex)
        waitSeconds += Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        nextIndex += 1
        return try result.get()
    }
}

