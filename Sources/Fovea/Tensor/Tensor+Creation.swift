// Making tensors: constants, ranges, Swift arrays, and seeded random numbers.

extension Tensor {
    /// A tensor of zeros.
    public convenience init(zeros shape: [Int], dtype: DType = .float32, requiresGrad: Bool = false) {
        self.init(shape: shape, storage: Storage(count: shape.reduce(1, *), dtype: dtype), requiresGrad: requiresGrad)
    }

    /// A tensor whose elements are not cleared: for kernels that write every element.
    convenience init(uninitialized shape: [Int], dtype: DType) {
        self.init(shape: shape, storage: Storage(uninitializedCount: shape.reduce(1, *), dtype: dtype))
    }

    /// A tensor with every element equal to `value`.
    public convenience init(repeating value: Double, shape: [Int], dtype: DType = .float32, requiresGrad: Bool = false) {
        self.init(zeros: shape, dtype: dtype, requiresGrad: requiresGrad)
        fill(with: value)
    }

    /// A tensor holding `values` in row-major order.
    public convenience init(shape: [Int], _ values: [Float], requiresGrad: Bool = false) {
        require(values.count == shape.reduce(1, *),
                "\(values.count) values cannot fill shape \(shape) (\(shape.reduce(1, *)) elements)")
        self.init(zeros: shape, dtype: .float32, requiresGrad: requiresGrad)
        values.withUnsafeBufferPointer { pointer(Float.self).update(from: $0.baseAddress!, count: values.count) }
    }

    /// A Float64 tensor holding `values` in row-major order.
    public convenience init(shape: [Int], float64 values: [Double], requiresGrad: Bool = false) {
        require(values.count == shape.reduce(1, *),
                "\(values.count) values cannot fill shape \(shape) (\(shape.reduce(1, *)) elements)")
        self.init(zeros: shape, dtype: .float64, requiresGrad: requiresGrad)
        values.withUnsafeBufferPointer { pointer(Double.self).update(from: $0.baseAddress!, count: values.count) }
    }

    /// An Int64 tensor (labels, counters).
    public convenience init(shape: [Int], int64 values: [Int64]) {
        require(values.count == shape.reduce(1, *),
                "\(values.count) values cannot fill shape \(shape) (\(shape.reduce(1, *)) elements)")
        self.init(zeros: shape, dtype: .int64)
        values.withUnsafeBufferPointer { pointer(Int64.self).update(from: $0.baseAddress!, count: values.count) }
    }

    /// A 1-D tensor of `values`.
    public convenience init(_ values: [Float], requiresGrad: Bool = false) {
        self.init(shape: [values.count], values, requiresGrad: requiresGrad)
    }

    /// A 2-D tensor from rows of equal length.
    public convenience init(_ rows: [[Float]], requiresGrad: Bool = false) {
        let columns = rows.first?.count ?? 0
        require(rows.allSatisfy { $0.count == columns }, "rows have different lengths: \(rows.map(\.count))")
        self.init(shape: [rows.count, columns], rows.flatMap { $0 }, requiresGrad: requiresGrad)
    }

    /// A 0-dimensional tensor holding one number.
    public convenience init(scalar: Double, dtype: DType = .float32, requiresGrad: Bool = false) {
        self.init(repeating: scalar, shape: [], dtype: dtype, requiresGrad: requiresGrad)
    }

    /// Zeros shaped like `other`, with its dtype.
    public static func zeros(like other: Tensor) -> Tensor { Tensor(zeros: other.shape, dtype: other.dtype) }

    /// `0, 1, …, count-1` (or `start, start+step, …` below `end`), as a 1-D tensor.
    public static func arange(_ start: Double = 0, _ end: Double, step: Double = 1, dtype: DType = .float32) -> Tensor {
        require(step != 0, "arange needs a non-zero step")
        let n = Swift.max(0, Int(((end - start) / step).rounded(.up)))
        let t = Tensor(zeros: [n], dtype: dtype)
        t.setElements((0..<n).map { start + Double($0) * step })
        return t
    }

    /// Uniform random numbers in `[low, high)`, drawn from `rng` (same seed, same numbers).
    public static func uniform(_ shape: [Int], low: Double = 0, high: Double = 1, dtype: DType = .float32,
                               using rng: inout some RandomNumberGenerator) -> Tensor {
        let n = shape.reduce(1, *)
        let t = Tensor(zeros: shape, dtype: dtype)
        t.setElements((0..<n).map { _ in low + (high - low) * rng.nextUnitDouble() })
        return t
    }

    /// Normally distributed random numbers with the given mean and standard deviation
    /// (Box–Muller on `rng`).
    public static func normal(_ shape: [Int], mean: Double = 0, std: Double = 1, dtype: DType = .float32,
                              using rng: inout some RandomNumberGenerator) -> Tensor {
        let n = shape.reduce(1, *)
        let t = Tensor(zeros: shape, dtype: dtype)
        t.setElements((0..<n).map { _ in mean + std * rng.nextStandardNormal() })
        return t
    }
}
