/// Where the trainer and evaluation get their batches, one epoch at a time: a ``DataLoader`` over
/// images in memory (CIFAR-10) or an ``ImageFolderLoader`` decoding from disk (ImageNet).
public protocol BatchProvider: AnyObject, Sendable {
    /// Images one epoch covers (before a dropped last batch).
    var imageCount: Int { get }
    /// One name per label.
    var classNames: [String] { get }
    var batchesPerEpoch: Int { get }
    /// The batches of `epoch` from batch `start` on.
    func batchStream(epoch: Int, from start: Int) -> any BatchStream
}

/// The batches of one epoch, in order.
public protocol BatchStream: AnyObject {
    /// The next batch, `nil` after the last; throws when an image cannot be read.
    func nextBatch() throws -> Batch?
    /// Seconds the caller spent waiting for batches that were not ready yet.
    var waitSeconds: Double { get }
}

extension DataLoader: BatchProvider {
    public var imageCount: Int { dataset.count }
    public var classNames: [String] { dataset.classNames }
    public func batchStream(epoch: Int, from start: Int) -> any BatchStream { batches(epoch: epoch, from: start) }
}

extension BatchSequence: BatchStream {
    public func nextBatch() -> Batch? { next() }
}

extension ImageFolderLoader: BatchProvider {
    public var imageCount: Int { count }
    public var classNames: [String] { folder.classNames }
    public func batchStream(epoch: Int, from start: Int) -> any BatchStream { batches(epoch: epoch, from: start) }
}

extension FolderBatches: BatchStream {
    public func nextBatch() throws -> Batch? { try next() }
}
