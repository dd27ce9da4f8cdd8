/// A flat block of elements on one device. Tensors view a storage through a shape.
///
/// On the CPU the pointer is host memory, 64-byte aligned so vector loads never straddle a cache
/// line. A CUDA backend would hold a device pointer here instead; nothing above the backend reads
/// `pointer` directly except through `Tensor.withUnsafe…` accessors that copy to the host first.
public final class Storage: @unchecked Sendable {
    public let device: Device
    public let dtype: DType
    public let count: Int
    public let pointer: UnsafeMutableRawPointer

    /// Allocates `count` zero-filled elements.
    public convenience init(count: Int, dtype: DType, device: Device = .cpu) {
        self.init(uninitializedCount: count, dtype: dtype, device: device)
        pointer.initializeMemory(as: UInt8.self, repeating: 0, count: max(count * dtype.size, 64))
    }

    /// Allocates `count` elements without clearing them, for kernels that overwrite every one.
    init(uninitializedCount count: Int, dtype: DType, device: Device = .cpu) {
        require(count >= 0, "a storage cannot hold \(count) elements")
        self.device = device
        self.dtype = dtype
        self.count = count
        pointer = HostMemory.allocate(max(count * dtype.size, 64))
    }

    deinit { HostMemory.release(pointer, max(count * dtype.size, 64)) }

    /// The elements as a typed pointer. The caller must ask for the storage's own element type.
    @inline(__always)
    public func typed<T>(_: T.Type) -> UnsafeMutablePointer<T> {
        pointer.assumingMemoryBound(to: T.self)
    }
}
