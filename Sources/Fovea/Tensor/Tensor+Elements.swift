// Reading and writing elements: conversion to and from Swift arrays, `item()`, filling.

extension Tensor {
    /// The elements as `Double`s in row-major order, whatever the dtype.
    public var doubles: [Double] {
        switch dtype {
        case .float32: Array(UnsafeBufferPointer(start: pointer(Float.self), count: count)).map(Double.init)
        case .float64: Array(UnsafeBufferPointer(start: pointer(Double.self), count: count))
        case .int64: Array(UnsafeBufferPointer(start: pointer(Int64.self), count: count)).map(Double.init)
        }
    }

    /// The elements as `Float`s in row-major order.
    public var scalars: [Float] {
        if dtype == .float32 { return Array(UnsafeBufferPointer(start: pointer(Float.self), count: count)) }
        return doubles.map(Float.init)
    }

    /// The elements as `Int64`s (for label and counter tensors).
    public var int64s: [Int64] {
        if dtype == .int64 { return Array(UnsafeBufferPointer(start: pointer(Int64.self), count: count)) }
        return doubles.map { Int64($0) }
    }

    /// A 2-D tensor's rows as nested arrays.
    public var rows: [[Float]] {
        require(rank == 2, "rows needs a 2-D tensor, got shape \(shape)")
        let values = scalars
        return (0..<shape[0]).map { Array(values[($0 * shape[1])..<(($0 + 1) * shape[1])]) }
    }

    /// The value of a one-element tensor.
    public func item() -> Double {
        require(count == 1, "item() needs a tensor with one element, got shape \(shape)")
        return doubles[0]
    }

    /// The element at a multi-index.
    public subscript(index: Int...) -> Double {
        require(index.count == rank, "index \(index) does not fit shape \(shape)")
        let strides = contiguousStrides(shape)
        var offset = 0
        for (i, (k, n)) in zip(index, shape).enumerated() {
            require(k >= 0 && k < n, "index \(index) is out of range for shape \(shape) (axis \(i))")
            offset += k * strides[i]
        }
        switch dtype {
        case .float32: return Double(pointer(Float.self)[offset])
        case .float64: return pointer(Double.self)[offset]
        case .int64: return Double(pointer(Int64.self)[offset])
        }
    }

    /// Overwrites the elements from `values` (row-major), converting to this tensor's dtype.
    public func setElements(_ values: [Double]) {
        require(values.count == count, "\(values.count) values cannot fill shape \(shape)")
        switch dtype {
        case .float32: for i in 0..<count { pointer(Float.self)[i] = Float(values[i]) }
        case .float64: for i in 0..<count { pointer(Double.self)[i] = values[i] }
        case .int64: for i in 0..<count { pointer(Int64.self)[i] = Int64(values[i]) }
        }
    }

    /// Sets every element to `value`, in place.
    public func fill(with value: Double) {
        switch dtype {
        case .float32: pointer(Float.self).update(repeating: Float(value), count: count)
        case .float64: pointer(Double.self).update(repeating: value, count: count)
        case .int64: pointer(Int64.self).update(repeating: Int64(value), count: count)
        }
    }

    /// Copies `source`'s elements into this tensor, in place (same shape and dtype). Used by
    /// optimizers and checkpoint loading; it is not recorded by autograd.
    public func assign(_ source: Tensor) {
        require(source.shape == shape, "cannot assign shape \(source.shape) to shape \(shape)")
        require(source.dtype == dtype, "cannot assign \(source.dtype) to \(dtype)")
        storage.pointer.copyMemory(from: source.storage.pointer, byteCount: count * dtype.size)
    }

    /// A copy of this tensor's elements in another dtype (not recorded by autograd).
    public func converted(to dtype: DType) -> Tensor {
        if dtype == self.dtype { return copied() }
        let t = Tensor(zeros: shape, dtype: dtype)
        switch (self.dtype, dtype) {
        case (.float32, .float64):
            let s = pointer(Float.self), d = t.pointer(Double.self)
            for i in 0..<count { d[i] = Double(s[i]) }
        case (.float64, .float32):
            let s = pointer(Double.self), d = t.pointer(Float.self)
            for i in 0..<count { d[i] = Float(s[i]) }
        default:
            t.setElements(doubles)
        }
        return t
    }

    /// A new tensor with a copy of the elements, detached from any graph.
    public func copied() -> Tensor {
        let t = Tensor(zeros: shape, dtype: dtype)
        t.assign(self)
        return t
    }
}
