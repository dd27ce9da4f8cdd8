import Foundation

/// Finished batches between the threads that build them and the one consumer that takes them in
/// order: producers wait while they are `capacity` batches ahead of the consumer, and stop when it
/// goes away (``cancel()``). Used by ``DataLoader`` (one background thread) and
/// ``ImageFolderLoader`` (several decoding workers, each a stride of the indices).
final class BatchHandover<Value>: @unchecked Sendable {
    private let condition = NSCondition()
    private let capacity: Int
    private var ready: [Int: Value] = [:]   // guarded by `condition`
    private var consumed: Int               // guarded: the next index the consumer takes
    private var cancelled = false           // guarded

    init(first: Int, capacity: Int) { (consumed, self.capacity) = (first, capacity) }

    /// Blocks until batch `index` may be built; false when the consumer went away.
    func waitForRoom(_ index: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && index >= consumed + capacity { condition.wait() }
        return !cancelled
    }

    func deliver(_ index: Int, _ value: Value) {
        condition.lock()
        ready[index] = value
        condition.broadcast()
        condition.unlock()
    }

    /// Blocks until batch `index` is delivered, and takes it.
    func take(_ index: Int) -> Value {
        condition.lock()
        defer { condition.unlock() }
        while ready[index] == nil { condition.wait() }
        consumed = index + 1
        condition.broadcast()
        return ready.removeValue(forKey: index)!
    }

    /// The consumer went away: waiting producers return, and build nothing more.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
