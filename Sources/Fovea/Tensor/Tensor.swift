/// An N-dimensional array of numbers that remembers how it was computed.
///
/// Elements are stored contiguously in row-major order (images are `[N, C, H, W]`). A tensor made
/// by an op on tensors that require gradients records that op and a closure computing the op's
/// backward; ``backward(_:retainGraph:)`` walks these records in reverse (see Autograd/Backward.swift).
///
/// Tensors are reference types, like PyTorch's: a parameter is one object that the optimizer
/// updates in place and whose ``grad`` accumulates.
public final class Tensor {
    /// The size of each dimension, outermost first.
    public let shape: [Int]
    /// The elements. Several tensors may share one storage (see ``reshaped(_:)``).
    public let storage: Storage
    /// Whether gradients flow to this tensor. Set it on leaves (inputs, parameters).
    public var requiresGrad: Bool
    /// The accumulated gradient of the last ``backward(_:retainGraph:)`` calls, for leaves (and
    /// for tensors that called ``retainGrad()``).
    public var grad: Tensor?
    /// A short label shown in errors and descriptions (parameters carry their state_dict name).
    public var label: String?

    /// This tensor's node in the autograd graph (Autograd/GradFn.swift); `nil` until an op records
    /// it or uses it as an input that requires a gradient.
    var node: AutogradNode?
    /// How this tensor was made; `nil` for leaves.
    var gradFn: GradFn? { node?.gradFn }
    /// Whether ``grad`` is filled in for this non-leaf tensor too.
    var retainsGrad = false

    /// Wraps a storage in a shape. The element counts must agree.
    public init(shape: [Int], storage: Storage, requiresGrad: Bool = false) {
        require(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        require(shape.reduce(1, *) == storage.count,
                "shape \(shape) holds \(shape.reduce(1, *)) elements but the storage has \(storage.count)")
        self.shape = shape
        self.storage = storage
        self.requiresGrad = requiresGrad
    }

    /// The number of elements.
    public var count: Int { storage.count }
    /// The number of dimensions.
    public var rank: Int { shape.count }
    public var dtype: DType { storage.dtype }
    public var device: Device { storage.device }
    /// The backend that runs this tensor's kernels.
    public var backend: any Backend { storage.device.backend }
    /// Whether this tensor was made by an op (it has a recorded backward) rather than being a leaf.
    public var isLeaf: Bool { gradFn == nil }
    /// The name of the op that made this tensor, or `nil` for a leaf.
    public var opName: String? { gradFn?.op }

    /// The size of dimension `axis`; negative axes count from the end.
    public func size(_ axis: Int) -> Int { shape[normalizedAxis(axis)] }

    /// Turns a possibly negative axis into an index into ``shape``.
    public func normalizedAxis(_ axis: Int) -> Int {
        let a = axis < 0 ? axis + rank : axis
        require(a >= 0 && a < Swift.max(rank, 1), "axis \(axis) is out of range for shape \(shape)")
        return a
    }

    /// Typed access to the elements, for kernels. `T` must match ``dtype``.
    @inline(__always)
    public func pointer<T>(_: T.Type) -> UnsafeMutablePointer<T> { storage.typed(T.self) }
}

/// Row-major strides of a shape: the distance, in elements, between neighbours along each axis.
@inlinable
public func contiguousStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var s = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
        strides[i] = s
        s *= shape[i]
    }
    return strides
}
