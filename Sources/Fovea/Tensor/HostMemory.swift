#if canImport(Glibc)
import Glibc
#endif

/// Where CPU storages get their memory: small blocks from the system allocator, large ones from
/// whole pages that are kept on a free list once released, one list per exact size.
///
/// Training allocates the same large buffers every step (an activation, its gradient, a batch)
/// and frees them again. From `malloc` those buffers fragment its heap (measured: 410 MB resident
/// for 198 MB ever live at once, ResNet-20 at batch 128), and fresh pages fault in on first touch.
/// Reused by exact size, a released block fits the next request of that size at once, already in
/// memory, and nothing fragments. The lists hold at most ``cacheLimit`` bytes; past that, released
/// blocks go back to the system.
///
/// A pooled block starts a few cache lines into its pages, a different number each time (its
/// "colour": 0 to 63 lines, 7 lines more than the block handed out before it). Page-aligned tensors
/// all share their low 12 address bits, and x86 cores can stall a load behind an earlier store whose
/// address agrees in those bits ("4K aliasing"), which a kernel reading one tensor while writing
/// another at the same offset does all the time. Measured on ResNet-20 at batch 128, one thread per
/// binary, both binaries at once on the two cores: training 0.99–1.07× as fast as without colours
/// (median 1.055×, five paired runs), inference 0.96–0.99× (two runs, within this machine's noise).
package enum HostMemory {
    /// Blocks at least this large are pooled (smaller ones are cheap for `malloc`).
    package static let pooledMinimum = 256 * 1024
    /// The most memory the free lists keep.
    package static let cacheLimit = 4 << 30

    private static let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    nonisolated(unsafe) private static var lists: [Int: [UnsafeMutableRawPointer]] = [:]
    nonisolated(unsafe) private static var cached = 0
    nonisolated(unsafe) private static var mutex = pthread_mutex_t()
    private static let initialised: Bool = { pthread_mutex_init(&mutex, nil); return true }()

    nonisolated(unsafe) private static var colour = 0

    /// The size actually reserved for a request of `bytes` (pooled: whole pages, one more for the colour).
    package static func capacity(for bytes: Int) -> Int {
        bytes < pooledMinimum ? bytes : (bytes + page - 1) / page * page + page
    }

    /// The offset into its pages of the next pooled block: 64-byte lines, 7 more each time, modulo 64.
    private static func nextColour() -> Int {
        colour = (colour + 7) % 64
        return colour * 64
    }

    /// `bytes` of memory aligned to 64 bytes (pages for pooled blocks), not cleared.
    package static func allocate(_ bytes: Int) -> UnsafeMutableRawPointer {
        guard bytes >= pooledMinimum else { return UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64) }
        let size = capacity(for: bytes)
        let (reused, offset) = withLock { () -> (UnsafeMutableRawPointer?, Int) in
            let block = lists[size]?.popLast()
            if block != nil { cached -= size }
            return (block, nextColour())
        }
        if let reused { return reused + offset }
        guard let block = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), block != MAP_FAILED else {
            requirementFailed("out of memory: could not map \(size) bytes for a tensor")
        }
        return block + offset
    }

    /// Returns memory from ``allocate(_:)`` of the same `bytes`.
    package static func release(_ block: UnsafeMutableRawPointer, _ bytes: Int) {
        guard bytes >= pooledMinimum else { return block.deallocate() }
        let size = capacity(for: bytes)
        let block = block - Int(bitPattern: block) % page  // the pages' start, without the colour
        let kept = withLock { () -> Bool in
            guard cached + size <= cacheLimit else { return false }
            lists[size, default: []].append(block)
            cached += size
            return true
        }
        if !kept { munmap(block, size) }
    }

    /// Bytes held on the free lists now (for tests and benchmarks).
    package static var cachedBytes: Int { withLock { cached } }

    private static func withLock<T>(_ body: () -> T) -> T {
        _ = initialised
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body()
    }
}
