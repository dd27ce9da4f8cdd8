import Fovea
import Testing

@Suite("host memory")
struct HostMemoryTests {
    @Test("a released large block is reused for the next request of the same size, and small ones are not pooled")
    func reuse() {
        let bytes = 3 * HostMemory.pooledMinimum + 100
        let first = HostMemory.allocate(bytes)
        first.storeBytes(of: 42, as: Int.self)
        HostMemory.release(first, bytes)
        let second = HostMemory.allocate(bytes)
        #expect(Int(bitPattern: second) / 4096 == Int(bitPattern: first) / 4096, "the same pages")
        #expect(second != first, "a different colour")
        #expect(Int(bitPattern: second) % 64 == 0)
        HostMemory.release(second, bytes)
        #expect(HostMemory.capacity(for: 100) == 100)
        #expect(HostMemory.capacity(for: bytes) % 4096 == 0 && HostMemory.capacity(for: bytes) >= bytes)
    }

    @Test("zero-filled storages are zero even when their block was used before")
    func zeroed() {
        let count = HostMemory.pooledMinimum  // Float32: 4 × pooledMinimum bytes
        do { let dirty = Tensor(repeating: 7, shape: [count]); _ = dirty }
        let clean = Tensor(zeros: [count])
        #expect(clean.doubles.allSatisfy { $0 == 0 })
    }
}
