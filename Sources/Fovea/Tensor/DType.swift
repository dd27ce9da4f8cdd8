import RealModule

/// The element type of a tensor.
///
/// Fovea computes in `float32`, like PyTorch. `float64` runs the same ops on the reference kernels
/// (and `cblas_dgemm` for matrix products) so that finite-difference gradient checks are exact
/// enough to trust. `int64` holds counters such as batch norm's `num_batches_tracked`.
public enum DType: String, Sendable, CustomStringConvertible {
    case float32, float64, int64

    /// Bytes per element.
    public var size: Int { self == .float32 ? 4 : 8 }

    /// The name safetensors uses ("F32", "F64", "I64").
    public var safetensorsName: String {
        switch self {
        case .float32: "F32"
        case .float64: "F64"
        case .int64: "I64"
        }
    }

    public var description: String { rawValue }
}

/// The floating-point element types a kernel can be written for: `Float` and `Double`.
/// `Real` (swift-numerics) supplies `exp`, `log`, `tanh`, `pow`, … generically.
public protocol FloatElement: Real, BinaryFloatingPoint, Sendable where Self.RawSignificand: FixedWidthInteger {
    static var dtype: DType { get }
}
