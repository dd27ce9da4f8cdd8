/// Where a tensor's elements live and which backend runs its kernels.
///
/// Only the CPU exists today. A CUDA backend adds a case here and a type conforming to
/// ``Backend``; the ops and the autograd above do not change (see Backend/README.md).
public enum Device: Hashable, Sendable, CustomStringConvertible {
    case cpu

    /// The backend that runs kernels for tensors on this device.
    public var backend: any Backend {
        switch self {
        case .cpu: CPUBackend.shared
        }
    }

    public var description: String {
        switch self {
        case .cpu: "cpu"
        }
    }
}
